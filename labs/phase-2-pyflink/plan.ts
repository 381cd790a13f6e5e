/**
 * The plan the Python job reads (--plan FILE): the run's names, phase 1's statements rendered
 * for this run (its validation, dedup and lateness in SQL, its DLQ, duplicates and late sinks),
 * the connector jars from the stack's own jar folder, and the JobManager's REST address. The
 * Python program adds the dimension, the enrichment and the windows (jobs/).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Endpoints } from '../../src/stack/backend.ts';
import { stackPaths } from '../../src/stack/paths.ts';
import { type PipelineNames, pipelineNames } from '../../src/pipeline/names.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';

export interface RunNames extends PipelineNames {
  dimension_topic: string;
  dimension_table: string;
  dimension_group: string;
}

export interface Plan {
  names: RunNames;
  rest: { host: string; port: number };
  /** Jars the Python client needs to plan the job (the cluster has them already: not shipped, ADR 0068). */
  client_jars: string[];
  /** Phase 1's SET statements as Flink configuration. */
  settings: Record<string, string>;
  /** CREATE TABLE / VIEW statements, in order. */
  statements: string[];
  /** The INSERTs of phase 1's statement set, the results insert left out (the Python job writes its own). */
  inserts: string[];
}

/** The run's names: phase 1's, plus the dimension's. `streaming` reads unbounded and writes in transactions (the recovery run). */
export function runNames(runId: string, ep: Pick<Endpoints, 'internal'>, streaming: boolean): RunNames {
  const base = pipelineNames(runId, ep, `ctr-phase-2-pyflink ${runId}`);
  return {
    ...base,
    ...(streaming ? { bounded_mode: 'unbounded', delivery_guarantee: 'exactly-once' } : {}),
    dimension_topic: `${runId}_products`,
    dimension_table: `${runId}_products`,
    dimension_group: `${runId}_products_flink`,
  };
}

/** The connector the job needs beside what the PyFlink wheel carries: Kafka's, as the stack resolved it. */
export function connectorJars(dir = stackPaths.jars('flink')): string[] {
  const names = readdirSync(dir);
  const pick = (re: RegExp) => {
    const n = names.find((f) => re.test(f));
    if (!n) throw new Error(`no jar matching ${re} in ${dir}: start the stack once (npm run stack up) so Maven resolves it`);
    return join(dir, n);
  };
  return [pick(/^flink-connector-kafka-.*\.jar$/), pick(/^kafka-clients-.*\.jar$/)];
}

const SET = /^SET\s+'([^']+)'\s*=\s*'([^']*)'$/i;

export function buildPlan(names: RunNames, ep: Pick<Endpoints, 'flinkRest'>, jars: string[]): Plan {
  const settings: Record<string, string> = {};
  const statements: string[] = [];
  let inserts: string[] = [];
  for (const { sql } of flinkStatements(names, { sinks: ['dlq', 'duplicates', 'late'] })) {
    const set = SET.exec(sql.trim());
    if (set) settings[set[1] as string] = set[2] as string;
    else if (/^EXECUTE STATEMENT SET/i.test(sql)) inserts = [...sql.matchAll(/INSERT INTO[\s\S]*?;/gi)].map((m) => m[0].replace(/;$/, ''));
    else statements.push(sql);
  }
  if (inserts.length !== 3) throw new Error(`phase 1's statement set gave ${inserts.length} inserts, expected 3 (DLQ, duplicates, late)`);
  const url = new URL(ep.flinkRest);
  return { names, rest: { host: url.hostname, port: Number(url.port) }, client_jars: jars, settings, statements, inserts };
}
