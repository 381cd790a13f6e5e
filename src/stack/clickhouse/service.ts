/**
 * The local ClickHouse backend: a `clickhouse` binary on PATH (`clickhouse server`), else
 * Debian's `clickhouse-server` (18.16), run in the foreground (it does not fork: the pid we
 * spawn is the server) with a generated config under .stack/ — never the package's
 * /var/lib/clickhouse. Listens on 127.0.0.1 only: HTTP (8123) and native TCP (9000).
 *
 * Readiness is a real check: GET /ping answers "Ok." and `SELECT version()` answers.
 * Stop: SIGTERM, then SIGKILL after 20 s (with a Kafka table whose broker is gone, 18.16
 * takes ~15 s to stop; with the broker up ~8 s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../health.ts';
import { stackPaths } from '../paths.ts';
import { takePort } from '../ports.ts';
import { spawnService, stopPid } from '../process.ts';
import type { HealthReport, ServiceRecord, ServiceSpec } from '../service.ts';
import { findClickhouse } from './binary.ts';
import { ping, serverVersion } from './client.ts';
import { type ClickhouseDirs, renderConfigXml, renderUsersXml, serverArgs } from './config.ts';

export const DEFAULT_PORTS = { http: 8123, tcp: 9000 } as const;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;

export interface ClickhouseLayout {
  confDir: string;
  configFile: string;
  usersFile: string;
  dirs: ClickhouseDirs;
  logFile: string;
  errorLogFile: string;
}

export function clickhouseLayout(): ClickhouseLayout {
  const confDir = stackPaths.conf('clickhouse');
  const base = stackPaths.data('clickhouse');
  const logFile = stackPaths.log('clickhouse');
  return {
    confDir,
    configFile: join(confDir, 'config.xml'),
    usersFile: join(confDir, 'users.xml'),
    dirs: { data: join(base, 'data'), tmp: join(base, 'tmp'), userFiles: join(base, 'user_files'), formatSchemas: join(base, 'format_schemas') },
    logFile,
    errorLogFile: logFile.replace(/\.log$/, '.err.log'),
  };
}

export const clickhouseService: ServiceSpec = {
  name: 'clickhouse',
  dependsOn: [],
  // Measured RSS: ~75 MB idle, ~90 MB with Kafka tables (18.16); caches capped at 256 MB each.
  memoryMb: 512,
  async start(ctx) {
    const bin = await findClickhouse();
    const http = await takePort(ctx, 'clickhouse', 'http', DEFAULT_PORTS.http, 'ClickHouse HTTP');
    const tcp = await takePort(ctx, 'clickhouse', 'tcp', DEFAULT_PORTS.tcp, 'ClickHouse native TCP');
    const layout = clickhouseLayout();
    for (const d of [layout.confDir, ...Object.values(layout.dirs)]) mkdirSync(d, { recursive: true });
    writeFileSync(
      layout.configFile,
      renderConfigXml({ ports: { http, tcp }, dirs: layout.dirs, logFile: layout.logFile, errorLogFile: layout.errorLogFile, usersFile: layout.usersFile, host: HOST }),
    );
    writeFileSync(layout.usersFile, renderUsersXml());

    // The server's own logger writes to logFile too; stdout/stderr (two start-up lines, or a
    // crash before the logger is up) are appended to the same file.
    const pid = spawnService({ command: bin.command, args: serverArgs(bin.serverArgs, layout.configFile), logFile: layout.logFile, cwd: layout.dirs.data });
    ctx.spawned(pid);

    const url = `http://${HOST}:${http}`;
    await waitFor(() => ping(url), { what: `GET ${url}/ping answering Ok.`, service: 'clickhouse', timeoutMs: START_TIMEOUT_MS, intervalMs: 100, pid, logFile: layout.logFile });
    const version = await serverVersion(url);
    return { name: 'clickhouse', pid, ports: { http, tcp }, url, logFile: layout.logFile, version, startedAt: new Date().toISOString() };
  },
  async health(rec: ServiceRecord): Promise<HealthReport> {
    const ok = await ping(rec.url);
    if (!ok) return { ok: false, detail: `${rec.url}/ping did not answer Ok.` };
    const version = await serverVersion(rec.url);
    return { ok: true, detail: 'Ok.', version };
  },
  async stop(rec: ServiceRecord): Promise<void> {
    await stopPid(rec.pid, STOP_GRACE_MS);
  },
};
