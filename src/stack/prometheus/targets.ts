import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackPaths } from '../paths.ts';
import type { StackState } from '../state.ts';
import { scrapeTargets } from './config.ts';

/** Where Prometheus' file discovery looks (.stack/conf/prometheus/targets.json). */
export function targetsFile(): string {
  return join(stackPaths.conf('prometheus'), 'targets.json');
}

/**
 * Rewrites the target list from the recorded services. Written whole and renamed into place, so
 * Prometheus (which watches the file) never reads half of it. Called whenever the stack records
 * or forgets a service, whether or not Prometheus runs: a later start finds the list current.
 */
export function writeScrapeTargets(state: StackState): void {
  const file = targetsFile();
  mkdirSync(stackPaths.conf('prometheus'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(scrapeTargets(Object.values(state.services)), null, 2)}\n`);
  renameSync(tmp, file);
}
