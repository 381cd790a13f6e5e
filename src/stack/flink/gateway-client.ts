/**
 * A client for the Flink SQL Gateway REST API (v3 paths, JSON row format).
 *
 *   const gw = new SqlGatewayClient('http://127.0.0.1:8083');
 *   const session = await gw.openSession({ 'execution.runtime-mode': 'streaming' });
 *   await session.execute("CREATE TABLE t (...) WITH ('connector' = 'kafka', ...)");
 *   const { jobId } = await session.execute('INSERT INTO sink SELECT ...');   // returns once submitted
 *   const { rows } = await session.execute('SELECT ...', { maxRows: 10 });
 *   await session.close();
 *
 * The response handling is pure (parse* functions below) and unit-tested against JSON
 * captured from a real 1.20.3 gateway (test/unit/fixtures/flink/).
 */
import { afterWarmup } from './warmup-gate.ts';

export type ResultType = 'NOT_READY' | 'PAYLOAD' | 'EOS';
export type ResultKind = 'SUCCESS' | 'SUCCESS_WITH_CONTENT';
export type RowKind = 'INSERT' | 'UPDATE_BEFORE' | 'UPDATE_AFTER' | 'DELETE';
export type OperationStatus = 'INITIALIZED' | 'PENDING' | 'RUNNING' | 'FINISHED' | 'CANCELED' | 'CLOSED' | 'ERROR' | 'TIMEOUT';

const TERMINAL: ReadonlySet<OperationStatus> = new Set(['FINISHED', 'CANCELED', 'CLOSED', 'ERROR', 'TIMEOUT']);

export interface Column {
  name: string;
  logicalType: { type: string; nullable: boolean; [more: string]: unknown };
  comment: string | null;
}

export interface Row {
  kind: RowKind;
  fields: unknown[];
}

/** One page of GET .../result/:token, normalised. */
export interface ResultPage {
  resultType: ResultType;
  isQueryResult: boolean;
  /** Present once a job was submitted: for SELECT and for INSERT (the INSERT's result row is this id too). */
  jobId?: string;
  resultKind?: ResultKind;
  columns: Column[];
  rows: Row[];
  /** Path (e.g. /v3/sessions/.../result/1?rowFormat=JSON) of the next page; absent after EOS. */
  nextResultUri?: string;
}

export interface StatementResult {
  columns: Column[];
  rows: Row[];
  jobId?: string;
  resultKind?: ResultKind;
  isQueryResult: boolean;
  /** True when the result ended (EOS); false when maxRows or the timeout cut a streaming result short. */
  complete: boolean;
}

/** One exception of a Java "Caused by" chain as the gateway prints it. */
export interface JavaException {
  className: string;
  message: string;
}

/** A failed gateway call. `message` is the useful line; `serverTrace` keeps the whole Java stack trace. */
export class SqlGatewayError extends Error {
  constructor(
    message: string,
    readonly detail: {
      httpStatus?: number;
      /** The deepest "Caused by" message (first line). */
      rootCause?: string;
      chain?: JavaException[];
      serverTrace?: string;
      statement?: string;
    } = {},
  ) {
    super(message);
    this.name = 'SqlGatewayError';
  }
}

// ---------------------------------------------------------------- pure response handling

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Exceptions that only wrap the real problem ("Failed to fetchResults.", "Failed to execute the operation ..."). */
const WRAPPER = /(?:SqlGatewayException|SqlExecutionException|CompletionException|ExecutionException|RestHandlerException|UndeclaredThrowableException|InvocationTargetException)$/;

/**
 * Splits a Java stack trace into its exception chain: the first line and each "Caused by:",
 * with their (possibly multi-line) messages; frames ("\tat ...", "\t... 50 more") and
 * "Suppressed:" blocks are dropped.
 */
export function parseJavaExceptionChain(trace: string): JavaException[] {
  const chain: JavaException[] = [];
  let current: JavaException | undefined;
  let inFrames = false;
  for (const raw of trace.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('<Exception on server side:') || line.startsWith('End of exception on server side')) continue;
    const header = /^(?:Caused by: )?([a-zA-Z_$][\w$]*(?:\.[\w$]+)+(?:Exception|Error|Throwable|[A-Z][\w$]*))(?:: ?(.*))?$/.exec(line);
    if (header && (chain.length === 0 || line.startsWith('Caused by: '))) {
      current = { className: header[1] ?? '', message: header[2] ?? '' };
      chain.push(current);
      inFrames = false;
      continue;
    }
    if (/^\s/.test(line) || line.startsWith('Caused by: ')) {
      // "\tat ...", "\t... 12 more", "\tSuppressed: ..." and anything indented: frames.
      inFrames = true;
      continue;
    }
    if (current && !inFrames) current.message += `\n${line}`;
  }
  for (const e of chain) e.message = e.message.trimEnd();
  return chain;
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? '';
}

