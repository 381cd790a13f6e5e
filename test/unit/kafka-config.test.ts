import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  KAFKA_VERSION,
  brokerArgs,
  clusterIdFromBytes,
  formatArgs,
  producerPerfArgs,
  renderLog4jProperties,
  renderServerProperties,
  versionFromJars,
} from '../../src/stack/kafka/config.ts';

function parseProps(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    assert.ok(i > 0, `not a property line: ${line}`);
    assert.ok(!map.has(line.slice(0, i)), `duplicate key ${line.slice(0, i)}`);
    map.set(line.slice(0, i), line.slice(i + 1));
  }
  return map;
}

describe('kafka server.properties', () => {
  const props = parseProps(renderServerProperties({ ports: { broker: 19092, controller: 19093 }, dirs: { data: '/tmp/stack/data/kafka' } }));

  it('runs one KRaft node as broker and controller', () => {
    assert.equal(props.get('process.roles'), 'broker,controller');
    assert.equal(props.get('node.id'), '1');
    assert.equal(props.get('controller.quorum.voters'), '1@127.0.0.1:19093');
    assert.equal(props.get('controller.listener.names'), 'CONTROLLER');
  });

  it('binds 127.0.0.1 and advertises only the client listener', () => {
    assert.equal(props.get('listeners'), 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    assert.equal(props.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:19092');
  });

  it('keeps data under the given dir', () => {
    assert.equal(props.get('log.dirs'), '/tmp/stack/data/kafka');
  });

  it('fits one broker: replication factors and ISR of 1', () => {
    for (const k of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'transaction.state.log.min.isr', 'default.replication.factor']) {
      assert.equal(props.get(k), '1', k);
    }
  });

  it('never creates topics implicitly and starts groups without delay', () => {
    assert.equal(props.get('auto.create.topics.enable'), 'false');
    assert.equal(props.get('group.initial.rebalance.delay.ms'), '0');
  });

  it('lets a killed broker re-register quickly (short broker session)', () => {
    assert.equal(props.get('broker.session.timeout.ms'), '3000');
    assert.ok(Number(props.get('broker.heartbeat.interval.ms')) < 3000);
  });

  it('allows Flink exactly-once transactions up to 15 minutes', () => {
    assert.equal(props.get('transaction.max.timeout.ms'), '900000');
  });

  it('snapshots its metadata after 16 KiB of records or 5 minutes, so a start replays little (ADR 0124)', () => {
    assert.equal(props.get('metadata.log.max.record.bytes.between.snapshots'), String(16 * 1024));
    assert.equal(props.get('metadata.log.max.snapshot.interval.ms'), '300000');
    assert.equal(props.get('metadata.max.retention.ms'), '3600000');
  });

  it('can enable auto-create and change host and node id', () => {
    const p = parseProps(renderServerProperties({ ports: { broker: 1, controller: 2 }, dirs: { data: '/d' }, host: '127.0.0.2', nodeId: 3, autoCreateTopics: true }));
    assert.equal(p.get('auto.create.topics.enable'), 'true');
    assert.equal(p.get('controller.quorum.voters'), '3@127.0.0.2:2');
  });

  it('escapes backslashes in values', () => {
    const p = parseProps(renderServerProperties({ ports: { broker: 1, controller: 2 }, dirs: { data: 'C:\\data' } }));
    assert.equal(p.get('log.dirs'), 'C:\\\\data');
  });
});

describe('kafka log4j.properties', () => {
  it('logs to stdout and silences the config dump', () => {
    const text = renderLog4jProperties();
    assert.match(text, /^log4j\.rootLogger=INFO, stdout$/m);
    assert.match(text, /^log4j\.appender\.stdout=org\.apache\.log4j\.ConsoleAppender$/m);
    assert.match(text, /^log4j\.logger\.kafka\.server\.KafkaConfig=WARN$/m);
    assert.match(renderLog4jProperties('DEBUG'), /^log4j\.rootLogger=DEBUG, stdout$/m);
  });
});

describe('kafka cluster id', () => {
  it('is 22 base64url characters from 16 bytes', () => {
    const id = clusterIdFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i + 1));
    assert.equal(id, 'AQIDBAUGBwgJCgsMDQ4PEA');
    assert.match(id ?? '', /^[A-Za-z0-9_-]{22}$/);
  });

  it('rejects ids that start with "-" and the zero id', () => {
    const dash = new Uint8Array(16);
    dash[0] = 0xf8; // base64url '-' is index 62: 111110xx
    assert.equal(clusterIdFromBytes(dash), undefined);
    assert.equal(clusterIdFromBytes(new Uint8Array(16)), undefined);
  });

  it('needs exactly 16 bytes', () => {
    assert.throws(() => clusterIdFromBytes(new Uint8Array(8)));
  });
});

describe('kafka version and command lines', () => {
  it('reads the version from the kafka_2.13 jar name', () => {
    assert.equal(versionFromJars(['/c/jars/kafka/kafka-clients-3.9.1.jar', '/c/jars/kafka/kafka_2.13-3.9.1.jar']), '3.9.1');
    assert.equal(versionFromJars(['/c/kafka-clients-3.9.1.jar']), undefined);
    assert.equal(versionFromJars([`/x/kafka_2.13-${KAFKA_VERSION}.jar`]), KAFKA_VERSION);
  });

  const base = { jarDir: '/c/jars/kafka', log4jFile: '/s/conf/kafka/log4j.properties', logsDir: '/s/logs' };

  it('starts kafka.Kafka with a fixed heap and the jar dir wildcard', () => {
    const args = brokerArgs({ ...base, serverProperties: '/s/conf/kafka/server.properties' });
    assert.deepEqual(args.slice(0, 2), ['-Xms512m', '-Xmx512m']);
    assert.equal(args[args.indexOf('-cp') + 1], '/c/jars/kafka/*');
    assert.ok(args.includes('-Dlog4j.configuration=file:/s/conf/kafka/log4j.properties'));
    assert.deepEqual(args.slice(-2), ['kafka.Kafka', '/s/conf/kafka/server.properties']);
  });

  it('formats storage idempotently', () => {
    const args = formatArgs({ ...base, serverProperties: '/p', clusterId: 'abc' });
    const i = args.indexOf('kafka.tools.StorageTool');
    assert.deepEqual(args.slice(i), ['kafka.tools.StorageTool', 'format', '-t', 'abc', '-c', '/p', '--ignore-formatted']);
  });
});

describe('kafka producer perf command line', () => {
  it('runs ProducerPerformance against the broker with the given props', () => {
    const args = producerPerfArgs({ jarDir: '/j', log4jFile: '/l', logsDir: '/o', brokers: '127.0.0.1:9092', topic: 't', numRecords: 1000, recordSize: 100, producerProps: { acks: 'all' } });
    const i = args.indexOf('org.apache.kafka.tools.ProducerPerformance');
    assert.ok(i > 0);
    assert.deepEqual(args.slice(i + 1), ['--topic', 't', '--num-records', '1000', '--record-size', '100', '--throughput', '-1', '--producer-props', 'bootstrap.servers=127.0.0.1:9092', 'acks=all']);
    assert.ok(args.includes('-Xmx256m'));
  });
});
