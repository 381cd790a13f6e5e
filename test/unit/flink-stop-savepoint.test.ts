/**
 * Stop-with-savepoint: which savepoint failures are retried, and that a declined stop is triggered
 * again while the job runs. The JobManager is a fake HTTP server on 127.0.0.1 that answers the
 * three calls stopWithSavepoint makes, with the bodies Flink 1.20.3 returns.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { FlinkRestClient, parseSavepointStatus, STOP_ATTEMPTS } from '../../src/stack/flink/rest-client.ts';

// The failure CI saw (stop 28): the savepoint's trigger reached a task that was finishing.
const TASK_CLOSING =
  'java.util.concurrent.CompletionException: org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint was declined (task is closing)\n\tat java.base/java.util.concurrent.CompletableFuture.encodeRelay(CompletableFuture.java:368)\n\tat java.base/java.util.concurrent.CompletableFuture.completeRelay(CompletableFuture.java:377)\n\tat more';
const DISK_FULL = 'java.util.concurrent.CompletionException: java.io.IOException: No space left on device\n\tat x';

const completed = (operation: Record<string, unknown>) => ({ status: { id: 'COMPLETED' }, operation });
const failed = (trace: string) => completed({ 'failure-cause': { class: 'java.util.concurrent.CompletionException', 'stack-trace': trace } });

describe('parseSavepointStatus', () => {
  it('an unfinished savepoint is pending', () => {
    assert.deepEqual(parseSavepointStatus({ status: { id: 'IN_PROGRESS' } }), { kind: 'pending' });
  });

  it('a written savepoint gives its location', () => {
    assert.deepEqual(parseSavepointStatus(completed({ location: 'file:/tmp/sp/savepoint-1' })), { kind: 'written', location: 'file:/tmp/sp/savepoint-1' });
  });

  it('a decline because a task is closing is a passing one, with the first three lines of the trace', () => {
    const o = parseSavepointStatus(failed(TASK_CLOSING));
    assert.equal(o.kind, 'declined');
    assert.ok(o.kind === 'declined' && o.message.includes('(task is closing)') && !o.message.includes('at more'), JSON.stringify(o));
  });

  it('a checkpoint request for a task its TaskManager has already dropped is a passing one', () => {
    const unknown = 'org.apache.flink.runtime.checkpoint.CheckpointException: TaskManager received a checkpoint request for unknown task af26_1b62_0_0. Failure reason: Task local checkpoint failure.\n\tat x';
    assert.equal(parseSavepointStatus(failed(unknown)).kind, 'declined');
  });

  it('a trigger that failed because a source coordinator\'s events were still in flight is a passing one', () => {
    const inFlight =
      'org.apache.flink.runtime.checkpoint.CheckpointException: Trigger checkpoint failure.\n\tat x\nCaused by: org.apache.flink.util.FlinkException: Failing OperatorCoordinator checkpoint because some OperatorEvents before this checkpoint barrier were not received by the target tasks.\n\tat y';
    assert.equal(parseSavepointStatus(failed(inFlight)).kind, 'declined');
  });

  it('any other failure is not retried', () => {
    assert.equal(parseSavepointStatus(failed(DISK_FULL)).kind, 'failed');
    assert.equal(parseSavepointStatus(completed({})).kind, 'failed');
  });
});

/**
 * A JobManager whose first `declines` stops are declined because a task is closing. With
 * `finishingFor`, its job's details show a vertex whose input has ended but which has not finished
 * for that many reads, and `detailsReadBeforeStop` tells how many reads came before the first stop.
 */
function fakeJobManager(declines: number, jobState = 'RUNNING', finishingFor = 0): Promise<{ url: string; stops: () => number; detailsReadBeforeStop: () => number; server: Server }> {
  let stops = 0;
  let detailsRead = 0;
  let detailsReadBeforeStop = -1;
  const vertex = (id: string, finished: number) => ({ id, name: id, parallelism: 1, status: finished ? 'FINISHED' : 'RUNNING', tasks: { FINISHED: finished } });
  const server = createServer((req, res) => {
    if (req.url === '/jobs/j1' && stops === 0) detailsReadBeforeStop = ++detailsRead;
    if (req.url === '/jobs/j1' && finishingFor > 0) {
      const dedupFinished = detailsRead > finishingFor ? 1 : 0;
      return res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ jid: 'j1', state: jobState, vertices: [vertex('src', 1), vertex('dedup', dedupFinished)], plan: { nodes: [{ id: 'src' }, { id: 'dedup', inputs: [{ id: 'src', ship_strategy: 'HASH' }] }] } }),
      );
    }
    const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'POST' && req.url === '/jobs/j1/stop') {
      stops++;
      return send({ 'request-id': `t${stops}` });
    }
    const trigger = /^\/jobs\/j1\/savepoints\/t(\d+)$/.exec(req.url ?? '');
    if (trigger) return send(Number(trigger[1]) <= declines ? failed(TASK_CLOSING) : completed({ location: `file:/sp/${trigger[1]}` }));
    if (req.url === '/jobs/j1') return send({ jid: 'j1', state: jobState });
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, stops: () => stops, detailsReadBeforeStop: () => detailsReadBeforeStop, server })));
}

describe('stopWithSavepoint', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));
  const opts = { drain: true, targetDirectory: 'file:///tmp/sp', retryDelayMs: 10 };

  it('triggers the stop again after a passing decline, and returns the savepoint', async () => {
    const jm = await fakeJobManager(1);
    servers.push(jm.server);
    assert.equal(await new FlinkRestClient(jm.url).stopWithSavepoint('j1', opts), 'file:/sp/2');
    assert.equal(jm.stops(), 2);
  });

  it(`gives up after ${STOP_ATTEMPTS} declined stops, and says how many it tried`, async () => {
    const jm = await fakeJobManager(STOP_ATTEMPTS);
    servers.push(jm.server);
    await assert.rejects(new FlinkRestClient(jm.url).stopWithSavepoint('j1', opts), new RegExp(`attempt ${STOP_ATTEMPTS}\\): .*task is closing`));
    assert.equal(jm.stops(), STOP_ATTEMPTS);
  });

  it('waits until a vertex whose input has ended has finished before it triggers the stop', async () => {
    const jm = await fakeJobManager(0, 'RUNNING', 3);
    servers.push(jm.server);
    assert.equal(await new FlinkRestClient(jm.url).stopWithSavepoint('j1', opts), 'file:/sp/1');
    assert.equal(jm.detailsReadBeforeStop(), 4, 'three reads saw the vertex finishing, the fourth saw it finished');
    assert.equal(jm.stops(), 1);
  });

  it('does not trigger again when the job is no longer running', async () => {
    const jm = await fakeJobManager(1, 'FINISHED');
    servers.push(jm.server);
    await assert.rejects(new FlinkRestClient(jm.url).stopWithSavepoint('j1', opts), /stop-with-savepoint failed: .*task is closing/);
    assert.equal(jm.stops(), 1);
  });
});