function simpleName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}

/**
 * Turns the gateway's `{"errors": ["Internal server error.", "<Exception on server side: ...>"]}`
 * into one readable message: the first exception that is not a gateway wrapper (e.g.
 * "SqlParserException: SQL parse failed. ..."), plus the root cause when it adds something.
 */
export function summarizeGatewayErrors(errors: readonly string[]): { message: string; rootCause?: string; chain: JavaException[]; serverTrace?: string } {
  const trace = errors.find((e) => e.includes('Exception on server side') || /\n\tat /.test(e));
  const plain = errors.filter((e) => e !== trace && e.trim() !== '' && e !== 'Internal server error.');
  if (!trace) {
    const message = (plain.length > 0 ? plain : errors).join('; ') || 'unknown SQL Gateway error';
    return { message, chain: [] };
  }
  const chain = parseJavaExceptionChain(trace);
  const root = chain[chain.length - 1];
  const main = chain.find((e) => !WRAPPER.test(e.className)) ?? root;
  if (!main || !root) return { message: plain.join('; ') || firstLine(trace), chain, serverTrace: trace };
  const rootLine = firstLine(root.message) || simpleName(root.className);
  let message = `${simpleName(main.className)}: ${firstLine(main.message)}`;
  if (root !== main && !main.message.includes(rootLine)) message += ` (caused by ${simpleName(root.className)}: ${rootLine})`;
  return { message, rootCause: rootLine, chain, serverTrace: trace };
}

/** The error for a non-2xx response (or a 2xx carrying `errors`). */
export function gatewayErrorFromBody(httpStatus: number, body: unknown, what: string, statement?: string): SqlGatewayError {
  const errors = isRecord(body) && Array.isArray(body.errors) ? body.errors.map(String) : [typeof body === 'string' ? body : JSON.stringify(body)];
  const s = summarizeGatewayErrors(errors);
  const head = statement ? `Flink SQL failed: ${s.message} (statement: ${abbreviate(statement)})` : `SQL Gateway ${what} failed: ${s.message}`;
  return new SqlGatewayError(head, {
    httpStatus,
    rootCause: s.rootCause,
    chain: s.chain,
    serverTrace: s.serverTrace,
    statement,
  });
}

