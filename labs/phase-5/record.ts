/**
 * What `--record` keeps of a run (static/results/phase-5.json): the setup it ran with, the machine
 * and versions, each run's counts and checks, the drills with what Prometheus showed meanwhile,
 * and the broken clock's two runs side by side.
 */
import { labRecordHeader } from '../../src/results/lab-record.ts';
import type { LabReport } from '../../src/lab/report.ts';
import { REALISTIC_TOPIC } from '../../src/pipeline/replicated-topics.ts';
import type { Phase5Record, Phase5RunRecord } from '../../src/results/phase-5.ts';
import { clockDamage } from './checks.ts';
import type { State } from './lab.ts';
import { BURST_EVENTS, CHECKPOINT_INTERVAL, PARALLELISM, type Run } from './run.ts';
import { SOURCE_WATERMARKS } from './watermarks.ts';

/** Which checks belong to which run, by their names (checks.ts). */
const CHECKS_OF: Record<string, RegExp> = { steady: /^(steady run|broker stop|realistic shape)/, idle: /idle run/, 'tm-kill': /^TaskManager kill/, 'clock-off': /rule off/ };

function runRecord(r: Run, report: LabReport): Phase5RunRecord {
  const o = r.out;
  return {
    id: r.spec.id,
    title: r.spec.title,
    lines: r.traffic.lines.length,
    eventTimeSeconds: r.traffic.options.durationMs / 1000,
    speedup: r.speedup,
    replaySeconds: r.replay ? Number(((r.replay.endedAt - r.replay.startedAt) / 1000).toFixed(1)) : 0,
    rule: r.spec.rule,
    counts: { clickhouseRows: o?.clickhouse.length ?? 0, icebergRows: o?.iceberg.length ?? 0, dlq: o?.dlq.length ?? 0, futureTs: o?.dlq.filter((d) => d.reason === 'future_ts').length ?? 0, duplicates: o?.duplicates.length ?? 0, late: o?.late.length ?? 0 },
    checks: report.checks.filter((c) => CHECKS_OF[r.spec.id]?.test(c.name)).map((c) => ({ name: c.name, expected: c.expected, actual: c.actual, ok: c.ok, ...(c.skipped ? { skipped: true } : {}) })),
  };
}

const damageOf = (r: Run | undefined) => {
  if (!r?.out) return undefined;
  const d = clockDamage(r);
  return { futureTs: d.futureTs, late: d.late, lateAfter: d.lateAfter, after: d.after, windowsAfter: d.windowsAfter };
};

export function buildRecord(s: State, report: LabReport): Phase5Record {
  const runs = Object.values(s.runs).filter((r): r is Run => r !== undefined);
  const ruleOn = damageOf(s.runs.steady);
  const ruleOff = damageOf(s.runs['clock-off']);
  return {
    ...labRecordHeader('phase-5', s.short, report),
    setup: {
      partitions: REALISTIC_TOPIC.partitions,
      replicationFactor: REALISTIC_TOPIC.replicationFactor,
      minInsyncReplicas: REALISTIC_TOPIC.minInsyncReplicas,
      parallelism: PARALLELISM,
      taskManagers: s.shape?.taskManagers ?? 2,
      checkpointing: `every ${CHECKPOINT_INTERVAL}, exactly-once`,
      delivery: 'exactly-once: Kafka transactions and Iceberg commits on checkpoints; ClickHouse replaces by key',
      watermarks: Object.fromEntries(SOURCE_WATERMARKS),
    },
    runs: runs.map((r) => runRecord(r, report)),
    drills: Object.values(s.drills).map((d) => ({
      kind: d.kind,
      service: d.service,
      seconds: Number(((d.backAt - d.faultAt) / 1000).toFixed(1)),
      restarts: d.restarts,
      ...(d.isrDuring === undefined ? {} : { isrDuring: d.isrDuring, isrAfter: d.isrAfter }),
      ...(d.recoveredSeconds === undefined ? {} : { recoveredSeconds: Number(d.recoveredSeconds.toFixed(1)) }),
      alerts: d.alerts,
      ...(d.taskManagers ? { taskManagers: d.taskManagers } : {}),
    })),
    clock: { burstEvents: BURST_EVENTS, ...(ruleOn ? { ruleOn } : {}), ...(ruleOff ? { ruleOff } : {}) },
  };
}
