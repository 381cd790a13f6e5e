/**
 * The stack as labs use it: make sure it runs, find its endpoints, stop only what you started.
 * Clients for each service live beside their service (kafka/client.ts, clickhouse/client.ts,
 * flink/gateway-client.ts, flink/rest-client.ts).
 */
import { StackError } from './errors.ts';
import type { StackListener } from './events.ts';
import type { ServiceName } from './service.ts';
import { down, killService, up, type UpResult } from './stack.ts';
import { readState } from './state.ts';

export interface Endpoints {
  /** host:port of the Kafka broker listener (never the controller's). */
  kafka: string;
  clickhouseHttp: string;
  flinkRest: string;
  sqlGateway: string;
}

/** Reads .stack/state.json; throws one actionable sentence when a service is not recorded. */
export function endpoints(): Endpoints {
  const s = readState().services;
  const need = (name: ServiceName): string => {
    const rec = s[name];
    if (!rec) throw new StackError(`${name} is not running: start the stack with \`npm run stack up\`.`);
    return rec.url;
  };
  return { kafka: need('kafka'), clickhouseHttp: need('clickhouse'), flinkRest: need('flink-jobmanager'), sqlGateway: need('sql-gateway') };
}

export interface EnsuredStack extends UpResult {
  endpoints: Endpoints;
  /** Stops exactly what this call started (nothing when the stack was already running). */
  release: () => Promise<void>;
}

/** Starts whatever is not running (or repairs it) and hands back a release for what it started. */
export async function ensureStack(opts: { listener?: StackListener; signal?: AbortSignal } = {}): Promise<EnsuredStack> {
  const result = await up(opts);
  return {
    ...result,
    endpoints: endpoints(),
    release: async () => {
      if (result.startedNow.length > 0) await down({ listener: opts.listener, only: result.startedNow });
    },
  };
}

export { killService, down as stopStack, up as startStack };
