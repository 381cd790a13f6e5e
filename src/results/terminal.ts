/**
 * A lab run's terminal output as `--record` captured it (static/results/terminal/<name>.json): the
 * lesson page shows it to readers without a machine (src/components/RecordedRun), never typed.
 */
import { type MachineInfo, machineWithLoad } from '../bench/machine.ts';
import type { LabReport } from '../lab/report.ts';

export interface RecordedRun {
  lab: string;
  /** The command as typed, e.g. `npm run lab phase-1 -- --record`. */
  command: string;
  backend: string;
  recordedAt: string;
  ok: boolean;
  durationMs: number;
  versions: Record<string, string>;
  machine: MachineInfo & { loadAverage1m: number };
  /** Every line the run printed, in order. */
  lines: string[];
}

export function recordedRun(id: string, argv: readonly string[], report: LabReport, lines: string[]): RecordedRun {
  const flags = argv.filter((a) => a !== id && a !== 'all');
  return {
    lab: id,
    command: `npm run lab ${id}${flags.length ? ` -- ${flags.join(' ')}` : ''}`,
    backend: report.backend,
    recordedAt: report.startedAt,
    ok: report.ok,
    durationMs: report.durationMs,
    versions: report.versions,
    machine: machineWithLoad(),
    lines,
  };
}
