/**
 * `npm run grafana:dashboard`: writes the Grafana dashboard (src/observability/grafana.ts) to
 * static/grafana/ctr-pipeline.json, where the lesson page links it for import. A unit test fails
 * when the committed file differs from what this writes, so run it after changing a panel.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GRAFANA_FILE, grafanaDashboardJson } from '../observability/grafana.ts';
import { DASHBOARD_ROWS } from '../observability/panels.ts';
import { repoRoot } from '../stack/paths.ts';
import { line } from './output.ts';
import { runCli } from './run.ts';

runCli(async () => {
  const path = join(repoRoot, GRAFANA_FILE);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, grafanaDashboardJson());
  const panels = DASHBOARD_ROWS.reduce((n, r) => n + r.panels.length, 0);
  line(`wrote ${GRAFANA_FILE}: ${DASHBOARD_ROWS.length} rows, ${panels} panels (Grafana: Dashboards > New > Import, upload the file, pick your Prometheus data source)`);
  return 0;
});
