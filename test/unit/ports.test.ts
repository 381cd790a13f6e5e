import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, test } from 'node:test';
import { choosePort } from '../../src/stack/ports.ts';

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
