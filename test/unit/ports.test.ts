import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, test } from 'node:test';
import { choosePort, takePort } from '../../src/stack/ports.ts';
import type { StartContext } from '../../src/stack/service.ts';

const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

function listen(port = 0): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, '127.0.0.1', () => {
      servers.push(server);
      resolve((server.address() as { port: number }).port);
    });
  });
}

test('takes the preferred port when it is free', async () => {
  const free = await listen();
  servers.pop()?.close();
  await new Promise((r) => setTimeout(r, 50));
  const choice = await choosePort(free);
  assert.equal(choice.port, free);
  assert.equal(choice.moved, false);
});

test('moves to another port when the preferred one is busy, and says so', async () => {
  const busy = await listen();
  const choice = await choosePort(busy);
  assert.notEqual(choice.port, busy);
  assert.equal(choice.moved, true);
  assert.equal(choice.preferred, busy);
});

test('never hands out a port already taken in this start', async () => {
  const free = await listen();
  servers.pop()?.close();
  await new Promise((r) => setTimeout(r, 50));
  const choice = await choosePort(free, new Set([free]));
  assert.notEqual(choice.port, free);
  assert.equal(choice.moved, true);
});

function startContext(previousPorts: StartContext['previousPorts']): StartContext & { notices: string[] } {
  const notices: string[] = [];
  return { taken: new Set(), previousPorts, running: {}, notice: (m) => notices.push(m), spawned: () => {}, reachable: () => {}, notices };
}

test('a repaired service takes the port it had before, not the default', async () => {
  const before = await listen();
  servers.pop()?.close();
  await new Promise((r) => setTimeout(r, 50));
  const busyDefault = await listen();
  const ctx = startContext({ kafka: { broker: before } });
  const port = await takePort(ctx, 'kafka', 'broker', busyDefault, 'the Kafka broker');
  assert.equal(port, before);
  assert.ok(ctx.taken.has(before));
  assert.deepEqual(ctx.notices, []);
});

test('a fresh service takes the default, and a busy one moves with a notice', async () => {
  const busyDefault = await listen();
  const ctx = startContext({});
  const port = await takePort(ctx, 'clickhouse', 'http', busyDefault, 'ClickHouse HTTP');
  assert.notEqual(port, busyDefault);
  assert.match(ctx.notices[0] ?? '', new RegExp(`port ${busyDefault} is busy: ClickHouse HTTP takes ${port}`));
});

test('a port this process was handed earlier can be handed out again once it is free (a restarted broker keeps its port)', async () => {
  const free = await listen();
  servers.pop()?.close();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await choosePort(free)).port, free);
  // get-port would keep `free` locked now; a repair in the same process must still get it.
  assert.equal((await choosePort(free)).port, free);
});

test('a repaired service waits for its old port while it is still held, and takes it back once freed', async () => {
  const old = await listen();
  const holder = servers.pop() as Server;
  // The old port is released 1 s into the repair (a killed process's socket, say).
  setTimeout(() => holder.close(), 1_000);
  const ctx = startContext({ kafka: { broker: old } });
  const port = await takePort(ctx, 'kafka', 'broker', 9092, 'the Kafka broker');
  assert.equal(port, old);
  assert.deepEqual(ctx.notices, []);
});
