/**
 * static/results/runbooks.json: what `RECORD_RUNBOOKS=1 npm run test:runbooks` writes
 * (test/runbooks/record.ts) and what the runbooks' index renders (src/components/RunbookChecks).
 */
import type { MachineInfo } from '../bench/machine.ts';

export interface RunbookCaseRecord {
  runbook: string;
  /** The fault, in a few words ("TaskManager killed"). */
  fault: string;
  passed: boolean;
  /** The whole case: causing the fault, the runbook's diagnosis, fix and confirmation. */
  seconds: number;
  error?: string;
}

export interface RunbooksRecord {
  recordedAt: string;
  command: string;
  passed: boolean;
  passedCases: number;
  totalCases: number;
  durationSeconds: number;
  machine: MachineInfo & { loadAverage1m?: number };
  versions: Record<string, string>;
  cases: RunbookCaseRecord[];
}
