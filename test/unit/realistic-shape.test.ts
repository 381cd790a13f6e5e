/**
 * The realistic shape's pure parts (ADR 0091, 0092), no services: the extra brokers'
 * server.properties, the cluster id they are formatted with, the second TaskManager's resource
 * id, the profiles and how the CLI reads them, doctor's memory verdict, the replicated topic
 * spec, the bootstrap list and the scrape targets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REALISTIC_TOPIC, replicatedTopic } from '../../src/pipeline/replicated-topics.ts';
import { withDependencies } from '../../src/stack/dependencies.ts';
import { memoryVerdict } from '../../src/stack/doctor.ts';
import { bootstrapServers, lazyEndpoints } from '../../src/stack/endpoints.ts';
import { flinkConfigEntries } from '../../src/stack/flink/config.ts';
import { DEFAULT_PORTS as FLINK_PORTS } from '../../src/stack/flink/service.ts';
import { clusterIdFromMetaProperties, renderBrokerOnlyProperties, renderServerProperties } from '../../src/stack/kafka/config.ts';
import { EXTRA_BROKERS } from '../../src/stack/kafka/extra-broker.ts';
import { DEFAULT_PORTS as KAFKA_PORTS } from '../../src/stack/kafka/service.ts';
import { scrapeTargets } from '../../src/stack/prometheus/config.ts';
import { localOnlyRefusal, profileFromCli, profileServices } from '../../src/stack/profiles.ts';
import { SERVICES } from '../../src/stack/registry.ts';
import { DEFAULT_SERVICE_NAMES, REALISTIC_EXTRA_NAMES, type ServiceName } from '../../src/stack/service.ts';

function props(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]),
  );
}

describe('extra broker server.properties', () => {
  const extra = props(renderBrokerOnlyProperties({ nodeId: 2, brokerPort: 19094, controller: { nodeId: 1, port: 19093 }, dirs: { data: '/s/data/kafka-2' } }));
  const nodeOne = props(renderServerProperties({ ports: { broker: 19092, controller: 19093 }, dirs: { data: '/s/data/kafka' } }));

  it('is a broker only, with its own node id, registering with node 1 as the one voter', () => {
    assert.equal(extra.get('process.roles'), 'broker');
    assert.equal(extra.get('node.id'), '2');
    assert.equal(extra.get('controller.quorum.voters'), '1@127.0.0.1:19093');
    assert.equal(extra.get('controller.listener.names'), 'CONTROLLER');
  });

  it('listens on its own client port only (no controller listener) and keeps its own data dir', () => {
    assert.equal(extra.get('listeners'), 'PLAINTEXT://127.0.0.1:19094');
    assert.equal(extra.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:19094');
    assert.equal(extra.get('log.dirs'), '/s/data/kafka-2');
  });

  it("shares node 1's broker settings (session timeout, thread counts, replication defaults)", () => {
    const roleKeys = new Set(['process.roles', 'node.id', 'controller.quorum.voters', 'listeners', 'advertised.listeners', 'log.dirs']);
    for (const [k, v] of nodeOne) if (!roleKeys.has(k)) assert.equal(extra.get(k), v, k);
    assert.deepEqual([...extra.keys()].sort(), [...nodeOne.keys()].sort());
  });

  it('node 1 is unchanged by the shape: still broker and controller, the only voter', () => {
    assert.equal(nodeOne.get('process.roles'), 'broker,controller');
    assert.equal(nodeOne.get('controller.quorum.voters'), '1@127.0.0.1:19093');
  });
});

describe('cluster id from meta.properties', () => {
  it('reads the id Kafka 3.9 writes', () => {
    const meta = '#\n#Sat Nov 28 01:08:12 UTC 2026\nnode.id=1\ndirectory.id=Ju7dbgGEcfKuxSV69wjXuw\nversion=1\ncluster.id=SE9Y1tRS0zj-TEdEAfE-5g\n';
    assert.equal(clusterIdFromMetaProperties(meta), 'SE9Y1tRS0zj-TEdEAfE-5g');
  });

  it('is undefined when the file names none', () => {
    assert.equal(clusterIdFromMetaProperties('node.id=1\nversion=1\n'), undefined);
  });
});

describe('second TaskManager', () => {
  const base = { ports: { rest: 1, rpc: 2 }, dirs: { tmp: '/t', web: '/w', plugins: '/p', checkpoints: '/c', savepoints: '/s' } };

  it('names itself only when given a resource id (the default TaskManager lets Flink choose)', () => {
    assert.equal(flinkConfigEntries(base).find(([k]) => k === 'taskmanager.resource-id'), undefined);
    assert.deepEqual(
      flinkConfigEntries({ ...base, resourceId: 'ctr-extra-tm-x' }).find(([k]) => k === 'taskmanager.resource-id'),
      ['taskmanager.resource-id', 'ctr-extra-tm-x'],
    );
  });
});

describe('profiles', () => {
  it('default is the seven services of the default stack, without the extras', () => {
    assert.deepEqual(profileServices('default'), DEFAULT_SERVICE_NAMES);
    assert.equal(DEFAULT_SERVICE_NAMES.length, 7);
    for (const extra of REALISTIC_EXTRA_NAMES) assert.ok(!profileServices('default').includes(extra), extra);
  });

  it('realistic adds kafka-2, kafka-3 and flink-taskmanager-2', () => {
    assert.deepEqual([...profileServices('realistic')].sort(), [...DEFAULT_SERVICE_NAMES, 'kafka-2', 'kafka-3', 'flink-taskmanager-2'].sort());
  });

  it('an unknown name gets one sentence listing the valid ones', () => {
    assert.throws(() => profileServices('big'), { name: 'UsageError', message: 'Unknown profile "big": use --profile default or realistic.' });
  });

  it('reads the profile however npm passed it', () => {
    assert.equal(profileFromCli('realistic', undefined, undefined), 'realistic', 'npm run stack -- up --profile realistic');
    assert.equal(profileFromCli(undefined, 'realistic', 'true'), 'realistic', 'npm run stack up --profile realistic (npm took --profile)');
    assert.equal(profileFromCli(undefined, undefined, 'realistic'), 'realistic', 'npm run stack up --profile=realistic');
    assert.equal(profileFromCli(undefined, undefined, undefined), 'default');
    assert.throws(() => profileFromCli(undefined, undefined, 'true'), /--profile needs a name/);
  });

  it('the docker backend refuses the extras in one sentence; the default stack passes', () => {
    assert.match(localOnlyRefusal(profileServices('realistic'), 'docker') ?? '', /local backend only/);
    assert.equal(localOnlyRefusal(profileServices('default'), 'docker'), undefined);
  });

  it('an extra starts with what it joins, and nothing more', () => {
    const names = (n: ServiceName[]) => withDependencies(SERVICES, n).map((s) => s.name);
    assert.deepEqual(names(['kafka-2']), ['kafka', 'kafka-2']);
    assert.deepEqual(names(['flink-taskmanager-2']), ['flink-jobmanager', 'flink-taskmanager-2']);
  });

  it('the extras take default ports no other service defaults to', () => {
    const ports = [...Object.values(KAFKA_PORTS), ...Object.values(FLINK_PORTS), ...EXTRA_BROKERS.flatMap((b) => Object.values(b.defaultPorts))];
    assert.equal(new Set(ports).size, ports.length, ports.join(','));
  });
});

describe('doctor memory', () => {
  it('fails below the default stack, warns below the realistic profile, passes above both', () => {
    assert.equal(memoryVerdict(3000, 5000, 8000).verdict, 'fail');
    const warn = memoryVerdict(6000, 5000, 8000);
    assert.equal(warn.verdict, 'warn');
    assert.match(warn.detail, /not for --profile realistic \(about 8000 MiB/);
    assert.equal(memoryVerdict(9000, 5000, 8000).verdict, 'ok');
    assert.equal(memoryVerdict(undefined, 5000, 8000).verdict, 'warn');
  });

  it('the realistic profile needs more than the default stack: three more services', () => {
    const mb = (names: readonly ServiceName[]) => SERVICES.filter((s) => names.includes(s.name)).reduce((n, s) => n + s.memoryMb, 0);
    assert.ok(mb(profileServices('realistic')) > mb(profileServices('default')));
  });
});

describe('replicated topics and the bootstrap list', () => {
  it('the realistic topic: 6 partitions, 3 copies, min.insync.replicas=2', () => {
    assert.deepEqual(replicatedTopic('t'), { topic: 't', partitions: 6, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    assert.equal(REALISTIC_TOPIC.minInsyncReplicas, REALISTIC_TOPIC.replicationFactor - 1, 'one broker may be down');
    assert.equal(replicatedTopic('t', REALISTIC_TOPIC, { 'retention.ms': '1' }).configs?.['retention.ms'], '1');
  });

  it('lists every broker, node 1 first; one broker without a list; `kafka` is node 1 either way', () => {
    const url = (s: ServiceName) => (s === 'kafka' ? 'h:1' : `h:${s}`);
    const three = lazyEndpoints(url, () => 'kafka:9092', () => ['h:1', 'h:2', 'h:3']);
    assert.equal(three.kafka, 'h:1');
    assert.equal(three.kafkaBootstrap, 'h:1,h:2,h:3');
    assert.equal(bootstrapServers(three, 'internal'), 'h:1,h:2,h:3');
    const one = lazyEndpoints(url, () => 'kafka:9092');
    assert.equal(one.kafkaBootstrap, 'h:1');
    assert.equal(bootstrapServers(one, 'internal'), 'kafka:9092');
    assert.equal(bootstrapServers({ kafka: 'k:1', internal: { kafka: 'k:2' } }), 'k:1', 'hand-made Endpoints fall back to kafka');
  });
});

describe('scrape targets', () => {
  it('include the extras with their own job names while they run', () => {
    const rec = (name: ServiceName, metrics: number) => ({ name, pid: 1, ports: { metrics }, url: '', logFile: '', startedAt: '' });
    const targets = scrapeTargets([rec('kafka', 9404), rec('kafka-2', 9405), rec('flink-taskmanager-2', 9251)]);
    assert.deepEqual(
      targets.map((t) => [t.labels.job, t.targets[0]]),
      [
        ['kafka', '127.0.0.1:9404'],
        ['kafka-2', '127.0.0.1:9405'],
        ['flink-taskmanager-2', '127.0.0.1:9251'],
      ],
    );
  });
});
