/**
 * npm run bench:alerts -- [--record]
 *
 * Causes each alert's fault on the running stack (`npm run stack up` first; it is started if not)
 * and times the alert through Prometheus' HTTP API (src/observability/drills, ADR 0075): a table
 * of fire and resolve times against their limits. --record writes static/results/alerts.json with
 * the machine, the versions and both threshold profiles; the observability lesson renders it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { describeMachine, machineWithLoad } from '../bench/machine.ts';
import { LAB_THRESHOLDS, PRODUCTION_THRESHOLDS } from '../observability/alerts/thresholds.ts';
import { runAlertDrills } from '../observability/drills/drills.ts';
import type { AlertsRecord } from '../results/alerts.ts';
import { ensureStack, stackBackend } from '../stack/index.ts';
import { repoRoot } from '../stack/paths.ts';
import { PrometheusClient } from '../stack/prometheus/client.ts';
import { SCRAPE_INTERVAL_S } from '../stack/prometheus/config.ts';
import { line } from './output.ts';
import { runCli } from './run.ts';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { record: { type: 'boolean', default: false } } });
  const t0 = Date.now();
  const machine = machineWithLoad();
  line(`Alert drills on ${describeMachine(machine)}, load ${machine.loadAverage1m}`);
  const stack = await ensureStack(stackBackend('local'));
  const { drills, dlqCheck, stream } = await runAlertDrills(stack.backend, line);
  const table = new Table({ head: ['fault', 'alert', 'fired after', 'limit', 'resolved after', 'limit', 'ok'], style: { head: [], border: [] } });
  const s = (n: number | null) => (n === null ? 'never' : `${n.toFixed(1)} s`);
  for (const d of drills) table.push([d.id, d.alert, s(d.firedAfterSeconds), `${d.fireLimitSeconds} s`, s(d.resolvedAfterSeconds), `${d.resolveLimitSeconds} s`, d.passed ? 'yes' : 'NO']);
  line(table.toString());
  const passed = dlqCheck.equal && drills.every((d) => d.passed);
  if (values.record) {
    const prom = new PrometheusClient(stack.endpoints.prometheus);
    const versions: Record<string, string> = {};
    for (const r of (await stack.backend.status())) if (r.info?.version) versions[r.name] = r.info.version;
    const record: AlertsRecord = {
      recordedAt: new Date().toISOString(),
      command: 'npm run bench:alerts -- --record',
      machine,
      versions,
      prometheus: { scrapeIntervalSeconds: SCRAPE_INTERVAL_S, evaluationIntervalSeconds: SCRAPE_INTERVAL_S, series: await prom.seriesCount() },
      thresholds: { lab: { ...LAB_THRESHOLDS }, production: { ...PRODUCTION_THRESHOLDS } },
      stream,
      dlqCheck,
      drills,
      durationSeconds: Math.round((Date.now() - t0) / 1000),
    };
    const dir = join(repoRoot, 'static', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'alerts.json'), `${JSON.stringify(record, null, 2)}\n`);
    line(`recorded static/results/alerts.json${passed ? '' : ' (with failures: see the table)'}`);
  }
  await stack.release();
  return passed ? 0 : 1;
}

runCli(main);
