/** static/results/kafka-engine-latency.json: how long ClickHouse's Kafka engine takes to make a burst of rows visible (src/cli/bench-kafka-engine.ts). */
export interface KafkaEngineCase {
  /** The Kafka table's row format (kafka_format). */
  format: 'JSONEachRow' | 'TabSeparated' | 'CSV';
  /** The server profile's stream_flush_interval_ms. */
  streamFlushIntervalMs: number;
  /** kafka_max_block_size; null: the engine's default (max_block_size, 65,536). */
  maxBlockSize: number | null;
  /** Per burst: milliseconds from the producer's acknowledgement to every row of the burst visible in the target table. */
  visibleMs: number[];
  p50Ms: number;
  maxMs: number;
  /** How long a read that found nothing lasted (median of "Execution took" with 0 messages in the trace log): the engine's idle end of a block. */
  idleReadMs: number;
}

export interface KafkaEngineRecord {
  recordedAt: string;
  command: string;
  machine: { cores: number; memoryGiB: number; cpuModel: string; node: string; loadAverage1m: number };
  versions: { clickhouse: string; kafka: string };
  /** Rows per burst and the gap between bursts: a window's rows, once per 10 s window. */
  burstRows: number;
  everyMs: number;
  cases: KafkaEngineCase[];
}
