import type { RecordedRun } from '../../results/terminal';

interface WebpackContext {
  keys(): string[];
  (id: string): unknown;
}
declare const require: { context(dir: string, deep: boolean, filter: RegExp): WebpackContext };

// Every recorded run present at build time; one not recorded yet is simply absent.
const context = require.context('@site/static/results/terminal', false, /\.json$/);
const runs: Record<string, RecordedRun> = Object.fromEntries(context.keys().map((key) => [key.replace(/^\.\//, '').replace(/\.json$/, ''), context(key) as RecordedRun]));

export function recordedRun(name: string): RecordedRun | undefined {
  return runs[name];
}

/** "Recorded 2026-11-27 on the local backend, 2 cores (load 3.1), Flink 1.20.3, ...: PASS in 48.2 s." */
export function describeRun(r: RecordedRun): string {
  const versions = Object.entries(r.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const m = r.machine;
  return `Recorded ${r.recordedAt.slice(0, 10)} on the ${r.backend} backend: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpuModel} (1-minute load ${m.loadAverage1m} at the end: the machine was shared), Node ${m.node}; ${versions}. ${r.ok ? 'Every check passed' : 'Some checks failed'} in ${(r.durationMs / 1000).toFixed(1)} s.`;
}
