import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GRAFANA_FILE, grafanaDashboard, grafanaDashboardJson } from '../../src/observability/grafana.ts';
import { EXPORTER, FLINK, KAFKA, RULES } from '../../src/observability/metrics.ts';
import { allPanels, DASHBOARD_ROWS, legendOf, renderQuery } from '../../src/observability/panels.ts';
import { repoRoot } from '../../src/stack/paths.ts';

interface GrafanaPanel {
  type: string;
  title?: string;
  unit?: string;
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr?: string; legendFormat?: string; datasource?: { uid?: string } }[];
}

test('the Grafana dashboard has every row, then each row\'s panels in order, each with its query, legend and unit', () => {
  const built = grafanaDashboard() as unknown as { panels: GrafanaPanel[]; uid: string; templating: { list: { name: string }[] } };
  const expected = DASHBOARD_ROWS.flatMap((r) => [{ type: 'row', title: r.title }, ...r.panels.map((p) => ({ type: 'timeseries', title: p.title, expr: p.query, legend: p.legend, unit: p.unit }))]);
  const actual = built.panels.map((p) =>
    p.type === 'row' ? { type: p.type, title: p.title } : { type: p.type, title: p.title, expr: p.targets?.[0]?.expr, legend: p.targets?.[0]?.legendFormat, unit: p.fieldConfig?.defaults?.unit },
  );
  assert.deepEqual(actual, expected);
  assert.deepEqual(built.templating.list.map((v) => v.name), ['datasource', 'run'], 'the import asks for a data source; panels filter on $run');
  for (const p of built.panels.filter((x) => x.type !== 'row')) assert.equal(p.targets?.[0]?.datasource?.uid, '${datasource}', `${p.title} reads the chosen data source`);
});

test('the committed Grafana JSON is what the generator writes (run `npm run grafana:dashboard` after changing a panel)', () => {
  assert.equal(readFileSync(join(repoRoot, GRAFANA_FILE), 'utf8'), grafanaDashboardJson());
});

test('the dashboard covers the rows the issue asks for, with unique panel ids, each panel reading a catalog metric', () => {
  assert.deepEqual(DASHBOARD_ROWS.map((r) => r.id), ['job-health', 'throughput', 'freshness', 'data-quality', 'kafka-lag', 'checkpoints', 'clickhouse']);
  const ids = allPanels().map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
  const names = new Set<string>([FLINK, KAFKA, EXPORTER, RULES].flatMap((o) => Object.values(o)));
  for (const p of allPanels()) {
    const metrics = [...p.query.matchAll(/\b(?:flink_|kafka_|ctr_|ctr:)[A-Za-z0-9_:]+/g)].map((m) => m[0]);
    assert.ok(metrics.length > 0, `${p.id} reads a metric`);
    for (const n of metrics) assert.ok(names.has(n), `${p.id} reads ${n}, which the catalog does not name`);
  }
});

test('renderQuery fills $run with a regex (every run by default); legendOf fills a Grafana legend from labels', () => {
  assert.equal(renderQuery('x{job_name=~".*$run.*"} + y{run=~"$run"}'), 'x{job_name=~".*.+.*"} + y{run=~".+"}');
  assert.equal(renderQuery('x{run=~"$run"}', { run: 'phase_5_abc' }), 'x{run=~"phase_5_abc"}');
  assert.equal(legendOf('{{job_name}} {{what}}', { job_name: 'a', what: 'failed' }), 'a failed');
  assert.equal(legendOf('{{reason}}', { __name__: 'm', instance: 'h:1' }), 'instance=h:1', 'no legend label: the labels themselves');
  assert.equal(legendOf('rows/s', {}), 'rows/s');
});
