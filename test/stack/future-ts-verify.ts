/**
 * The broken-clock rule on the real stack: phase 1's pipeline with the future_ts variant
 * (src/pipeline/clock) replays FUTURE_TS_BOUNDARY_CASES, then a realistic burst from a clock a
 * year ahead with the rule on and off, each on one partition so the oracle is exact, and every
 * phase-1 check must pass. Then realistic traffic on six partitions (still parallelism 1: one
 * source reads them all, a watermark per partition), idle and steady, checked by the
 * interleaving-tolerant checks (src/pipeline/conservation.ts), and the idle run once more with the
 * job's late-routing INSERT removed, on one partition (Flink's window then drops the late rows
 * silently): conservation must fail. Last, a paced replay (replayTraffic) read back: every line in
 * its partition, with its key and record timestamp, in order. Not a CI suite (no `.test.ts`: each
 * job costs 7-110 s depending on the machine's load); the phase-5 lab replays the boundary cases in
 * its own rule-on run. On a running stack:
 *   npx tsx test/stack/future-ts-verify.ts
 */
import { runOracle } from '../../src/ctr/oracle.ts';
import { realisticTraffic } from '../../src/ctr/realistic.ts';
import { FUTURE_TS_BOUNDARY_CASES } from '../../src/pipeline/clock/boundary-cases.ts';
import { FUTURE_TS_VARIANT, withFutureTs } from '../../src/pipeline/clock/future-ts.ts';
import { pipelineChecks } from '../../src/pipeline/checks.ts';
import { exactRunCheck, interleavingChecks, validEvents } from '../../src/pipeline/conservation.ts';
import { createResultsTables } from '../../src/pipeline/clickhouse.ts';
import { collectOutputs } from '../../src/pipeline/collect.ts';
import { runStatements } from '../../src/pipeline/gateway.ts';
import { ingestTraffic, replayTraffic } from '../../src/pipeline/ingest-traffic.ts';
import { pipelineNames } from '../../src/pipeline/names.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';
import { createTrackedTopics, pipelineTopics } from '../../src/pipeline/topics.ts';
import { stackBackend } from '../../src/stack/index.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { consumeAll, kafkaClient } from '../../src/stack/kafka/client.ts';
import type { TrafficLine } from '../../src/ctr/realistic.ts';
import { TrackedResources } from '../../src/stack/resources.ts';

const ep = stackBackend().endpoints();
let failed = 0;
/** Which checks: phase 1's (one partition, exact), the interleaving-tolerant ones, or those plus exact equality (a steady run). */
type Checks = 'phase-1' | 'interleaving' | 'steady';

/**
 * `withoutLate`: the job without its late-routing INSERT (a mutant): conservation must then FAIL.
 * Run on one partition, where the oracle's late events are late in Flink too: on six, a replayed
 * backlog may leave nothing late (a fetch returns a whole partition, so the watermark waits for
 * the partitions not read yet), and then there is nothing for the mutant to lose.
 */
