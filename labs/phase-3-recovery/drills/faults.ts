/**
 * The seven drills as data: what each breaks and how the pipeline is brought back. The lab runs
 * them in this order; the lesson page lists them from here. Drills 5 and 6 need a backend that
 * can freeze a service or cut it off from the network (the docker backend): on the others the
 * lab skips them and says so (ADR 0030).
 */
import type { LabContext } from '../../../src/lab/contract.ts';
import type { Endpoints, StackBackend } from '../../../src/stack/backend.ts';
import type { ServiceName } from '../../../src/stack/service.ts';
import { FlinkRestClient } from '../../../src/stack/flink/rest-client.ts';
import { CUT_MS, cutBroker, FREEZE_MS, freezeTaskManager } from './backend-faults.ts';

export type DrillId = 'taskmanager' | 'broker' | 'clickhouse' | 'savepoint-rescale' | 'frozen-taskmanager' | 'broker-cut' | 'control';

/** What a fault may use: the running job, and a way to submit it again (drill 4). */
export interface FaultContext {
  flinkRest: string;
  stack: StackBackend;
  jobId: string;
  savepointDir: string;
  say: (text: string) => void;
  expectOutage: LabContext['expectOutage'];
  /** Submits the same pipeline again with these settings; returns the new job id. */
  resubmit: (opts: { parallelism: number; savepoint: string }) => Promise<string>;
}

export interface FaultOutcome {
  /** When the fault hit (the kill, or the stop). */
  at: number;
  /** When the broken part was back: the service healthy again, or the new job submitted. */
  restoredAt: number;
  /** The job that runs afterwards (a new one after drill 4). */
  jobId: string;
  /** True when the job itself must be seen failing and running again (a lost TaskManager). */
  jobRestarts: boolean;
  /** How long the fault was held (a pause, a network cut), when it was held rather than instant. */
  heldSeconds?: number;
}

export interface Drill {
  id: DrillId;
  number: number;
  /** Short name for tables and the results file. */
  name: string;
  title: string;
  explain: string;
  /** Checkpoints and exactly-once sinks; false only for the control. */
  checkpointing: boolean;
  /** Needs the backend's pause and network faults (StackBackend.faults: the docker backend only). */
  needsFaults?: boolean;
  inject: (f: FaultContext) => Promise<FaultOutcome>;
}

/**
 * kill -9 one service, then the stack's own repair (`npm run stack up` does the same): only that
 * service is started again, on the same ports and data dir.
 */
async function killAndRestart(service: ServiceName, f: FaultContext, how: { jobRestarts: boolean; samePorts: boolean }): Promise<FaultOutcome> {
  return f.expectOutage(service, async () => {
    const before = addresses(f.stack.endpoints());
    const killed = await f.stack.kill(service);
    f.say(`kill -9 ${service} (${killed.where})`);
    const r = await f.stack.up({ listener: (e) => (e.kind === 'notice' ? f.say(`stack up: ${e.message}`) : undefined) });
    const restarted = r.services.filter((s) => s.outcome !== 'kept');
    const back = r.services.find((s) => s.name === service);
    f.say(`stack up: restarted ${restarted.map((s) => s.name).join(', ') || 'nothing'}; ${service} is ${back?.where ?? 'back'} (healthy)`);
    // The job and ClickHouse's Kafka engine keep the addresses they were given: a service that comes
    // back elsewhere (its port was taken meanwhile) cannot be reached, and the drill would only time out.
    // (A TaskManager's ports are chosen by the OS each time and found through the JobManager.)
    const after = addresses(f.stack.endpoints());
    const moved = how.samePorts ? Object.entries(before).filter(([k, url]) => after[k] !== url) : [];
    if (moved.length > 0) {
      throw new Error(`${service} came back at another address (${moved.map(([k, url]) => `${k} ${url} -> ${after[k]}`).join(', ')}): another process took its port while it was down, so the running job cannot reach it. Free the port and run the lab again.`);
    }
    return { at: killed.at, restoredAt: Date.now(), jobId: f.jobId, jobRestarts: how.jobRestarts };
  });
}

/** Every address of the stack, by name, read now. */
function addresses(ep: Endpoints): Record<string, string> {
  return { kafka: ep.kafka, internalKafka: ep.internal.kafka, clickhouse: ep.clickhouseHttp, flinkRest: ep.flinkRest, sqlGateway: ep.sqlGateway };
}

