import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SlotPool } from '../labs/slot-pool.ts';

test('the slot pool starts the longest runs first, never holds more than its slots, and gives both slots to a two-slot run', async () => {
  const pool = new SlotPool(2);
  const started: string[] = [];
  let held = 0;
  let most = 0;
  const runs = [
    { name: 'short', slots: 1, expected: 1 },
    { name: 'medium', slots: 1, expected: 5 },
    { name: 'two-slot', slots: 2, expected: 9 },
    { name: 'small', slots: 1, expected: 3 },
    { name: 'long', slots: 1, expected: 7 },
    { name: 'unknown', slots: 1, expected: 0 },
  ];
  const twoSlotAlone: boolean[] = [];
  await Promise.all(
    runs.map((r) =>
      pool.run(r, async () => {
        started.push(r.name);
        held += r.slots;
        most = Math.max(most, held);
        if (r.slots === 2) twoSlotAlone.push(held === 2);
        await sleep(20);
        held -= r.slots;
      }),
    ),
  );
  assert.deepEqual(started, ['two-slot', 'long', 'medium', 'small', 'short', 'unknown']);
  assert.equal(most, 2);
  assert.deepEqual(twoSlotAlone, [true]);
});

test('the slot pool gives the slots back when a run throws, and refuses a run larger than the pool', async () => {
  const pool = new SlotPool(2);
  await assert.rejects(pool.run({ slots: 2, expected: 1 }, async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await pool.run({ slots: 2, expected: 1 }, async () => 'ran'), 'ran');
  await assert.rejects(pool.run({ slots: 3, expected: 1 }, async () => 'never'), /asks for 3 slots; the pool has 2/);
});

describe('tests that start together', { concurrency: true }, () => {
  const pool = new SlotPool(1);
  const order: number[] = [];
  for (const expected of [1, 3, 2]) test(`a run expected to take ${expected}`, () => pool.run({ slots: 1, expected }, async () => void order.push(expected)));
  test('queue before the first grant, so the longest goes first', () =>
    pool.run({ slots: 1, expected: 0 }, async () => assert.deepEqual(order, [3, 2, 1])));
});

test('a run that releases its slot early lets the next start while it finishes, and releasing twice frees one slot', async () => {
  const pool = new SlotPool(1);
  const events: string[] = [];
  let releaseFirst: () => void = () => {};
  const first = pool.run({ slots: 1, expected: 2 }, async (release) => {
    events.push('first starts');
    releaseFirst = release;
    await sleep(10);
    release();
    release();
    await sleep(40);
    events.push('first ends');
  });
  let busy = 0;
  let most = 0;
  const after = (name: string) =>
    pool.run({ slots: 1, expected: name === 'second' ? 1 : 0 }, async () => {
      events.push(`${name} starts`);
      most = Math.max(most, ++busy);
      await sleep(10);
      busy--;
    });
  await Promise.all([first, after('second'), after('third')]);
  releaseFirst();
  assert.deepEqual(events, ['first starts', 'second starts', 'third starts', 'first ends']);
  assert.equal(most, 1, 'the released slot is one slot: second and third never ran together');
});

test('maxRuns bounds the runs at once even when slots are free', async () => {
  const pool = new SlotPool(4, { maxRuns: 2 });
  let busy = 0;
  let most = 0;
  await Promise.all(
    [1, 2, 3, 4].map((expected) =>
      pool.run({ slots: 1, expected }, async () => {
        most = Math.max(most, ++busy);
        await sleep(10);
        busy--;
      }),
    ),
  );
  assert.equal(most, 2);
});

test('runs that share an exclusive key take turns, and the runs behind one that waits for its key pass it', async () => {
  // Phase 4's shape: two 2-slot gradings that must not overlap, and shorter 1-slot ones.
  const pool = new SlotPool(4, { maxRuns: 2 });
  const log: string[] = [];
  const running = new Set<string>();
  const overlaps: string[] = [];
  const runOf = (name: string, slots: number, expected: number, ms: number, exclusive?: string) =>
    pool.run({ slots, expected, ...(exclusive ? { exclusive } : {}) }, async () => {
      if (exclusive) for (const other of running) if (other.startsWith('p4')) overlaps.push(`${name}+${other}`);
      running.add(name);
      log.push(`${name} starts`);
      await sleep(ms);
      running.delete(name);
    });
  await Promise.all([runOf('p4-solution', 2, 9, 40, 'airflow'), runOf('p4-start', 2, 9, 40, 'airflow'), runOf('a', 1, 5, 10), runOf('b', 1, 4, 10)]);
  assert.deepEqual(overlaps, [], 'the two phase-4 runs never ran at once');
  assert.deepEqual(log.slice(0, 3), ['p4-solution starts', 'a starts', 'b starts'], 'a and b passed p4-start while it waited for its key');
  assert.ok(log.includes('p4-start starts'));
});

test('the capacity follows the cluster: set before any run, refused while one holds slots', async () => {
  const pool = new SlotPool(2, { maxRuns: 2 });
  pool.setCapacity(4);
  assert.equal(pool.capacity, 4);
  assert.equal(await pool.run({ slots: 4, expected: 1 }, async () => 'all four'), 'all four');
  await pool.run({ slots: 1, expected: 1 }, async () => assert.throws(() => pool.setCapacity(2), /no run holds slots/));
});
