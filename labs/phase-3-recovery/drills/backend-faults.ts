/**
 * The two faults only a backend with `faults` can cause (the docker backend, ADR 0030): a
 * TaskManager frozen for longer than the heartbeat timeout, and the broker cut off from the
 * stack's network. Each says what it sees as it happens (the drill's timeline), including what
 * the woken TaskManager does and whether the host still reaches the broker's published port.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendFaults, StackBackend } from '../../../src/stack/backend.ts';
import { HEARTBEAT_TIMEOUT_MS } from '../../../src/stack/flink/config.ts';
import { FlinkRestClient } from '../../../src/stack/flink/rest-client.ts';
import { describeBroker } from '../../../src/stack/kafka/client.ts';
import type { FaultContext, FaultOutcome } from './faults.ts';

/** How long the TaskManager stays frozen: twice the heartbeat timeout, so the JobManager must declare it lost. */
export const FREEZE_MS = 2 * HEARTBEAT_TIMEOUT_MS;
/**
 * How long the broker stays off the network: past ClickHouse's consumer session (6 s: its group
 * membership lapses) and Kafka clients' reconnect backoff, well within Flink's producer delivery
 * timeout (120 s) and transaction timeout (10 min), so the job need not fail.
 */
export const CUT_MS = 20_000;

/** Why a backend without `faults` cannot run these drills: the text a skipped check shows. */
export const NEEDS_FAULTS = 'the local backend cannot freeze a service or cut it off from a network: run with --backend docker';

export function faultsOf(stack: StackBackend): BackendFaults {
  if (!stack.faults) throw new Error(`this drill needs a backend with pause and network faults (${NEEDS_FAULTS})`);
  return stack.faults;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Flink log lines (`yyyy-MM-dd HH:mm:ss,SSS LEVEL logger [] - message`, UTC in the containers)
 * written at or after `sinceMs` whose message matches `pattern`: [ms after sinceMs, message].
 * Pure, for tests.
 */
export function logLinesSince(text: string, sinceMs: number, pattern: RegExp): { afterMs: number; message: string }[] {
  const out: { afterMs: number; message: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}),(\d{3}) +\w+ +\S+ +(?:\[[^\]]*\] +)?- (.*)$/.exec(line);
    if (!m) continue;
    const at = Date.parse(`${m[1]}T${m[2]}.${m[3]}Z`);
    // Log times have millisecond resolution but the container clock is the host's: allow 1 s of slack.
    if (at < sinceMs - 1_000 || !pattern.test(m[4] as string)) continue;
    out.push({ afterMs: at - sinceMs, message: (m[4] as string).trim() });
  }
  return out;
}

/** At most `max` characters, cut after the first third: a task's long name goes, what happened to it (at the end) stays. Pure, for tests. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor((max - 3) / 3);
  return `${text.slice(0, head)}...${text.slice(text.length - (max - 3 - head))}`;
}

/** What a woken TaskManager logs, in the order it happens: the first line of each kind is told, with how many there were. */
const WAKE_UP: readonly RegExp[] = [
  /The heartbeat of JobManager .* timed out/,
  /switched from RUNNING to FAILED/,
  /The heartbeat of ResourceManager .* timed out/,
  /Successful registration at resource manager/,
  /Receive slot request .* for job/,
];

/** The first line matching each pattern, in log order, with its count. Pure, for tests. */
export function firstOfEach(lines: readonly { afterMs: number; message: string }[], patterns: readonly RegExp[]): { afterMs: number; message: string; count: number }[] {
  return patterns
    .map((p) => {
      const all = lines.filter((l) => p.test(l.message));
      return all[0] ? { ...all[0], count: all.length } : undefined;
    })
    .filter((x) => x !== undefined)
    .sort((a, b) => a.afterMs - b.afterMs);
}

