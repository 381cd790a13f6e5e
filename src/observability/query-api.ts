/**
 * Prometheus' HTTP query API, the two calls the dashboards and the lab make: a range query (the
 * charts) and an instant query (a figure now). Plain fetch, so the same code runs in the browser
 * (the live dashboard page) and in Node (the lab, the live test). The series come back in one
 * shape, which the recorded run uses too: the page draws recorded and live data alike.
 */
import { legendOf } from './panels.ts';

/** One line on a chart: its legend and [unix seconds, value] points. */
export interface Series {
  legend: string;
  labels: Record<string, string>;
  points: [number, number][];
}

/** Prometheus refused the query (a PromQL error): its own message, which names the position. */
export class QueryError extends Error {}

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: { resultType: 'matrix' | 'vector'; result: { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }[] };
}

async function call(baseUrl: string, path: string, params: Record<string, string>, signal?: AbortSignal): Promise<NonNullable<ApiResponse['data']>> {
  const url = `${baseUrl.replace(/\/$/, '')}${path}?${new URLSearchParams(params).toString()}`;
  const res = await fetch(url, { signal });
  // 400 and 422 carry a JSON body with Prometheus' reason (bad_data: a parse error).
  const body = (await res.json().catch(() => ({ status: 'error', error: `HTTP ${res.status} from ${url}` }))) as ApiResponse;
  if (body.status !== 'success' || !body.data) throw new QueryError(`${body.errorType ? `${body.errorType}: ` : ''}${body.error ?? `HTTP ${res.status}`} (query: ${params.query})`);
  return body.data;
}

const toNumber = (v: string) => (v === 'NaN' ? Number.NaN : Number(v));

/** A range query: one Series per result, its legend filled from the panel's legend template. */
export async function queryRange(baseUrl: string, query: string, opts: { start: number; end: number; stepSeconds: number; legend?: string; signal?: AbortSignal }): Promise<Series[]> {
  const data = await call(baseUrl, '/api/v1/query_range', { query, start: String(opts.start), end: String(opts.end), step: String(opts.stepSeconds) }, opts.signal);
  return data.result.map((r) => ({
    legend: legendOf(opts.legend ?? '', r.metric),
    labels: r.metric,
    points: (r.values ?? []).map(([t, v]) => [t, toNumber(v)] as [number, number]),
  }));
}

/** An instant query: each result's labels and value. */
export async function queryInstant(baseUrl: string, query: string, opts: { time?: number; signal?: AbortSignal } = {}): Promise<{ labels: Record<string, string>; value: number }[]> {
  const data = await call(baseUrl, '/api/v1/query', { query, ...(opts.time === undefined ? {} : { time: String(opts.time) }) }, opts.signal);
  return data.result.map((r) => ({ labels: r.metric, value: toNumber(r.value?.[1] ?? 'NaN') }));
}

/** Prometheus' version, or undefined when nothing answers at baseUrl (no stack running). */
export async function prometheusVersion(baseUrl: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/api/v1/status/buildinfo`, { signal });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { data?: { version?: string } };
    return body.data?.version ?? 'unknown';
  } catch {
    // Connection refused, or a CORS refusal in the browser: both mean "not reachable from here".
    return undefined;
  }
}
