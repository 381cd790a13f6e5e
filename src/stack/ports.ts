import getPort, { clearLockedPorts } from 'get-port';
import type { ServiceName, StartContext } from './service.ts';

export interface PortChoice {
  port: number;
  preferred: number;
  /** True when the preferred port was busy and another was taken. */
  moved: boolean;
}

/**
 * The documented default when it is free on 127.0.0.1, else any free port.
 * `taken` excludes ports already handed out in this start (they are not bound yet).
 */
/** How long a repaired service waits for the port it had before. */
const REPAIR_PORT_WAIT_MS = 5_000;

export async function choosePort(preferred: number, taken: ReadonlySet<number> = new Set()): Promise<PortChoice> {
  const exclude = [...taken];
  // get-port also "locks" every port it returned in this process until two of its calls fall
  // 15 s apart: a broker restarted by the process that started the stack would never get its
  // own port back (measured in CI: 9092 -> 40875). `taken` already prevents handing a port out
  // twice in one start, so the lock adds nothing here.
  clearLockedPorts();
  const port = await getPort({ port: taken.has(preferred) ? [] : [preferred], host: '127.0.0.1', exclude });
  return { port, preferred, moved: port !== preferred };
}

/**
 * Picks a service's port for one role: the port it had before when it is being repaired (a
 * restarted broker must come back where the Flink job and ClickHouse's Kafka engine look for it),
 * else the documented default, else any free port, with a notice when the port moved.
 */
export async function takePort(ctx: StartContext, service: ServiceName, role: string, fallback: number, what: string): Promise<number> {
  const previous = ctx.previousPorts[service]?.[role];
  const preferred = previous ?? fallback;
  let choice = await choosePort(preferred, ctx.taken);
  // A repaired service gets a few seconds for its old port to be free again: a recovery drill's
  // broker once came back elsewhere right after its kill, and the job could not reach it.
  for (let waited = 0; previous !== undefined && choice.moved && waited < REPAIR_PORT_WAIT_MS; waited += 250) {
    await new Promise((r) => setTimeout(r, 250));
    choice = await choosePort(preferred, ctx.taken);
  }
  ctx.taken.add(choice.port);
  if (choice.moved) ctx.notice(`port ${preferred} is busy: ${what} takes ${choice.port}`);
  return choice.port;
}
