/**
 * Prometheus as a stack service (ADR 0070): Debian's `prometheus` binary, run in the foreground
 * with a generated config under .stack/conf/prometheus, its TSDB under .stack/data/prometheus,
 * listening on 127.0.0.1:9090 (or a free port). It depends on nothing: it starts beside the other
 * services and finds their metrics ports in a target file the stack rewrites as they start
 * (targets.ts), so the stack never waits for it longer than its own start (~1 s).
 *
 * Readiness is a real check: GET /-/ready answers 200 (TSDB open, rules loaded).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { whichExecutable } from '../clickhouse/binary.ts';
import { StackError } from '../errors.ts';
import { waitFor } from '../health.ts';
import { stackPaths } from '../paths.ts';
import { takePort } from '../ports.ts';
import { niced, spawnService } from '../process.ts';
import type { HealthReport, ServiceRecord, ServiceSpec } from '../service.ts';
import { sh } from '../shell.ts';
import { readState } from '../state.ts';
import { renderAlertRules } from '../../observability/alerts/rules.ts';
import { LAB_THRESHOLDS } from '../../observability/alerts/thresholds.ts';
import { PrometheusClient } from './client.ts';
import { prometheusArgs, renderPrometheusYml } from './config.ts';
import { targetsFile, writeScrapeTargets } from './targets.ts';

export const DEFAULT_PORTS = { http: 9090 } as const;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;

export const PROMETHEUS_INSTALL_HINT = 'install it (apt-get install prometheus, or `bash .ci/run --setup` on Debian)';

/** Debian's binary on PATH (or /usr/bin); one sentence when it is missing. */
export function prometheusBinary(): string {
  const bin = whichExecutable('prometheus') ?? whichExecutable('prometheus', ['/usr/bin']);
  if (!bin) throw new StackError(`Prometheus not found: ${PROMETHEUS_INSTALL_HINT}.`, { service: 'prometheus' });
  return bin;
}

/** "2.42.0+ds" from `prometheus --version`, or undefined. */
export async function binaryVersion(bin: string): Promise<string | undefined> {
  const out = await sh`${bin} --version`.timeout(10_000);
  return /version (\S+)/.exec(out.stdall)?.[1];
}

export function prometheusLayout() {
  const confDir = stackPaths.conf('prometheus');
  return {
    confDir,
    configFile: join(confDir, 'prometheus.yml'),
    rulesFile: join(confDir, 'alerts.yml'),
    dataDir: stackPaths.data('prometheus'),
    logFile: stackPaths.log('prometheus'),
  };
}

export const prometheusService: ServiceSpec = {
  name: 'prometheus',
  dependsOn: [],
  // Measured RSS: ~60 MB idle, ~120 MB with every target scraped for an hour.
  memoryMb: 200,
  async start(ctx) {
    const bin = prometheusBinary();
    const http = await takePort(ctx, 'prometheus', 'http', DEFAULT_PORTS.http, 'Prometheus');
    const layout = prometheusLayout();
    for (const d of [layout.confDir, layout.dataDir]) mkdirSync(d, { recursive: true });
    writeFileSync(layout.rulesFile, renderAlertRules(LAB_THRESHOLDS));
    writeFileSync(layout.configFile, renderPrometheusYml({ self: `${HOST}:${http}`, rulesFile: layout.rulesFile, targetsFile: targetsFile() }));
    writeScrapeTargets(readState());
    const pid = spawnService({
      ...niced(bin, prometheusArgs({ configFile: layout.configFile, dataDir: layout.dataDir, listen: `${HOST}:${http}` })),
      logFile: layout.logFile,
      cwd: layout.dataDir,
    });
    ctx.spawned(pid);
    const url = `http://${HOST}:${http}`;
    const client = new PrometheusClient(url, 2_000);
    await waitFor(() => client.ready().catch(() => false), { what: `GET ${url}/-/ready answering 200`, service: 'prometheus', timeoutMs: START_TIMEOUT_MS, intervalMs: 100, pid, logFile: layout.logFile });
    const version = await client.buildVersion().catch(() => undefined);
    return { name: 'prometheus', pid, ports: { http }, url, logFile: layout.logFile, version, startedAt: new Date().toISOString() };
  },
  async health(rec: ServiceRecord): Promise<HealthReport> {
    const client = new PrometheusClient(rec.url, 2_000);
    if (!(await client.ready())) return { ok: false, detail: `${rec.url}/-/ready did not answer 200` };
    const [targets, series] = await Promise.all([client.targets(), client.seriesCount()]);
    const up = targets.filter((t) => t.health === 'up').length;
    const down = targets.filter((t) => t.health === 'down').map((t) => t.labels.job ?? t.scrapeUrl);
    return { ok: true, detail: `${up}/${targets.length} targets up${down.length ? ` (down: ${down.join(', ')})` : ''}, ${series} series`, version: rec.version };
  },
};
