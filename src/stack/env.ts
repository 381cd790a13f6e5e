/**
 * The stack's endpoints as shell exports, so runbooks can start with
 * `eval "$(npm run -s stack env)"` and then name services by variable, never by a guessed port.
 */
import { stackDir, stackPaths } from './paths.ts';
import type { StackState } from './state.ts';

/** The variables every runbook may use, in the order they are printed. */
export const ENV_NAMES = ['KAFKA', 'FLINK_REST', 'SQL_GATEWAY', 'CLICKHOUSE', 'KAFKA_CP', 'CTR_STACK_DIR', 'PROMETHEUS'] as const;
export type EnvName = (typeof ENV_NAMES)[number];

/** Single-quoted for sh: the only character that needs care inside '...' is ' itself. */
function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The exports for a running stack, or undefined when a service is not recorded. KAFKA_CP is the
 * classpath of Kafka's own command-line tools (the jar cache the broker runs from); CTR_STACK_DIR
 * is exported too, so every later `npm run stack ...` in the same shell talks to this stack.
 */
export function stackEnv(state: StackState): Record<EnvName, string> | undefined {
  const s = state.services;
  const kafka = s.kafka?.url;
  const flink = s['flink-jobmanager']?.url;
  const gateway = s['sql-gateway']?.url;
  const clickhouse = s.clickhouse?.url;
  if (!kafka || !flink || !gateway || !clickhouse) return undefined;
  // PROMETHEUS is empty when a lab started the pipeline's services only: no runbook step needs it to start.
  return { KAFKA: kafka, FLINK_REST: flink, SQL_GATEWAY: gateway, CLICKHOUSE: clickhouse, KAFKA_CP: `${stackPaths.jars('kafka')}/*`, CTR_STACK_DIR: stackDir(), PROMETHEUS: s.prometheus?.url ?? '' };
}

export function formatExports(env: Record<EnvName, string>): string {
  return ENV_NAMES.map((name) => `export ${name}=${shQuote(env[name])}`).join('\n');
}
