/**
 * Hand runs of the recovery drills against the running stack (CTR_STACK_DIR picks which one):
 *
 *   npx tsx labs/phase-3-recovery/drills/run.ts --drill none|tm-kill|control [--rate 200] [--seconds 60]
 *       [--kill-at 25] [--interval 5s] [--backend rocksdb|hashmap] [--guarantee exactly-once|at-least-once]
 *       [--startup earliest-offset|group-offsets] [--auto-commit] [--keep] [--add-jar PATH,PATH] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { endpoints } from '../../../src/stack/index.ts';
import { type DrillKind, runDrill } from './drill.ts';
import type { PipelineOptions } from './pipeline.ts';

const { values } = parseArgs({
  options: {
    drill: { type: 'string', default: 'none' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    'kill-at': { type: 'string', default: '25' },
    interval: { type: 'string', default: '5s' },
    backend: { type: 'string', default: 'rocksdb' },
    guarantee: { type: 'string', default: 'exactly-once' },
    startup: { type: 'string', default: 'earliest-offset' },
    'auto-commit': { type: 'boolean', default: false },
    'add-jar': { type: 'string' },
    keep: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
    'txn-timeout': { type: 'string', default: '600000' },
    out: { type: 'string' },
    'checkpoint-dir': { type: 'string' },
  },
});

const T0 = Date.now();
const say = (s: string) => console.log(`${new Date().toISOString().slice(11, 23)} +${((Date.now() - T0) / 1000).toFixed(1).padStart(6)} s  ${s}`);

runDrill(endpoints(), {
  drill: values.drill as DrillKind,
  rate: Number(values.rate),
  seconds: Number(values.seconds),
  killAtSeconds: Number(values['kill-at']),
  interval: values.interval as string,
  backend: values.backend as 'rocksdb' | 'hashmap',
  guarantee: values.guarantee as PipelineOptions['deliveryGuarantee'],
  startup: values.startup as PipelineOptions['startupMode'],
  autoCommit: values['auto-commit'] as boolean,
  addJars: values['add-jar'] ? (values['add-jar'] as string).split(',') : [],
  keep: values.keep as boolean,
  seed: Number(values.seed),
  txnTimeoutMs: Number(values['txn-timeout']),
  checkpointDir: values['checkpoint-dir'],
  say,
}).then(
  (summary) => {
    if (values.out) writeFileSync(values.out, `${JSON.stringify({ ...summary, oracle: summary.oracle.counts, clickhouse: { ...summary.clickhouse, rows: undefined } }, null, 2)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
