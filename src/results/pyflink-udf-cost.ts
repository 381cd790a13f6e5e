/** static/results/pyflink-udf-cost.json: the drain rate of the PyFlink job with and without its Python UDF (labs/phase-2-pyflink/bench-udf.ts). */
export interface UdfCostRound {
  round: number;
  version: 'v1' | 'v2';
  /** v2 computes the click cost in a Python UDF; v1 as a Table API expression in the JVM. */
  pythonUdf: boolean;
  /** Flink's job duration (REST: start to FINISHED), without the Python client's submission: scheduling and start-up included. */
  jobMs: number;
  /** From the last subtask RUNNING to the last FINISHED (subtasktimes): the span eventsPerSecond divides by. */
  processingMs: number;
  /** The TaskManager's CPU seconds per million events over the run, with the processes it starts (the Python worker): steadier on a busy machine than wall time. */
  taskmanagerCpuSPerMillion: number;
  /** Of which the Python worker's (processes below the TaskManager, sampled every 250 ms). */
  pythonWorkerCpuSPerMillion: number;
  eventsPerSecond: number;
  /** The run's enriched rows equalled the oracle's: a figure from a wrong run would be worthless. */
  rowsEqualOracle: boolean;
  loadAverage1m: number;
}

export interface UdfCostRecord {
  recordedAt: string;
  command: string;
  machine: { cores: number; memoryGiB: number; cpuModel: string; node: string; loadAverage1m: number };
  versions: { flink: string; pyflink: string; python: string };
  events: number;
  parallelism: number;
  delivery: string;
  checkpointing: string;
  rounds: UdfCostRound[];
  /** Medians over the rounds, per version, v2's rate as a share of v1's, and the UDF's CPU cost (v2 - v1, CPU s per million events). */
  summary: { v1EventsPerSecond: number; v2EventsPerSecond: number; v2OverV1: number; v1CpuSPerMillion: number; v2CpuSPerMillion: number; udfCpuSPerMillion: number };
}
