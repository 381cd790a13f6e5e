/**
 * A ClickHouse server of the bench's own, beside the stack's: its log at trace level (the Kafka
 * engine's reads and commits are logged there) and its default profile's stream_flush_interval_ms
 * chosen per run, which the stack's shared server cannot change without a restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import getPort from 'get-port';
import { findClickhouse } from '../../stack/clickhouse/binary.ts';
import { renderConfigXml, renderUsersXml, serverArgs } from '../../stack/clickhouse/config.ts';

export interface PrivateServer {
  logFile: string;
  version: string;
  query(sql: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPrivateServer(root: string, streamFlushIntervalMs: number): Promise<PrivateServer> {
  rmSync(root, { recursive: true, force: true });
  const dirs = { data: join(root, 'data/'), tmp: join(root, 'tmp/'), userFiles: join(root, 'user_files/'), formatSchemas: join(root, 'format_schemas/') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const ports = { http: await getPort(), tcp: await getPort() };
  const logFile = join(root, 'clickhouse.log');
  const configFile = join(root, 'config.xml');
  const usersFile = join(root, 'users.xml');
  writeFileSync(configFile, renderConfigXml({ ports, dirs, logFile, errorLogFile: join(root, 'clickhouse.err.log'), usersFile, level: 'trace' }));
  writeFileSync(usersFile, renderUsersXml({ streamFlushIntervalMs }));
  const bin = await findClickhouse();
  const child: ChildProcess = spawn(bin.command, serverArgs(bin.serverArgs, configFile), { cwd: dirs.data, stdio: 'ignore' });
  const query = async (sql: string) => {
    const res = await fetch(`http://127.0.0.1:${ports.http}/`, { method: 'POST', body: sql, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse: ${text.slice(0, 300)}`);
    return text;
  };
  // 18.16 can hang in shutdown while a Kafka table's consumer closes: SIGKILL after 5 s (the
  // bench's server holds nothing worth keeping).
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  for (let i = 0; ; i++) {
    try {
      const version = (await query('SELECT version()')).trim();
      return { logFile, version, query, stop };
    } catch (err) {
      if (child.exitCode !== null || i >= 150) {
        await stop();
        throw new Error(`the bench's own ClickHouse server did not answer (${String(err)}); its log: ${logFile}`);
      }
      await sleep(200);
    }
  }
}
