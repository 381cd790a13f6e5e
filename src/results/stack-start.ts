/**
 * static/results/stack-start.json: what `npm run bench:stack -- --record` writes
 * (src/cli/bench-stack.ts) and what the stack page renders (src/components/StackStartResults).
 */
import type { MachineInfo } from '../bench/machine.ts';

export interface StackStartRun {
  totalMs: number;
  perServiceMs: Record<string, number>;
  rssMiB: Record<string, number>;
}

export interface StackStartRecord {
  recordedAt: string;
  command: string;
  machine: MachineInfo;
  versions: Record<string, string>;
  runs: StackStartRun[];
  warm_start_median_ms: number;
}
