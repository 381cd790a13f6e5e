import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kafkaEngineTableSql, renderConfigXml, renderUsersXml, serverArgs, xmlEscape } from '../../src/stack/clickhouse/config.ts';

const opts = {
  ports: { http: 18123, tcp: 19000 },
  dirs: { data: '/s/data/clickhouse/data', tmp: '/s/data/clickhouse/tmp/', userFiles: '/s/uf', formatSchemas: '/s/fs' },
  logFile: '/s/logs/clickhouse.log',
  errorLogFile: '/s/logs/clickhouse.err.log',
  usersFile: '/s/conf/clickhouse/users.xml',
};

function tag(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1] ?? '');
}

describe('clickhouse config.xml', () => {
  const xml = renderConfigXml(opts);

  it('is a <yandex> document (read by 18.16 and current releases)', () => {
    assert.match(xml, /^<\?xml version="1.0"\?>/);
    assert.equal(tag(xml, 'yandex').length, 0);
    assert.match(xml, /<yandex>[\s\S]*<\/yandex>\s*$/);
  });

  it('listens on 127.0.0.1 only, on the given ports, and has no interserver port', () => {
    assert.deepEqual(tag(xml, 'listen_host'), ['127.0.0.1']);
    assert.deepEqual(tag(xml, 'http_port'), ['18123']);
    assert.deepEqual(tag(xml, 'tcp_port'), ['19000']);
    assert.doesNotMatch(xml, /interserver/);
  });

  it('keeps every path under the stack dir, directories ending with a slash', () => {
    assert.deepEqual(tag(xml, 'path'), ['/s/data/clickhouse/data/']);
    assert.deepEqual(tag(xml, 'tmp_path'), ['/s/data/clickhouse/tmp/']);
    assert.deepEqual(tag(xml, 'user_files_path'), ['/s/uf/']);
    assert.deepEqual(tag(xml, 'format_schema_path'), ['/s/fs/']);
    assert.deepEqual(tag(xml, 'users_config'), ['/s/conf/clickhouse/users.xml']);
    assert.deepEqual(tag(xml, 'log'), ['/s/logs/clickhouse.log']);
    assert.doesNotMatch(xml, /\/var\/lib\/clickhouse/);
  });

  it('makes Kafka engine consumers start from the earliest offset', () => {
    assert.deepEqual(tag(xml, 'auto_offset_reset'), ['smallest']);
  });

  it('lets a restarted consumer rejoin its group within seconds (6 s sessions, 1 s heartbeats)', () => {
    assert.deepEqual(tag(xml, 'session_timeout_ms'), ['6000']);
    assert.ok(Number(tag(xml, 'heartbeat_interval_ms')[0]) < 6000 / 3);
  });

  it('runs in UTC without console logging', () => {
    assert.deepEqual(tag(xml, 'timezone'), ['UTC']);
    assert.deepEqual(tag(xml, 'console'), ['0']);
  });

  it('escapes XML in paths', () => {
    assert.match(renderConfigXml({ ...opts, logFile: '/a&b/<x>.log' }), /<log>\/a&amp;b\/&lt;x&gt;\.log<\/log>/);
    assert.equal(xmlEscape('"&"'), '&quot;&amp;&quot;');
  });
});

describe('clickhouse users.xml', () => {
  it('has a passwordless default user limited to loopback', () => {
    const xml = renderUsersXml();
    assert.deepEqual(tag(xml, 'ip'), ['127.0.0.1', '::1']);
    assert.deepEqual(tag(xml, 'password'), ['']);
  });

  it('flushes Kafka engine blocks every 500 ms unless told otherwise', () => {
    assert.deepEqual(tag(renderUsersXml(), 'stream_flush_interval_ms'), ['500']);
    assert.deepEqual(tag(renderUsersXml({ streamFlushIntervalMs: 7500 }), 'stream_flush_interval_ms'), ['7500']);
  });
});

describe('clickhouse command line and SQL', () => {
  it('passes the config file after the binary arguments', () => {
    assert.deepEqual(serverArgs(['server'], '/c/config.xml'), ['server', '--config-file=/c/config.xml']);
    assert.deepEqual(serverArgs([], '/c/config.xml'), ['--config-file=/c/config.xml']);
  });

  it('renders a Kafka engine table in the SETTINGS form', () => {
    const sql = kafkaEngineTableSql({ table: 'q', columns: 'a String', brokers: '127.0.0.1:9092', topic: "t'1", group: 'g' });
    assert.match(sql, /^CREATE TABLE q \(a String\)\nENGINE = Kafka SETTINGS\n/);
    assert.match(sql, /kafka_topic_list = 't\\'1',/);
    assert.match(sql, /kafka_format = 'JSONEachRow',/);
    assert.match(sql, /kafka_row_delimiter = '\\n'$/);
  });
});