async function run(tag: string, lines: TrafficLine[], rule: boolean, which: Checks = 'phase-1', withoutLate = false): Promise<void> {
  const runId = `clock_${tag}_${Date.now() % 1e6}`;
  const track = new TrackedResources();
  const base = pipelineNames(runId, ep, `ctr-verify ${runId}`);
  const names = rule ? withFutureTs(base) : base;
  try {
    await createTrackedTopics(ep, pipelineTopics(names, { inputPartitions: Math.max(...lines.map((l) => l.partition)) + 1 }), track);
    await ingestTraffic(kafkaClient(ep.kafka), names, lines);
    await createResultsTables(ep, names, { track });
    const t0 = Date.now();
    const variant = { ...(rule ? FUTURE_TS_VARIANT : {}), ...(withoutLate ? { sinks: ['dlq', 'duplicates', 'results'] as const } : {}) };
    const jobId = await runStatements(ep, flinkStatements(names, variant), { session: runId, track });
    await new FlinkRestClient(ep.flinkRest).waitForJob(jobId, { states: ['FINISHED'], timeoutMs: 300_000 });
    const out = await collectOutputs(ep, names);
    const params = rule ? { clock: { recordTimestamps: lines.map((l) => l.timestamp) } } : {};
    const texts = lines.map((l) => l.line);
    const oracle = runOracle(texts, params);
    const observed = { rows: out.rows, late: out.late };
    const checks =
      which === 'phase-1' ? pipelineChecks(oracle, out) : [...interleavingChecks('ClickHouse', validEvents(texts, params), observed), ...(which === 'steady' ? [exactRunCheck(oracle, observed)] : [])];
    console.log(`${tag}, rule ${rule ? 'on' : 'off'}: job ${((Date.now() - t0) / 1000).toFixed(1)} s; the oracle: ${JSON.stringify(oracle.counts)}; Flink: ${out.late.length} late, ${out.dlq.length} DLQ`);
    if (withoutLate) {
      const conservation = checks[0];
      if (conservation?.ok !== false) failed++;
      console.log(`  ${conservation?.ok === false ? 'ok   the mutant is caught:' : 'FAIL the mutant passed:'} ${conservation?.name}: ${conservation?.actual}${conservation?.details ? `\n    ${conservation.details.slice(0, 3).join('\n    ')}` : ''}`);
      return;
    }
    failed += checks.filter((c) => !c.ok).length;
    for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: expected ${c.expected}, actual ${c.actual}${c.details ? `\n    ${c.details.slice(0, 5).join('\n    ')}` : ''}`);
  } finally {
    for (const problem of await track.remove(ep)) console.log(`  cleanup: ${problem}`);
  }
}

await run('boundary', FUTURE_TS_BOUNDARY_CASES.map((c) => c.line), true);
// One partition so the oracle is exact: the realistic burst, lines sent to partition 0.
const t = realisticTraffic({ seed: 3, durationMs: 40_000, clockBurst: { atMs: 20_000, events: 30 }, idle: { fromMs: 5_000, toMs: 10_000 } });
const one = t.lines.map((l) => ({ ...l, partition: 0 }));
await run('burst', one, true);
await run('burstoff', one, false);
for (const mode of ['idle', 'steady'] as const) {
  const six = realisticTraffic({ seed: 4, mode, durationMs: 60_000, idle: { fromMs: 20_000, toMs: 40_000 } });
  await run(`six_${mode}`, six.lines, true, mode === 'idle' ? 'interleaving' : 'steady');
  if (mode === 'idle') await run('one_partition_without_late_routing', six.lines.map((l) => ({ ...l, partition: 0 })), true, 'interleaving', true);
}

/** A paced replay lands every line where, and with the timestamp, the oracle assumes. */
async function pacedReplay(): Promise<void> {
  const lines = realisticTraffic({ seed: 6, durationMs: 30_000, idle: { fromMs: 10_000, toMs: 20_000 } }).lines;
  const names = pipelineNames(`clock_paced_${Date.now() % 1e6}`, ep, 'ctr-verify paced');
  const track = new TrackedResources();
  try {
    await createTrackedTopics(ep, pipelineTopics(names, { inputPartitions: 6 }), track);
    const kafka = kafkaClient(ep.kafka);
    const r = await replayTraffic(kafka, names, lines, { speedup: 15 });
    const got = await consumeAll(kafka, names.input_topic, { expected: lines.length, timeoutMs: 60_000 });
    const wrong = [0, 1, 2, 3, 4, 5].filter((p) => {
      const want = lines.filter((l) => l.partition === p).map((l) => [l.key, l.timestamp, l.line]);
      const have = got.filter((m) => m.partition === p).map((m) => [m.key, m.timestamp, m.value]);
      return JSON.stringify(want) !== JSON.stringify(have);
    });
    if (wrong.length > 0) failed++;
    console.log(`paced replay: ${lines.length} lines in ${(r.ms / 1000).toFixed(1)} s (30 s of event time at 15x); ${wrong.length === 0 ? 'ok   every partition holds its lines, keys and record timestamps in order' : `FAIL partitions ${wrong.join(', ')} differ`}`);
  } finally {
    for (const problem of await track.remove(ep)) console.log(`  cleanup: ${problem}`);
  }
}
await pacedReplay();
process.exit(failed === 0 ? 0 : 1);