/** `docker pause` the TaskManager for FREEZE_MS, then `docker unpause`: a hung process, not a dead one. */
export async function freezeTaskManager(f: FaultContext): Promise<FaultOutcome> {
  const faults = faultsOf(f.stack);
  const flink = new FlinkRestClient(f.flinkRest, 2_000);
  return f.expectOutage('flink-taskmanager', async () => {
    const registered = async () => (await flink.taskManagers().catch(() => undefined))?.map((t) => t.id);
    const before = (await registered()) ?? [];
    const paused = await faults.pause('flink-taskmanager');
    f.say(`docker pause: ${paused.where} frozen (alive, answering nothing) for ${secs(FREEZE_MS)}, twice the ${secs(HEARTBEAT_TIMEOUT_MS)} heartbeat timeout`);
    let lostAt: number | undefined;
    while (Date.now() < paused.at + FREEZE_MS) {
      const now = await registered();
      if (lostAt === undefined && now && before.some((id) => !now.includes(id))) {
        lostAt = Date.now();
        f.say(`JobManager: the frozen TaskManager is no longer registered (declared lost ${secs(lostAt - paused.at)} after the pause)`);
      }
      await sleep(250);
    }
    if (lostAt === undefined) f.say(`JobManager: still lists the frozen TaskManager after ${secs(FREEZE_MS)}`);
    const woke = await faults.unpause('flink-taskmanager');
    f.say('docker unpause: the same TaskManager process wakes up, with its old tasks and connections');
    let backAt: number | undefined;
    const deadline = Date.now() + 90_000;
    while (backAt === undefined && Date.now() < deadline) {
      const tms = await flink.taskManagers().catch(() => []);
      if (tms.some((t) => t.slotsNumber > 0)) backAt = Date.now();
      else await sleep(250);
    }
    if (backAt === undefined) throw new Error('the woken TaskManager did not register with the JobManager again within 90 s');
    f.say(`TaskManager registered with the JobManager again ${secs(backAt - woke.at)} after the unpause${before.length && (await registered())?.every((id) => before.includes(id)) ? ' (the same TaskManager id: the same process)' : ''}`);
    // What it did on waking, from its own log: a few seconds for it to notice and tidy up.
    await sleep(3_000);
    const lines = logLinesSince(await f.stack.logs('flink-taskmanager', 600).catch(() => ''), woke.at, /./);
    const told = firstOfEach(lines, WAKE_UP);
    for (const l of told) f.say(`TaskManager log, ${secs(l.afterMs)} after the unpause: ${shorten(l.message, 160)}${l.count > 1 ? ` (${l.count} such lines)` : ''}`);
    if (told.length === 0) f.say('TaskManager log: nothing about its JobManager or ResourceManager after the unpause');
    return { at: paused.at, restoredAt: backAt, jobId: f.jobId, jobRestarts: true, heldSeconds: (woke.at - paused.at) / 1000 };
  });
}

/** One metadata round trip to the broker's published port: 'answers' or why not. */
async function probe(url: string): Promise<string> {
  try {
    await describeBroker(url, 2_000);
    return 'answers';
  } catch (err) {
    const m = err instanceof Error ? err.message : String(err);
    return /ECONNREFUSED/.test(m) ? 'connection refused' : /timeout|timed out/i.test(m) ? 'no answer within 2 s' : m.slice(0, 120);
  }
}

/**
 * `docker network disconnect` the broker for CUT_MS, then connect it again under its alias. The
 * broker process runs on; the job and ClickHouse reach it as kafka:19092 no more. Whether the
 * host still reaches its published port is probed, not assumed, and said in the timeline: the
 * drill's producer (on the host) keeps retrying the same batch, in order, until it can.
 */
export async function cutBroker(f: FaultContext): Promise<FaultOutcome> {
  const faults = faultsOf(f.stack);
  return f.expectOutage('kafka', async () => {
    const url = f.stack.endpoints().kafka;
    const cut = await faults.disconnect('kafka');
    f.say(`docker network disconnect: ${cut.where} for ${secs(CUT_MS)}; the job and ClickHouse cannot reach kafka:19092, the broker process runs on`);
    const during = await probe(url);
    f.say(`from the host, the published port ${url}: ${during}${during === 'answers' ? '' : ' (the port mapping belongs to the network endpoint that just went)'}; the drill's producer keeps retrying the same batch, in order`);
    await sleep(Math.max(0, cut.at + CUT_MS - Date.now()));
    const back = await faults.reconnect('kafka');
    f.say('docker network connect: the broker is on the stack network again, as kafka');
    let answersAt: number | undefined;
    let last = '';
    const deadline = Date.now() + 60_000;
    while (answersAt === undefined && Date.now() < deadline) {
      last = await probe(url);
      if (last === 'answers') answersAt = Date.now();
      else await sleep(250);
    }
    if (answersAt === undefined) throw new Error(`the broker's published port ${url} did not answer within 60 s of the reconnect (${last})`);
    f.say(`from the host, ${url} answers again ${secs(answersAt - back.at)} after the reconnect (the same port: the mapping came back with the endpoint)`);
    return { at: cut.at, restoredAt: answersAt, jobId: f.jobId, jobRestarts: false, heldSeconds: (back.at - cut.at) / 1000 };
  });
}