/** A statement on one line, cut at 100 characters, for error messages. */
export function abbreviate(statement: string, max = 100): string {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function shapeError(what: string, body: unknown): SqlGatewayError {
  return new SqlGatewayError(`SQL Gateway ${what}: unexpected response ${JSON.stringify(body).slice(0, 300)}`);
}

export function parseSessionHandle(body: unknown): string {
  if (isRecord(body) && typeof body.sessionHandle === 'string') return body.sessionHandle;
  throw shapeError('open session', body);
}

export function parseOperationHandle(body: unknown): string {
  if (isRecord(body) && typeof body.operationHandle === 'string') return body.operationHandle;
  throw shapeError('execute statement', body);
}

export function parseOperationStatus(body: unknown): OperationStatus {
  if (isRecord(body) && typeof body.status === 'string') return body.status as OperationStatus;
  throw shapeError('operation status', body);
}

export function isTerminal(status: OperationStatus): boolean {
  return TERMINAL.has(status);
}

export function parseResultPage(body: unknown): ResultPage {
  if (!isRecord(body)) throw shapeError('fetch results', body);
  if (Array.isArray(body.errors)) throw gatewayErrorFromBody(200, body, 'fetch results');
  const resultType = body.resultType;
  if (resultType !== 'NOT_READY' && resultType !== 'PAYLOAD' && resultType !== 'EOS') throw shapeError('fetch results', body);
  const results = isRecord(body.results) ? body.results : {};
  return {
    resultType,
    isQueryResult: body.isQueryResult === true,
    jobId: typeof body.jobID === 'string' ? body.jobID : undefined,
    resultKind: body.resultKind === 'SUCCESS' || body.resultKind === 'SUCCESS_WITH_CONTENT' ? body.resultKind : undefined,
    columns: Array.isArray(results.columns) ? (results.columns as Column[]) : [],
    rows: Array.isArray(results.data) ? (results.data as Row[]) : [],
    nextResultUri: typeof body.nextResultUri === 'string' ? body.nextResultUri : undefined,
  };
}

/** Folds pages into one result. Pure: the fetch loop and the tests share it. */
export function accumulate(into: StatementResult, page: ResultPage): StatementResult {
  return {
    columns: page.columns.length > 0 ? page.columns : into.columns,
    rows: page.rows.length > 0 ? [...into.rows, ...page.rows] : into.rows,
    jobId: page.jobId ?? into.jobId,
    resultKind: page.resultKind ?? into.resultKind,
    isQueryResult: into.isQueryResult || page.isQueryResult,
    complete: page.resultType === 'EOS',
  };
}

export function emptyResult(): StatementResult {
  return { columns: [], rows: [], isQueryResult: false, complete: false };
}

/** Rows as objects keyed by column name (a changelog row's kind is kept under `$kind` when not INSERT). */
export function rowsAsObjects(result: Pick<StatementResult, 'columns' | 'rows'>): Record<string, unknown>[] {
  return result.rows.map((row) => {
    const obj: Record<string, unknown> = {};
    result.columns.forEach((c, i) => {
      obj[c.name] = row.fields[i];
    });
    if (row.kind !== 'INSERT') obj.$kind = row.kind;
    return obj;
  });
}

// ---------------------------------------------------------------- HTTP

export interface ClientOptions {
  /** Per-request timeout. */
  requestTimeoutMs?: number;
  /** The longest wait between NOT_READY polls (they start at 10 ms and double: pollDelays). */
  pollIntervalMs?: number;
}

export interface ExecuteOptions {
  /** Session-level config for this statement only (e.g. { 'pipeline.name': 'ctr' }). */
  executionConfig?: Record<string, string>;
  /** Give up waiting for the result after this long (default 120 s). */
  timeoutMs?: number;
  /** Stop reading a (streaming) result after this many rows; the operation is then closed. */
  maxRows?: number;
  onPage?: (page: ResultPage) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits between polls of one operation: 10 ms, then doubling up to `maxMs`. Most DDL answers
 * within a few milliseconds, and a fixed 200 ms pause per statement cost phase 1's 14 setup
 * statements about 3 s (issue 13's profile); long operations still settle at one poll per `maxMs`.
 */
export function pollDelays(maxMs: number): { next: () => number; reset: () => void } {
  let delay = Math.min(10, maxMs);
  return {
    next: () => {
      const d = delay;
      delay = Math.min(delay * 2, maxMs);
      return d;
    },
    reset: () => {
      delay = Math.min(10, maxMs);
    },
  };
}

export class SqlGatewayClient {
  readonly baseUrl: string;
  private readonly requestTimeoutMs: number;
  readonly pollIntervalMs: number;

  constructor(baseUrl: string, opts: ClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 200;
  }

  /** Calls the gateway; throws SqlGatewayError with the server's message on a non-2xx answer. */
  async request(method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, what: string, statement?: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new SqlGatewayError(`SQL Gateway ${what} failed: ${this.baseUrl} did not answer (${why}); is the stack up (npm run stack up)?`, { statement });
    }
    const text = await res.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      /* not JSON: keep the text for the error */
    }
    if (!res.ok) throw gatewayErrorFromBody(res.status, json, what, statement);
    return json;
  }

  async info(): Promise<{ productName: string; version: string }> {
    const body = await this.request('GET', '/v1/info', undefined, 'info');
    if (isRecord(body) && typeof body.version === 'string') return { productName: String(body.productName), version: body.version };
    throw shapeError('info', body);
  }

  async openSession(properties: Record<string, string> = {}, sessionName?: string): Promise<SqlGatewaySession> {
    const body = await this.request('POST', '/v3/sessions', { properties, ...(sessionName ? { sessionName } : {}) }, 'open session');
    return new SqlGatewaySession(this, parseSessionHandle(body));
  }
}

export class SqlGatewaySession {
  constructor(
    readonly client: SqlGatewayClient,
    readonly handle: string,
  ) {}

  private get base(): string {
    return `/v3/sessions/${this.handle}`;
  }

  /** Submits one statement; returns its operation handle. Waits first for a warm-up of this gateway still in flight (warmup.ts). */
  async executeStatement(statement: string, opts: Pick<ExecuteOptions, 'executionConfig'> = {}): Promise<string> {
    await afterWarmup(this.client.baseUrl);
    return this.submitUnwaited(statement, opts);
  }

  /** executeStatement without waiting for a warm-up: the warm-up's own statements. */
  async submitUnwaited(statement: string, opts: Pick<ExecuteOptions, 'executionConfig'> = {}): Promise<string> {
    const payload = { statement, ...(opts.executionConfig ? { executionConfig: opts.executionConfig } : {}) };
    return parseOperationHandle(await this.client.request('POST', `${this.base}/statements`, payload, 'execute statement', statement));
  }

  async status(operation: string): Promise<OperationStatus> {
    return parseOperationStatus(await this.client.request('GET', `${this.base}/operations/${operation}/status`, undefined, 'operation status'));
  }

  /** Polls the status until it is terminal (FINISHED, ERROR, ...) or the timeout passes. */
  async waitForStatus(operation: string, timeoutMs = 120_000): Promise<OperationStatus> {
    const deadline = Date.now() + timeoutMs;
    const delays = pollDelays(this.client.pollIntervalMs);
    for (;;) {
      const s = await this.status(operation);
      if (isTerminal(s)) return s;
      if (Date.now() >= deadline) throw new SqlGatewayError(`SQL Gateway: operation ${operation} still ${s} after ${Math.round(timeoutMs / 1000)} s`);
      await sleep(delays.next());
    }
  }

  /** One page by token or by the nextResultUri of the previous page. */
  async fetchPage(operation: string, tokenOrUri: number | string = 0, statement?: string): Promise<ResultPage> {
    const path = typeof tokenOrUri === 'number' ? `${this.base}/operations/${operation}/result/${tokenOrUri}?rowFormat=JSON` : tokenOrUri;
    return parseResultPage(await this.client.request('GET', path, undefined, 'fetch results', statement));
  }

  /**
   * Follows nextResultUri from token 0: NOT_READY pages are polled again after a pause,
   * PAYLOAD pages are collected, EOS ends. A failed statement surfaces here as a
   * SqlGatewayError carrying the SQL error (parse, validation, missing connector...).
   */
  async fetchResults(operation: string, opts: ExecuteOptions = {}, statement?: string): Promise<StatementResult> {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    let acc = emptyResult();
    let next: number | string | undefined = 0;
    const delays = pollDelays(this.client.pollIntervalMs);
    while (next !== undefined) {
      const page: ResultPage = await this.fetchPage(operation, next, statement);
      opts.onPage?.(page);
      acc = accumulate(acc, page);
      if (page.resultType === 'EOS') return acc;
      if (opts.maxRows !== undefined && acc.rows.length >= opts.maxRows) {
        await this.closeOperation(operation).catch(() => {});
        return { ...acc, rows: acc.rows.slice(0, opts.maxRows), complete: false };
      }
      if (Date.now() >= deadline) {
        if (acc.isQueryResult && acc.rows.length > 0) return acc;
        throw new SqlGatewayError(`SQL Gateway: no complete result within ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s`, { statement });
      }
      if (page.resultType === 'NOT_READY' || page.rows.length === 0) await sleep(delays.next());
      else delays.reset();
      next = page.nextResultUri;
    }
    return acc;
  }

  /**
   * executeStatement + fetchResults. For INSERT it returns once the job is submitted, with
   * `jobId` (follow the job on the JobManager REST API); for DDL, SUCCESS/OK.
   */
  async execute(statement: string, opts: ExecuteOptions = {}): Promise<StatementResult> {
    const op = await this.executeStatement(statement, opts);
    return this.fetchResults(op, opts, statement);
  }

  async cancelOperation(operation: string): Promise<OperationStatus> {
    return parseOperationStatus(await this.client.request('POST', `${this.base}/operations/${operation}/cancel`, {}, 'cancel operation'));
  }

  async closeOperation(operation: string): Promise<OperationStatus> {
    return parseOperationStatus(await this.client.request('DELETE', `${this.base}/operations/${operation}/close`, undefined, 'close operation'));
  }

  async close(): Promise<void> {
    await this.client.request('DELETE', `/v3/sessions/${this.handle}`, undefined, 'close session');
  }
}
