/**
 * `npm run stack env` (what every runbook evals) and the lock that keeps two stack commands from
 * starting everything twice.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ENV_NAMES, formatExports, stackEnv } from '../../src/stack/env.ts';
import { acquireLock } from '../../src/stack/lock.ts';
import { stackPaths } from '../../src/stack/paths.ts';
import type { ServiceName, ServiceRecord } from '../../src/stack/service.ts';
import type { StackState } from '../../src/stack/state.ts';
import { useTempStackDir } from './fixtures/temp-stack-dir.ts';

const stackDir = useTempStackDir('ctr-env-lock-');

const rec = (name: ServiceName, url: string): ServiceRecord => ({ name, pid: 1, ports: {}, url, logFile: '/x.log', startedAt: 'now' });
const state = (names: ServiceName[]): StackState => {
  const urls: Partial<Record<ServiceName, string>> = { kafka: '127.0.0.1:9092', clickhouse: 'http://127.0.0.1:8123', 'flink-jobmanager': 'http://127.0.0.1:8081', 'flink-taskmanager': 'http://127.0.0.1:8081', 'sql-gateway': 'http://127.0.0.1:8083', prometheus: 'http://127.0.0.1:9090', 'pipeline-exporter': 'http://127.0.0.1:9464' };
  return { backend: 'local', updatedAt: 'now', services: Object.fromEntries(names.map((n) => [n, rec(n, urls[n] ?? '')])) };
};

describe('stack env', () => {
  it('exports every variable a runbook uses, for the running stack', () => {
    const env = stackEnv(state(['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway']));
    assert.ok(env);
    assert.deepEqual(Object.keys(env).sort(), [...ENV_NAMES].sort());
    assert.equal(env.KAFKA, '127.0.0.1:9092');
    assert.equal(env.FLINK_REST, 'http://127.0.0.1:8081');
    assert.equal(env.CTR_STACK_DIR, stackDir());
  });

  it('is undefined when a service a runbook needs is not recorded', () => {
    assert.equal(stackEnv(state(['kafka', 'clickhouse', 'flink-jobmanager'])), undefined);
  });

  it('quotes values so the shell reads them back exactly, quotes and spaces included', () => {
    const env = { KAFKA: "it's", FLINK_REST: 'a b', SQL_GATEWAY: '$HOME', CLICKHOUSE: '`x`', KAFKA_CP: '/j/*', CTR_STACK_DIR: '"q"', PROMETHEUS: 'http://p' };
    const script = `${formatExports(env)}\nprintf '%s\\n' "$KAFKA" "$FLINK_REST" "$SQL_GATEWAY" "$CLICKHOUSE" "$KAFKA_CP" "$CTR_STACK_DIR"`;
    const out = spawnSync('sh', ['-c', script], { encoding: 'utf8' }).stdout;
    assert.deepEqual(out.trimEnd().split('\n'), ["it's", 'a b', '$HOME', '`x`', '/j/*', '"q"']);
  });
});

describe('the stack lock', () => {
  it('is taken, refused to another live process, and released', async () => {
    const release = acquireLock();
    assert.equal(readFileSync(stackPaths.lock(), 'utf8'), String(process.pid));
    // Another process holding it: a live pid written by someone else.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(stackPaths.lock(), String(other.pid));
      assert.throws(() => acquireLock(), new RegExp(`Another stack command is running \\(pid ${other.pid}\\): wait for it to finish`));
    } finally {
      other.kill('SIGKILL');
    }
    writeFileSync(stackPaths.lock(), String(process.pid));
    release();
    assert.equal(existsSync(stackPaths.lock()), false);
  });

  it('left behind by a dead process, it is taken over', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(stackPaths.lock(), gone);
    const release = acquireLock();
    assert.equal(readFileSync(stackPaths.lock(), 'utf8'), String(process.pid));
    release();
  });
});
