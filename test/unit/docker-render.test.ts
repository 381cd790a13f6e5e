/**
 * The container backend's pure parts, without an engine: the container configs (the local
 * renderings with the network's addresses), image tags, Docker's log framing and stats.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerUsage } from '../../src/stack/docker/backend.ts';
import { demuxLogs, exitDescription } from '../../src/stack/docker/logs.ts';
import { imageTag } from '../../src/stack/docker/images.ts';
import { clickhousePlan, flinkConfigYaml, flinkPlan, INTERNAL_KAFKA, kafkaPlan, kafkaServerProperties, overrideProperties, shellQuote } from '../../src/stack/docker/render.ts';
import { renderServerProperties } from '../../src/stack/kafka/config.ts';
import { SPLIT_READER_PATCH_JAR } from '../../src/stack/flink/classpath.ts';

function props(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    assert.ok(!map.has(line.slice(0, i)), `duplicate key ${line.slice(0, i)}`);
    map.set(line.slice(0, i), line.slice(i + 1));
  }
  return map;
}

function yaml(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
}

describe('kafka in a container', () => {
  const p = props(kafkaServerProperties(41234));

  it('advertises the network alias to the stack and 127.0.0.1:<published port> to the host', () => {
    assert.equal(p.get('advertised.listeners'), 'INTERNAL://kafka:19092,EXTERNAL://127.0.0.1:41234');
    assert.equal(p.get('listeners'), 'INTERNAL://0.0.0.0:19092,EXTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093');
    assert.equal(p.get('inter.broker.listener.name'), 'INTERNAL');
    assert.equal(p.get('listener.security.protocol.map'), 'INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT');
    assert.equal(INTERNAL_KAFKA, 'kafka:19092');
  });

  it('keeps every other setting of the local rendering', () => {
    const local = props(renderServerProperties({ ports: { broker: 9092, controller: 9093 }, dirs: { data: '/var/lib/ctr/data' }, host: 'kafka' }));
    const changed = ['listeners', 'advertised.listeners', 'listener.security.protocol.map', 'inter.broker.listener.name', 'controller.quorum.voters'];
    for (const [k, v] of local) if (!changed.includes(k)) assert.equal(p.get(k), v, k);
    assert.equal(p.size, local.size);
  });

  it('formats the data dir once, then execs the broker as pid 1', () => {
    const plan = kafkaPlan({ externalHostPort: 41234, clusterId: 'abcdefghijklmnopqrstuv' });
    const [shell, flag, script] = plan.command;
    assert.deepEqual([shell, flag], ['bash', '-c']);
    assert.match(script ?? '', /^set -e; \[ -f \/var\/lib\/ctr\/data\/meta\.properties \] \|\| java .*kafka\.tools\.StorageTool format -t abcdefghijklmnopqrstuv .*; exec java .*kafka\.Kafka \/etc\/ctr\/server\.properties$/);
    assert.match(script ?? '', /-cp '\/opt\/jars\/\*'/, 'the classpath wildcard is quoted for the shell, expanded by the JVM');
    assert.deepEqual(plan.files.map((f) => f.target), ['/etc/ctr/server.properties', '/etc/ctr/log4j.properties']);
  });
});

describe('overrideProperties', () => {
  it('replaces keys in place, appends new ones, keeps comments and the final newline', () => {
    assert.equal(overrideProperties('# c\na=1\nb=2\n', { b: '3', c: '4' }), '# c\na=1\nb=3\nc=4\n');
  });
});

describe('flink in containers', () => {
  it('binds every interface and names the network aliases', () => {
    const jm = yaml(flinkConfigYaml('flink-jobmanager'));
    assert.equal(jm.get('jobmanager.rpc.address'), '"jobmanager"');
    assert.equal(jm.get('jobmanager.bind-host'), '"0.0.0.0"');
    assert.equal(jm.get('rest.address'), '"jobmanager"');
    assert.equal(jm.get('rest.bind-address'), '"0.0.0.0"');
    assert.equal(jm.get('taskmanager.host'), '"taskmanager"');
    assert.equal(jm.get('execution.checkpointing.dir'), '"file:///stack-shared/checkpoints"');
    assert.equal(jm.has('sql-gateway.endpoint.rest.port'), false);
    const gw = yaml(flinkConfigYaml('sql-gateway'));
    assert.equal(gw.get('sql-gateway.endpoint.rest.port'), '8083');
    assert.equal(gw.get('sql-gateway.endpoint.rest.bind-address'), '"0.0.0.0"');
  });

  it('runs java with the image jars in sorted order and the gateway finds its conf through FLINK_CONF_DIR', () => {
    const plan = flinkPlan('sql-gateway', ['b.jar', 'a.jar']);
    assert.equal(plan.command[0], 'java');
    const cp = plan.command[plan.command.indexOf('-classpath') + 1];
    assert.equal(cp, '/opt/jars/a.jar:/opt/jars/b.jar');
    assert.equal(plan.command.at(-1), 'org.apache.flink.table.gateway.SqlGateway');
    assert.equal(plan.env.FLINK_CONF_DIR, '/etc/ctr');
    assert.throws(() => flinkPlan('kafka', []), /not a Flink service/);
  });

  it('puts the Kafka split reader patch first on the class path, ahead of the connector it overrides (ADR 0122)', () => {
    const plan = flinkPlan('flink-taskmanager', ['flink-connector-kafka-3.4.0-1.20.jar', SPLIT_READER_PATCH_JAR, 'a.jar']);
    const cp = plan.command[plan.command.indexOf('-classpath') + 1];
    assert.equal(cp, `/opt/jars/${SPLIT_READER_PATCH_JAR}:/opt/jars/a.jar:/opt/jars/flink-connector-kafka-3.4.0-1.20.jar`);
  });

  it('compiles long methods on the TaskManager only: the gateway hands it generated code unsplit (ADR 0114)', () => {
    assert.ok(flinkPlan('flink-taskmanager', ['a.jar']).command.includes('-XX:-DontCompileHugeMethods'));
    assert.ok(!flinkPlan('sql-gateway', ['a.jar']).command.includes('-XX:-DontCompileHugeMethods'));
    assert.equal(flinkConfigYaml('sql-gateway').includes('table.generated-code.max-length: 2147483647'), true);
  });
});

describe('clickhouse in a container', () => {
  it('listens on all interfaces, logs to stdout too, and lets the host in', () => {
    const plan = clickhousePlan();
    assert.deepEqual(plan.command, ['/usr/sbin/clickhouse-server', '--config-file=/etc/ctr/config.xml']);
    const config = plan.files.find((f) => f.target.endsWith('config.xml'))?.content ?? '';
    assert.match(config, /<listen_host>0\.0\.0\.0<\/listen_host>/);
    assert.match(config, /<console>1<\/console>/);
    const users = plan.files.find((f) => f.target.endsWith('users.xml'))?.content ?? '';
    assert.match(users, /<networks>\s*<ip>::\/0<\/ip>\s*<\/networks>/);
    const official = clickhousePlan('official').command;
    assert.deepEqual(official.slice(0, 2), ['bash', '-c']);
    assert.match(official[2] ?? '', /^mkdir -p \/var\/lib\/ctr\/data .* \/var\/log\/ctr && exec clickhouse server --config-file=\/etc\/ctr\/config\.xml$/);
  });
});

describe('image tags', () => {
  const input = { name: 'flink' as const, dockerfile: '/d', jars: ['/c/b.jar', '/c/a.jar'] };
  const tag = (sizes: Record<string, number>, text = 'FROM x') => imageTag(input, (p) => sizes[p] ?? 0, () => text);

  it('change with the Dockerfile, a jar or its size, not with the order the jars come in', () => {
    const base = tag({ '/c/a.jar': 1, '/c/b.jar': 2 });
    assert.match(base, /^ctr-labs\/flink:[0-9a-f]{12}$/);
    assert.equal(imageTag({ ...input, jars: ['/c/a.jar', '/c/b.jar'] }, (p) => ({ '/c/a.jar': 1, '/c/b.jar': 2 })[p] ?? 0, () => 'FROM x'), base);
    assert.notEqual(tag({ '/c/a.jar': 1, '/c/b.jar': 3 }), base);
    assert.notEqual(tag({ '/c/a.jar': 1, '/c/b.jar': 2 }, 'FROM y'), base);
  });
});

describe('docker engine answers', () => {
  it('demultiplexes a log stream and passes a TTY stream through', () => {
    const frame = (stream: number, text: string) => {
      const head = Buffer.alloc(8);
      head[0] = stream;
      head.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([head, Buffer.from(text)]);
    };
    assert.equal(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')])), 'out\nerr\n');
    assert.equal(demuxLogs(Buffer.from('plain text\n')), 'plain text\n');
  });

  it('reads CPU seconds and memory without the droppable page cache', () => {
    assert.deepEqual(containerUsage({ cpu_stats: { cpu_usage: { total_usage: 2_500_000_000 } }, memory_stats: { usage: 300, stats: { inactive_file: 100 } } }), { cpuSeconds: 2.5, rssBytes: 200 });
    assert.equal(containerUsage({}), undefined);
  });

  it('says how a container ended', () => {
    assert.equal(exitDescription({ Status: 'exited', ExitCode: 137 }), 'exited with code 137 (killed)');
    assert.equal(exitDescription({ Status: 'exited', ExitCode: 137, OOMKilled: true }), 'exited with code 137 (out of memory)');
  });
});

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    assert.equal(shellQuote('-Xmx512m'), '-Xmx512m');
    assert.equal(shellQuote('/opt/jars/*'), "'/opt/jars/*'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
  });
});
