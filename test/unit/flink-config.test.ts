/**
 * Rendering of the local Flink cluster's config and JVM command lines. The memory flags are
 * checked against what Flink's own BashJavaUtils printed for the rendered config.yaml
 * (test/unit/fixtures/flink/bash-java-utils-{tm,jm}.txt, captured with Flink 1.20.3).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  DEFAULT_JM_MEMORY,
  DEFAULT_TM_MEMORY,
  flinkConfigEntries,
  type FlinkConfigInput,
  JAVA17_OPENS,
  javaArgs,
  javaEnv,
  jmProcessMb,
  jvmMemoryArgs,
  MAIN_CLASS,
  parseBashJavaUtils,
  renderConfigYaml,
  renderLog4jProperties,
  tmProcessMb,
} from '../../src/stack/flink/config.ts';

const input: FlinkConfigInput = {
  ports: { rest: 18081, rpc: 16123, gateway: 18083 },
  dirs: { tmp: '/s/data/flink/tmp', web: '/s/data/flink/web', plugins: '/s/data/flink/plugins', checkpoints: '/s/data/flink/checkpoints', savepoints: '/s/data/flink/savepoints' },
};

function text(name: string): string {
  return readFileSync(new URL(`./fixtures/flink/${name}`, import.meta.url), 'utf8');
}

/** config.yaml as a flat map (every line is `key: value`; values are JSON scalars). */
function parseFlatYaml(yaml: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of yaml.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(': ');
    out[line.slice(0, i)] = JSON.parse(line.slice(i + 2));
  }
  return out;
}

describe('config.yaml', () => {
  const conf = parseFlatYaml(renderConfigYaml(input));

  it('binds every listener to 127.0.0.1', () => {
    for (const k of ['jobmanager.rpc.address', 'jobmanager.bind-host', 'taskmanager.host', 'taskmanager.bind-host', 'rest.address', 'rest.bind-address', 'sql-gateway.endpoint.rest.address', 'sql-gateway.endpoint.rest.bind-address']) {
      assert.equal(conf[k], '127.0.0.1', k);
    }
  });

  it('uses the chosen ports; the rest are left to the OS (0)', () => {
    assert.equal(conf['rest.port'], 18081);
    assert.equal(conf['jobmanager.rpc.port'], 16123);
    assert.equal(conf['sql-gateway.endpoint.rest.port'], 18083);
    assert.equal(conf['taskmanager.rpc.port'], '0');
    assert.equal(conf['taskmanager.data.port'], 0);
    assert.equal(conf['blob.server.port'], '0');
  });

  it("hands the planner's generated code to the compiler unsplit, on the gateway only (ADR 0114)", () => {
    assert.equal(conf['table.generated-code.max-length'], 2_147_483_647);
    const jm = parseFlatYaml(renderConfigYaml({ ...input, ports: { ...input.ports, gateway: undefined } }));
    assert.equal(jm['table.generated-code.max-length'], undefined);
  });

  it('keeps working dirs under the stack dir', () => {
    assert.equal(conf['io.tmp.dirs'], '/s/data/flink/tmp');
    assert.equal(conf['web.upload.dir'], '/s/data/flink/web');
    assert.equal(conf['execution.checkpointing.dir'], 'file:///s/data/flink/checkpoints');
    assert.equal(conf['execution.checkpointing.savepoint-dir'], 'file:///s/data/flink/savepoints');
  });

  it('notices a dead TaskManager within seconds: heartbeats every 2 s, and a 10 s timeout above them', () => {
    assert.equal(conf['heartbeat.interval'], 2000);
    assert.equal(conf['heartbeat.timeout'], 10000);
    assert.ok(Number(conf['heartbeat.timeout']) >= 3 * Number(conf['heartbeat.interval']));
  });

  it('omits the gateway keys when no gateway port is given', () => {
    const keys = flinkConfigEntries({ ...input, ports: { rest: 1, rpc: 2 } }).map(([k]) => k);
    assert.ok(!keys.some((k) => k.startsWith('sql-gateway.')));
  });

  it('slots and cpu cores follow the slot count; a complete TaskManager resource spec', () => {
    const c = parseFlatYaml(renderConfigYaml({ ...input, slots: 3 }));
    assert.equal(c['taskmanager.numberOfTaskSlots'], 3);
    assert.equal(c['taskmanager.cpu.cores'], 3);
    for (const k of ['task.heap.size', 'task.off-heap.size', 'network.min', 'network.max', 'managed.size']) assert.ok(`taskmanager.memory.${k}` in c, k);
  });

  it('quotes values so paths with odd characters stay valid YAML', () => {
    const yaml = renderConfigYaml({ ...input, dirs: { ...input.dirs, tmp: '/a b/#c: d' } });
    assert.equal(parseFlatYaml(yaml)['io.tmp.dirs'], '/a b/#c: d');
  });
});

