/**
 * The broken-clock rule in Flink SQL, for a pipeline that opts in (ADR 0100), without changing
 * phase 1's files: withFutureTs() adds the rule's WHEN (future-ts.sql) to phase 1's DLQ reason,
 * and FUTURE_TS_VARIANT's source (flink/10-source.sql here) reads the record timestamp it compares
 * with. A phase-5 job with its own source uses the same two pieces: RECORD_TS_COLUMN in its
 * CREATE TABLE and the names from withFutureTs().
 *
 *   flinkStatements(withFutureTs(pipelineNames(...)), FUTURE_TS_VARIANT)
 */
import { fileURLToPath } from 'node:url';
import { ALLOWED_CLOCK_SKEW_MS, checkSkew } from '../../ctr/clock.ts';
import { fillPlaceholders, readSql } from '../../lab/sql.ts';
import type { PipelineNames } from '../names.ts';
import type { Variant } from '../render.ts';

const HERE = fileURLToPath(new URL('./', import.meta.url));

/** The name of the record-timestamp metadata column. */
export const RECORD_TS = 'record_ts';
/** The column as a source table declares it (flink/10-source.sql). */
export const RECORD_TS_COLUMN = `${RECORD_TS} TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL`;

/** Phase 1's source with the record timestamp: a variant folder for render.ts. */
export const FUTURE_TS_VARIANT: Variant = { flink: [`${HERE}flink`] };

/** A skew in ms as a Flink SQL SECOND interval literal: 5000 -> '5.000'. */
export function skewInterval(allowedSkewMs: number): string {
  checkSkew(allowedSkewMs);
  return `${Math.floor(allowedSkewMs / 1000)}.${String(allowedSkewMs % 1000).padStart(3, '0')}`;
}

/** The WHEN branch over a line's text (`lineText`, e.g. DECODE(line_bytes, 'UTF-8')). */
export function futureTsBranch(lineText: string, allowedSkewMs: number = ALLOWED_CLOCK_SKEW_MS): string {
  return fillPlaceholders(readSql(`${HERE}future-ts.sql`), { line: lineText, record_ts: RECORD_TS, allowed_skew: skewInterval(allowedSkewMs) }, 'future-ts.sql').trimEnd();
}

/** Text of the source's line, as names.ts fills phase 1's `line` placeholder. */
const LINE_TEXT = "DECODE(line_bytes, 'UTF-8')";

/**
 * `names` with the rule: its dlq_reason (phase 1's CASE) gains the future_ts WHEN before its final
 * END, and `record_ts` names the column flink/10-source.sql declares.
 */
export function withFutureTs(names: PipelineNames, allowedSkewMs: number = ALLOWED_CLOCK_SKEW_MS): PipelineNames {
  const reason = names.dlq_reason;
  const end = reason === undefined ? null : /\n([ \t]*)END\s*$/.exec(reason);
  if (reason === undefined || !end) throw new Error("withFutureTs: the names' dlq_reason is not a CASE ending in END (phase 1's dlq-reason.sql)");
  return { ...names, record_ts: RECORD_TS, dlq_reason: `${reason.slice(0, end.index)}\n${futureTsBranch(LINE_TEXT, allowedSkewMs)}\n${end[1]}END` };
}
