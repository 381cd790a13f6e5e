/**
 * What every lab's own results file (`--record`) starts with: when and how it was recorded, on
 * which backend, machine and versions, and whether the run passed. The pages print it next to the
 * figures; labs/<id>/record.ts fill it with labRecordHeader().
 */
import { machineWithLoad, type MachineInfo } from '../bench/machine.ts';
import type { LabReport } from '../lab/report.ts';
import type { BackendName } from '../stack/backend.ts';

export interface LabRecordHeader {
  recordedAt: string;
  command: string;
  backend: BackendName;
  form: 'short' | 'full';
  passed: boolean;
  durationSeconds: number;
  machine: MachineInfo & { loadAverage1m: number };
  versions: Record<string, string>;
}

/** The header of a record of `report`, run as `npm run lab <id> -- [--short] --record`. */
export function labRecordHeader(id: string, short: boolean, report: LabReport): LabRecordHeader {
  return {
    recordedAt: report.startedAt,
    command: ['npm run lab', id, '--', report.backend === 'local' ? '' : `--backend ${report.backend}`, short ? '--short' : '', '--record'].filter(Boolean).join(' '),
    backend: report.backend,
    form: short ? 'short' : 'full',
    passed: report.ok,
    durationSeconds: Math.round(report.durationMs / 1000),
    machine: machineWithLoad(),
    versions: report.versions,
  };
}