describe('memory', () => {
  it('adds up to a 1 GiB JobManager and a 1.5 GiB TaskManager', () => {
    assert.equal(jmProcessMb(DEFAULT_JM_MEMORY), 1024);
    assert.equal(tmProcessMb(DEFAULT_TM_MEMORY), 1536);
  });

  it('TaskManager JVM flags equal what BashJavaUtils GET_TM_RESOURCE_PARAMS computed', () => {
    const flink = parseBashJavaUtils(text('bash-java-utils-tm.txt'));
    assert.deepEqual(jvmMemoryArgs('taskmanager'), flink.jvmArgs);
    // ...and the sizes Flink derived are the ones config.yaml states.
    const conf = parseFlatYaml(renderConfigYaml(input));
    const bytes = (mb: unknown) => `${Number(String(mb).replace('m', '')) * 1024 * 1024}b`;
    for (const k of ['framework.heap.size', 'task.heap.size', 'framework.off-heap.size', 'task.off-heap.size', 'network.min', 'network.max', 'managed.size', 'jvm-metaspace.size', 'jvm-overhead.min', 'jvm-overhead.max']) {
      assert.equal(flink.dynamicProperties[`taskmanager.memory.${k}`], bytes(conf[`taskmanager.memory.${k}`]), k);
    }
    assert.equal(flink.dynamicProperties['taskmanager.cpu.cores'], '2.0');
  });

  it('JobManager JVM flags equal what BashJavaUtils GET_JM_RESOURCE_PARAMS computed', () => {
    assert.deepEqual(jvmMemoryArgs('jobmanager'), parseBashJavaUtils(text('bash-java-utils-jm.txt')).jvmArgs);
  });

  it('parseBashJavaUtils refuses output without its two result lines', () => {
    assert.throws(() => parseBashJavaUtils('some log line\n'), /expected 2/);
  });
});

describe('java command lines', () => {
  const base = { confDir: '/s/conf/x', classpath: ['/j/a.jar', '/j/b.jar'], logFile: '/s/logs/x.log' };

  it('JobManager: memory, Java 17 opens, log4j, classpath, entrypoint, --configDir', () => {
    const args = javaArgs({ role: 'jobmanager', ...base });
    for (const o of JAVA17_OPENS) assert.ok(args.includes(o), o);
    assert.ok(args.includes('-Dlog4j.configurationFile=file:/s/conf/x/log4j.properties'));
    assert.ok(args.includes('-Dlog.file=/s/logs/x.log'));
    const cp = args.indexOf('-classpath');
    assert.equal(args[cp + 1], '/j/a.jar:/j/b.jar');
    assert.equal(args[cp + 2], MAIN_CLASS.jobmanager);
    assert.deepEqual(args.slice(cp + 3), ['--configDir', '/s/conf/x', '--executionMode', 'cluster']);
    assert.ok(args.indexOf('-Xmx469762048') < cp, 'JVM options come before the main class');
  });

  it('TaskManager: its own memory flags and --configDir', () => {
    const args = javaArgs({ role: 'taskmanager', ...base });
    assert.ok(args.includes('-XX:MaxDirectMemorySize=234881024'));
    assert.deepEqual(args.slice(-3), [MAIN_CLASS.taskmanager, '--configDir', '/s/conf/x']);
  });

  it('SQL Gateway: no --configDir (it reads FLINK_CONF_DIR)', () => {
    const args = javaArgs({ role: 'gateway', ...base, gatewayHeapMb: 256 });
    assert.equal(args[args.length - 1], MAIN_CLASS.gateway);
    assert.ok(args.includes('-Xmx256m'));
    assert.deepEqual(javaEnv('/s/conf/x', '/s/plugins'), { FLINK_CONF_DIR: '/s/conf/x', FLINK_PLUGINS_DIR: '/s/plugins' });
  });

  it('the Java 17 list matches Flink 1.20 (8 exports, 12 opens)', () => {
    assert.equal(JAVA17_OPENS.filter((o) => o.startsWith('--add-exports=')).length, 8);
    assert.equal(JAVA17_OPENS.filter((o) => o.startsWith('--add-opens=')).length, 12);
  });
});

describe('log4j', () => {
  it('logs to the console (the service log file) at the chosen level', () => {
    const p = renderLog4jProperties('WARN');
    assert.match(p, /^rootLogger\.level = WARN$/m);
    assert.match(p, /^appender\.console\.type = CONSOLE$/m);
    assert.doesNotMatch(p, /RollingFile/);
  });
});
