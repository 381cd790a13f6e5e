/**
 * A small client for Prometheus' HTTP API (/api/v1): what the stack's health check, the alert
 * tests, the observability lab and the live dashboard ask. Typed to the fields they read.
 */

export interface Sample {
  metric: Record<string, string>;
  /** [unix seconds, value as text] */
  value: [number, string];
}

export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface TargetInfo {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export interface AlertInfo {
  labels: Record<string, string> & { alertname: string };
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export interface RuleInfo {
  name: string;
  type: 'alerting' | 'recording';
  query: string;
  duration?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  health: string;
  lastError?: string;
  state?: 'inactive' | 'pending' | 'firing';
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}

export class PrometheusClient {
  constructor(
    readonly url: string,
    private readonly timeoutMs = 5_000,
  ) {}

  private async get<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const qs = new URLSearchParams(params).toString();
    const res = await fetch(`${this.url}${path}${qs ? `?${qs}` : ''}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    const body = (await res.json()) as ApiAnswer<T>;
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.errorType ?? 'error'}: ${body.error ?? `HTTP ${res.status}`}`);
    return body.data;
  }

  /** GET /-/ready answers 200 once the TSDB is open and the rules are loaded. */
  async ready(): Promise<boolean> {
    const res = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(this.timeoutMs) });
    return res.ok;
  }

  async query(expr: string, time?: number): Promise<Sample[]> {
    const data = await this.get<{ resultType: string; result: Sample[] }>('/api/v1/query', { query: expr, ...(time ? { time: String(time) } : {}) });
    if (data.resultType !== 'vector') throw new Error(`Prometheus: "${expr}" gives a ${data.resultType}, not an instant vector`);
    return data.result;
  }

  async queryRange(expr: string, start: number, end: number, stepS: number): Promise<RangeSeries[]> {
    const data = await this.get<{ result: RangeSeries[] }>('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(stepS) });
    return data.result;
  }

  async targets(): Promise<TargetInfo[]> {
    return (await this.get<{ activeTargets: TargetInfo[] }>('/api/v1/targets', { state: 'active' })).activeTargets;
  }

  async alerts(): Promise<AlertInfo[]> {
    return (await this.get<{ alerts: AlertInfo[] }>('/api/v1/alerts')).alerts;
  }

  async rules(): Promise<RuleInfo[]> {
    return (await this.get<{ groups: { rules: RuleInfo[] }[] }>('/api/v1/rules')).groups.flatMap((g) => g.rules);
  }

  /** Series in the head block: how many series the stack's scrapes keep. */
  async seriesCount(): Promise<number> {
    return (await this.get<{ headStats: { numSeries: number } }>('/api/v1/status/tsdb')).headStats.numSeries;
  }

  async buildVersion(): Promise<string> {
    return (await this.get<{ version: string }>('/api/v1/status/buildinfo')).version;
  }
}
