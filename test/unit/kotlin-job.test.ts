/**
 * The Kotlin job's build inputs: its pom's default versions equal the stack's (the builders pass
 * the stack's anyway; a bare `mvn` must not drift), overlays replace files by name and refuse a
 * name the job lacks, and the program arguments carry the run's names.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { flinkKafkaConnectorVersion, overlaidSources, versionFlags } from '../../src/pipeline/jvm-job.ts';
import { KOTLIN_JOB_DIR, kotlinJobArgs } from '../../src/pipeline/kotlin-job.ts';
import { pipelineNames } from '../../src/pipeline/names.ts';
import { FLINK_VERSION } from '../../src/stack/flink/config.ts';

test("the job's pom defaults to the stack's Flink and Kafka connector versions, which the builders pass", () => {
  const pom = readFileSync(join(KOTLIN_JOB_DIR, 'pom.xml'), 'utf8');
  assert.match(pom, new RegExp(`<flink\\.version>${FLINK_VERSION.replace(/\./g, '\\.')}</flink\\.version>`));
  assert.ok(pom.includes(`<flink.kafka.version>${flinkKafkaConnectorVersion()}</flink.kafka.version>`));
  assert.deepEqual(versionFlags(), [`-Dflink.version=${FLINK_VERSION}`, `-Dflink.kafka.version=${flinkKafkaConnectorVersion()}`]);
});

test('an overlay replaces the job file of the same name and refuses a name the job does not have', () => {
  const dir = mkdtempSync(join(tmpdir(), 'overlay-'));
  try {
    writeFileSync(join(dir, 'WindowCounts.kt'), '// mine');
    const files = overlaidSources(KOTLIN_JOB_DIR, dir);
    assert.equal(files.get(join('src', 'main', 'kotlin', 'labs', 'ctr', 'phase2', 'WindowCounts.kt')), join(dir, 'WindowCounts.kt'));
    assert.equal(files.get(join('src', 'main', 'kotlin', 'labs', 'ctr', 'phase2', 'Dedup.kt')), join(KOTLIN_JOB_DIR, 'src', 'main', 'kotlin', 'labs', 'ctr', 'phase2', 'Dedup.kt'));
    writeFileSync(join(dir, 'WindowCount.kt'), '// a typo');
    assert.throws(() => overlaidSources(KOTLIN_JOB_DIR, dir), /no source file named WindowCount\.kt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the job's arguments carry the run's topics and phase 2's guarantees", () => {
  const v = pipelineNames('run_1', { internal: { kafka: 'k:9092' } }, 'ctr-phase-2 run_1');
  const args = kotlinJobArgs(v, { checkpointDir: 'file:///cp' });
  const get = (k: string) => args[args.indexOf(`--${k}`) + 1];
  assert.equal(get('bootstrap-servers'), 'k:9092');
  assert.equal(get('input-topic'), 'run_1_events');
  assert.equal(get('results-topic'), 'run_1_results');
  assert.equal(get('delivery'), 'exactly-once');
  assert.equal(get('checkpoint-ms'), '5000');
  assert.equal(get('bounded'), 'true');
  assert.equal(args.length % 2, 0);
});
