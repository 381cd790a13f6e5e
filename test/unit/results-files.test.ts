/** Results files per backend: a docker run never overwrites the local figures (ADR 0030). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resultsName } from '../../src/results/files.ts';
import type { StackStartRecord } from '../../src/results/stack-start.ts';
import { repoRoot } from '../../src/stack/paths.ts';

describe('results files', () => {
  it('local keeps the plain name (and every file recorded before there were two backends); docker gets its own', () => {
    assert.equal(resultsName('stack-start', 'local'), 'stack-start');
    assert.equal(resultsName('stack-start', 'docker'), 'stack-start-docker');
    assert.equal(resultsName('phase-3-recovery', 'docker'), 'phase-3-recovery-docker');
  });

  it('the recorded docker stack start says which backend, engine and cold start it measured', () => {
    const file = join(repoRoot, 'static', 'results', 'stack-start-docker.json');
    if (!existsSync(file)) return;
    const r = JSON.parse(readFileSync(file, 'utf8')) as StackStartRecord;
    assert.equal(r.backend, 'docker');
    assert.match(r.engine ?? '', /^Docker /);
    assert.ok(r.runs.length >= 1 && r.warm_start_median_ms > 0);
    assert.ok(r.cold === undefined || (r.cold.totalMs > r.warm_start_median_ms && r.cold.what.length > 0), 'a cold start, when recorded, is slower than a warm one and says what was cold');
  });
});
