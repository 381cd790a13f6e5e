import { cpus, loadavg, totalmem } from 'node:os';
import type { CpuReference } from './cpu-reference.ts';

/** Named next to every figure we print or record: figures mean nothing without the machine. */
export interface MachineInfo {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  return {
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.versions.node,
  };
}

/** machineInfo plus the 1-minute load average: on 2 shared cores, what else ran shows up here. */
export function machineWithLoad(): MachineInfo & { loadAverage1m: number } {
  return { ...machineInfo(), loadAverage1m: Number(loadavg()[0]?.toFixed(2)) };
}

/** What a benchmark record names: the machine, its load at the end, and its speed measured before the runs. */
export type BenchMachine = MachineInfo & { loadAverage1m: number; cpuReference?: CpuReference };

/** machineWithLoad plus the CPU reference a benchmark measured before its runs (ADR 0117). */
export function benchMachine(cpuReference: CpuReference): BenchMachine {
  return { ...machineWithLoad(), cpuReference };
}

export function describeMachine(m: MachineInfo = machineInfo()): string {
  return `${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpuModel}, Node ${m.node}`;
}
