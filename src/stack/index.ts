/**
 * The stack as labs and commands use it: pick a backend, make sure the services run, find their
 * endpoints, stop only what you started. Clients for each service live beside their service
 * (kafka/client.ts, clickhouse/client.ts, flink/gateway-client.ts, flink/rest-client.ts).
 */
import type { StackBackend, UpOptions, UpResult } from './backend.ts';
import type { Endpoints } from './backend.ts';
import { UsageError } from './errors.ts';
import { dockerBackend } from './docker/backend.ts';
import { localBackend } from './local/backend.ts';

export type { Endpoints, StackBackend } from './backend.ts';

export const BACKEND_NAMES = ['local', 'docker'] as const;

export interface BackendOptions {
  /** docker backend: run this ClickHouse image instead of the project's (`--clickhouse-image`, else CTR_CLICKHOUSE_IMAGE). */
  clickhouseImage?: string;
}

/** The backend by name (`--backend`, else CTR_BACKEND, else local); one sentence when it cannot be had. */
export function stackBackend(name: string = process.env.CTR_BACKEND ?? 'local', opts: BackendOptions = {}): StackBackend {
  const clickhouseImage = opts.clickhouseImage ?? (process.env.CTR_CLICKHOUSE_IMAGE || undefined);
  if (name === 'local') {
    if (opts.clickhouseImage) throw new UsageError('--clickhouse-image goes with --backend docker: the local backend runs the clickhouse binary on this machine.');
    return localBackend;
  }
  if (name === 'docker') return dockerBackend({ clickhouseImage });
  throw new UsageError(`Unknown backend "${name}": use --backend local or docker.`);
}

export interface EnsuredStack extends UpResult {
  backend: StackBackend;
  endpoints: Endpoints;
  /** Stops exactly what this call started (nothing when the stack was already running). */
  release: () => Promise<void>;
}

/** Starts whatever is not running (or repairs it) and hands back a release for what it started. */
export async function ensureStack(backend: StackBackend, opts: UpOptions = {}): Promise<EnsuredStack> {
  const result = await backend.up(opts);
  return {
    ...result,
    backend,
    endpoints: backend.endpoints(),
    release: async () => {
      if (result.startedNow.length > 0) await backend.down({ listener: opts.listener, only: result.startedNow });
    },
  };
}
