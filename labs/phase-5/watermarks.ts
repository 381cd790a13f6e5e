/**
 * The input source's watermark settings on the realistic shape (ADR 0106), as Flink SQL table
 * options (FLIP-296), rendered into the source's WITH clause by run.ts.
 *
 * Idleness: a partition that carries nothing for IDLE_TIMEOUT (wall-clock time) stops holding the
 * watermark back; without it one quiet partition stops every result until it speaks again. The
 * price: when it resumes, its first events may be behind the watermark the others moved, and late.
 * So the timeout must outlast every stall that is not idleness: with 2 s, a broker's stop stalled
 * the partitions it led long enough to be taken for idle, and the steady run, which cannot have a
 * late event otherwise, had 17 (measured; ADR 0106). 10 s outlasts a failover on this machine.
 *
 * Alignment: a partition whose watermark runs more than MAX_DRIFT ahead of the slowest one is
 * paused until the others catch up, so a backlog read one fetch (one partition) at a time does not
 * push event time ahead of partitions not read yet and turn their events late. Split-level
 * alignment needs a source that can pause single splits: the Kafka connector 3.x can.
 */
export const IDLE_TIMEOUT_MS = 10_000;
export const IDLE_TIMEOUT = `${IDLE_TIMEOUT_MS / 1000} s`;
export const MAX_DRIFT = '20 s';

export const SOURCE_WATERMARKS: readonly (readonly [string, string])[] = [
  ['scan.watermark.idle-timeout', IDLE_TIMEOUT],
  ['scan.watermark.alignment.group', 'ctr-input'],
  ['scan.watermark.alignment.max-drift', MAX_DRIFT],
  ['scan.watermark.alignment.update-interval', '1 s'],
];