export const DRILLS: readonly Drill[] = [
  {
    id: 'taskmanager',
    number: 1,
    name: 'TaskManager killed',
    title: 'Drill 1: kill -9 the TaskManager mid-stream, start a new one',
    explain: 'The job loses every task. The JobManager notices the missing heartbeats, restarts the job on the new TaskManager from the last completed checkpoint (state and Kafka offsets together), and the sinks abort the open transactions of the dead attempt.',
    checkpointing: true,
    inject: (f) => killAndRestart('flink-taskmanager', f, { jobRestarts: true, samePorts: false }),
  },
  {
    id: 'broker',
    number: 2,
    name: 'Kafka broker killed',
    title: 'Drill 2: kill -9 the Kafka broker, restart it on the same data dir',
    explain: 'Producers, the Flink job and ClickHouse lose their broker, and their clients retry. The idempotent producer writes no line twice. A short outage passes between two checkpoints; if a checkpoint needs the broker while it is down, it fails and the job restarts from the last completed one.',
    checkpointing: true,
    inject: (f) => killAndRestart('kafka', f, { jobRestarts: false, samePorts: true }),
  },
  {
    id: 'clickhouse',
    number: 3,
    name: 'ClickHouse killed',
    title: 'Drill 3: kill -9 ClickHouse, restart it',
    explain: "ClickHouse's Kafka engine resumes from the offsets it committed; a block written but not yet committed is read again, and the ReplacingMergeTree key absorbs the repeat.",
    checkpointing: true,
    inject: (f) => killAndRestart('clickhouse', f, { jobRestarts: false, samePorts: true }),
  },
  {
    id: 'savepoint-rescale',
    number: 4,
    name: 'savepoint and rescale',
    title: 'Drill 4: stop the job with a savepoint, resume it with parallelism 2',
    explain: 'A planned stop: the savepoint holds the open windows, the dedup state and the offsets. The same SQL, submitted with execution.savepoint.path and parallelism 2, redistributes that state by key and carries on.',
    checkpointing: true,
    async inject(f) {
      const at = Date.now();
      const savepoint = await new FlinkRestClient(f.flinkRest).stopWithSavepoint(f.jobId, { drain: false, targetDirectory: f.savepointDir });
      f.say(`job stopped with savepoint ${savepoint} in ${((Date.now() - at) / 1000).toFixed(1)} s`);
      const jobId = await f.resubmit({ parallelism: 2, savepoint });
      f.say(`resumed from the savepoint as job ${jobId} with parallelism 2`);
      return { at, restoredAt: Date.now(), jobId, jobRestarts: false };
    },
  },
  {
    id: 'frozen-taskmanager',
    number: 5,
    name: 'TaskManager frozen',
    title: 'Drill 5 (docker backend): freeze the TaskManager past the heartbeat timeout, then thaw it',
    explain: `docker pause freezes the TaskManager for ${FREEZE_MS / 1000} s: alive, answering nothing. Its heartbeat RPCs neither answer nor fail, so the JobManager waits out the heartbeat timeout, declares it lost and restarts the job, which waits for slots. docker unpause wakes the same process with its old tasks: it finds its JobManager gone, drops them and registers again, and the job restores from the last checkpoint on it. Not run on the local backend.`,
    checkpointing: true,
    needsFaults: true,
    inject: freezeTaskManager,
  },
  {
    id: 'broker-cut',
    number: 6,
    name: 'broker cut off from the network',
    title: 'Drill 6 (docker backend): cut the Kafka broker off the stack network, then reconnect it',
    explain: `docker network disconnect takes the broker off the stack's network for ${CUT_MS / 1000} s; the broker process runs on. The job's and ClickHouse's Kafka clients retry, and checkpoints wait for the transactional sinks' flush. The host loses the published port too (the mapping belongs to the network endpoint), so the drill's producer is cut off as well: it keeps retrying the same batch, in order, with its client's growing backoff, and catches up after the reconnect. Not run on the local backend.`,
    checkpointing: true,
    needsFaults: true,
    inject: cutBroker,
  },
  {
    id: 'control',
    number: 7,
    name: 'control: no checkpoints',
    title: 'Drill 7 (control): kill the TaskManager without checkpoints',
    explain: 'No checkpoints, at-least-once sinks, offsets auto-committed by the Kafka consumer: the restarted job resumes after the last committed offset with empty window and dedup state. The checks must catch the damage.',
    checkpointing: false,
    inject: (f) => killAndRestart('flink-taskmanager', f, { jobRestarts: true, samePorts: false }),
  },
];
