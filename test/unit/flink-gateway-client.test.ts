/**
 * The SQL Gateway client's response handling, against JSON captured from a real
 * Flink 1.20.3 SQL Gateway (REST v3, rowFormat=JSON) in test/unit/fixtures/flink/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  abbreviate,
  accumulate,
  emptyResult,
  gatewayErrorFromBody,
  isTerminal,
  parseJavaExceptionChain,
  parseOperationHandle,
  parseOperationStatus,
  parseResultPage,
  parseSessionHandle,
  pollDelays,
  rowsAsObjects,
  SqlGatewayError,
  summarizeGatewayErrors,
} from '../../src/stack/flink/gateway-client.ts';
import { parseOverview, parseRootException, parseTaskManagers } from '../../src/stack/flink/rest-client.ts';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/flink/${name}`, import.meta.url), 'utf8'));
}

function errorsOf(name: string): string[] {
  return (fixture(name) as { errors: string[] }).errors;
}

describe('SQL Gateway handles', () => {
  it('reads the session and operation handles', () => {
    assert.equal(parseSessionHandle(fixture('open-session.json')), 'c683b16a-0a4c-4ea0-8e00-09fa688dd1f6');
    assert.equal(parseOperationHandle(fixture('execute-statement.json')), '29cdfc25-b696-4fd3-ad15-3c9ace67c5c4');
  });

  it('rejects an unexpected shape with the body in the message', () => {
    assert.throws(() => parseSessionHandle({ foo: 1 }), (e: unknown) => e instanceof SqlGatewayError && e.message.includes('"foo":1'));
  });

  it('reads operation statuses and knows which are terminal', () => {
    assert.equal(parseOperationStatus(fixture('status-running.json')), 'RUNNING');
    assert.equal(parseOperationStatus(fixture('status-finished.json')), 'FINISHED');
    assert.equal(parseOperationStatus(fixture('status-error.json')), 'ERROR');
    assert.equal(parseOperationStatus(fixture('close-session.json')), 'CLOSED');
    assert.equal(isTerminal('RUNNING'), false);
    assert.equal(isTerminal('PENDING'), false);
    assert.equal(isTerminal('FINISHED'), true);
    assert.equal(isTerminal('ERROR'), true);
  });
});

describe('result pages', () => {
  it('NOT_READY: no rows, the next URI repeats the same token', () => {
    const page = parseResultPage(fixture('fetch-not-ready.json'));
    assert.equal(page.resultType, 'NOT_READY');
    assert.deepEqual(page.rows, []);
    assert.match(page.nextResultUri ?? '', /\/result\/0\?rowFormat=JSON$/);
  });

  it('DDL: one OK row, then EOS without a next URI', () => {
    const p1 = parseResultPage(fixture('fetch-ddl-payload.json'));
    assert.equal(p1.resultType, 'PAYLOAD');
    assert.equal(p1.resultKind, 'SUCCESS');
    assert.equal(p1.isQueryResult, false);
    assert.deepEqual(p1.rows, [{ kind: 'INSERT', fields: ['OK'] }]);
    assert.match(p1.nextResultUri ?? '', /\/result\/1\?rowFormat=JSON$/);
    const p2 = parseResultPage(fixture('fetch-ddl-eos.json'));
    assert.equal(p2.resultType, 'EOS');
    assert.equal(p2.nextResultUri, undefined);
  });

  it('SELECT: pages accumulate into columns, rows and the job id', () => {
    const pages = ['fetch-not-ready.json', 'fetch-select-payload-empty.json', 'fetch-select-payload-rows.json', 'fetch-select-eos.json'].map((f) => parseResultPage(fixture(f)));
    const result = pages.reduce(accumulate, emptyResult());
    assert.equal(result.complete, true);
    assert.equal(result.isQueryResult, true);
    assert.equal(result.jobId, '302ecd42fe16826a3da1b76875333704');
    assert.equal(result.resultKind, 'SUCCESS_WITH_CONTENT');
    assert.deepEqual(result.columns.map((c) => `${c.name}:${c.logicalType.type}`), ['id:BIGINT', 'name:VARCHAR']);
    assert.equal(result.rows.length, 10);
    assert.deepEqual(result.rows[0], { kind: 'INSERT', fields: [1, 'ad58'] });
    assert.deepEqual(rowsAsObjects(result)[9], { id: 10, name: '230a' });
  });

  it('a result cut short (no EOS yet) is not complete', () => {
    const pages = ['fetch-select-payload-empty.json', 'fetch-select-payload-rows.json'].map((f) => parseResultPage(fixture(f)));
    assert.equal(pages.reduce(accumulate, emptyResult()).complete, false);
  });

  it('INSERT: the job id comes back both as jobID and as the single result row', () => {
    const page = parseResultPage(fixture('fetch-insert-payload.json'));
    assert.equal(page.jobId, '7aea5648155bf42639c58bbd7168f881');
    assert.equal(page.isQueryResult, false);
    assert.deepEqual(page.columns.map((c) => c.name), ['job id']);
    assert.deepEqual(page.rows, [{ kind: 'INSERT', fields: ['7aea5648155bf42639c58bbd7168f881'] }]);
  });

  it('DESCRIBE of a Kafka table: the connector loaded, columns as objects', () => {
    const page = parseResultPage(fixture('fetch-describe-payload.json'));
    assert.deepEqual(
      rowsAsObjects(page).map((r) => [r.name, r.type]),
      [
        ['event_id', 'STRING'],
        ['ts', 'BIGINT'],
      ],
    );
  });

  it('changelog rows keep their kind', () => {
    const objs = rowsAsObjects({
      columns: [{ name: 'c', logicalType: { type: 'BIGINT', nullable: false }, comment: null }],
      rows: [
        { kind: 'UPDATE_BEFORE', fields: [1] },
        { kind: 'UPDATE_AFTER', fields: [2] },
      ],
    });
    assert.deepEqual(objs, [
      { c: 1, $kind: 'UPDATE_BEFORE' },
      { c: 2, $kind: 'UPDATE_AFTER' },
    ]);
  });

  it('an error body on a result fetch throws the SQL error', () => {
    assert.throws(() => parseResultPage(fixture('error-parse.json')), (e: unknown) => e instanceof SqlGatewayError && /SQL parse failed/.test(e.message));
  });
});

describe('gateway errors', () => {
  it('splits the Java exception chain, dropping frames', () => {
    const chain = parseJavaExceptionChain(errorsOf('error-parse.json')[1] ?? '');
    assert.deepEqual(
      chain.map((e) => e.className.split('.').pop()),
      ['SqlGatewayException', 'SqlGatewayException', 'SqlExecutionException', 'SqlParserException', 'SqlParseException', 'CalciteException'],
    );
    assert.ok(chain.every((e) => !e.message.includes('\tat ')));
  });

  it('parse error: the SqlParserException line, not the gateway wrappers', () => {
    const s = summarizeGatewayErrors(errorsOf('error-parse.json'));
    assert.equal(s.message, 'SqlParserException: SQL parse failed. Non-query expression encountered in illegal context');
    assert.equal(s.rootCause, 'Non-query expression encountered in illegal context');
  });

  it('unknown table: validation message with the position', () => {
    const s = summarizeGatewayErrors(errorsOf('error-unknown-table.json'));
    assert.equal(s.message, "ValidationException: SQL validation failed. From line 1, column 15 to line 1, column 18: Object 'nope' not found");
    assert.equal(s.rootCause, "Object 'nope' not found");
  });

  it('unknown format: the outer message plus the root cause, multi-line messages kept in the chain', () => {
    const s = summarizeGatewayErrors(errorsOf('error-unknown-format.json'));
    assert.equal(
      s.message,
      "ValidationException: Unable to create a source for reading table 'default_catalog.default_database.k2'. (caused by ValidationException: Could not find any factory for identifier 'jsonn' that implements 'org.apache.flink.table.factories.DeserializationFormatFactory' in the classpath.)",
    );
    const root = s.chain[s.chain.length - 1];
    assert.match(root?.message ?? '', /Available factory identifiers are:[\s\S]*\njson\n/);
  });

  it('missing session: only wrappers, so the deepest message wins', () => {
    const s = summarizeGatewayErrors(errorsOf('error-no-session.json'));
    assert.equal(s.message, "SqlGatewayException: Session '00000000-0000-0000-0000-000000000000' does not exist.");
  });

  it('errors without a stack trace are joined as they are', () => {
    assert.equal(summarizeGatewayErrors(['Not found: /v3/nope']).message, 'Not found: /v3/nope');
    assert.equal(summarizeGatewayErrors([]).message, 'unknown SQL Gateway error');
  });

  it('the thrown error names the statement and keeps the trace', () => {
    const err = gatewayErrorFromBody(500, fixture('error-unknown-table.json'), 'fetch results', 'SELECT *\n  FROM nope');
    assert.equal(err.detail.httpStatus, 500);
    assert.match(err.message, /^Flink SQL failed: ValidationException: .*Object 'nope' not found \(statement: SELECT \* FROM nope\)$/);
    assert.match(err.detail.serverTrace ?? '', /FetchResultsHandler/);
    const other = gatewayErrorFromBody(404, 'plain text', 'close session');
    assert.equal(other.message, 'SQL Gateway close session failed: plain text');
  });

  it('abbreviates long statements to one line', () => {
    assert.equal(abbreviate('SELECT\n  a\nFROM t'), 'SELECT a FROM t');
    assert.equal(abbreviate('x'.repeat(150)).length, 100);
  });
});

describe('JobManager REST parsing', () => {
  it('overview (captured from 1.20.3)', () => {
    const o = parseOverview({
      taskmanagers: 1,
      'slots-total': 2,
      'slots-available': 2,
      'jobs-running': 0,
      'jobs-finished': 0,
      'jobs-cancelled': 0,
      'jobs-failed': 0,
      'flink-version': '1.20.3',
      'flink-commit': '01e3a6d',
    });
    assert.deepEqual(o, { taskmanagers: 1, slotsTotal: 2, slotsAvailable: 2, jobsRunning: 0, version: '1.20.3' });
    assert.throws(() => parseOverview({ errors: ['Not found'] }));
  });

  it('taskmanagers: id, rpc port from the pekko path, data port, slots', () => {
    const [tm] = parseTaskManagers({
      taskmanagers: [
        {
          id: '127.0.0.1:16124-72e871',
          path: 'pekko.tcp://flink@127.0.0.1:16124/user/rpc/taskmanager_0',
          dataPort: 16125,
          jmxPort: -1,
          timeSinceLastHeartbeat: 0,
          slotsNumber: 2,
          freeSlots: 1,
        },
      ],
    });
    assert.deepEqual(tm, { id: '127.0.0.1:16124-72e871', rpcPort: 16124, dataPort: 16125, slotsNumber: 2, freeSlots: 1 });
    assert.deepEqual(parseTaskManagers({ taskmanagers: [] }), []);
  });

  it('root exception: the last Caused by', () => {
    const text = 'org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat x\nCaused by: org.apache.kafka.common.errors.TimeoutException: Topic t not present in metadata after 60000 ms.\n\tat y';
    assert.equal(parseRootException({ 'root-exception': text }), 'org.apache.kafka.common.errors.TimeoutException: Topic t not present in metadata after 60000 ms.');
    assert.equal(parseRootException({ 'root-exception': null }), undefined);
  });
});

describe('pollDelays', () => {
  it('starts at 10 ms, doubles up to the cap, and starts over after a reset', () => {
    const d = pollDelays(200);
    assert.deepEqual([d.next(), d.next(), d.next(), d.next(), d.next(), d.next(), d.next()], [10, 20, 40, 80, 160, 200, 200]);
    d.reset();
    assert.equal(d.next(), 10);
    assert.deepEqual([pollDelays(5).next()], [5], 'a cap below 10 ms is the cap');
  });
});
