/**
 * The pipeline exporter as a stack service (ADR 0073): a Node process running
 * src/observability/exporter/main.ts on 127.0.0.1:9464 (or a free port). It depends on nothing:
 * it finds Kafka, ClickHouse and Flink in .stack/state.json at every scrape, so it starts at once
 * beside them and reports each as down (ctr_*_up 0) until it answers.
 *
 * Readiness is a real check: GET /healthz answers 200.
 */
import { fileURLToPath } from 'node:url';
import { waitFor } from '../health.ts';
import { repoRoot, stackDir, stackPaths } from '../paths.ts';
import { takePort } from '../ports.ts';
import { niced, spawnService } from '../process.ts';
import type { HealthReport, ServiceRecord, ServiceSpec } from '../service.ts';

export const DEFAULT_PORTS = { metrics: 9464 } as const;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
const mainPath = fileURLToPath(new URL('../../observability/exporter/main.ts', import.meta.url));

async function healthz(url: string): Promise<boolean> {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
  return res.ok;
}

export const pipelineExporterService: ServiceSpec = {
  name: 'pipeline-exporter',
  dependsOn: [],
  // Measured RSS: ~90 MB (Node, kafkajs, one consumer per side topic).
  memoryMb: 150,
  async start(ctx) {
    const metrics = await takePort(ctx, 'pipeline-exporter', 'metrics', DEFAULT_PORTS.metrics, 'the pipeline exporter');
    const logFile = stackPaths.log('pipeline-exporter');
    const pid = spawnService({
      ...niced(process.execPath, ['--import', 'tsx', mainPath, '--port', String(metrics), '--host', HOST]),
      logFile,
      cwd: repoRoot,
      env: { CTR_STACK_DIR: stackDir() },
    });
    ctx.spawned(pid);
    const url = `http://${HOST}:${metrics}`;
    await waitFor(() => healthz(url).catch(() => false), { what: `GET ${url}/healthz answering 200`, service: 'pipeline-exporter', timeoutMs: START_TIMEOUT_MS, intervalMs: 100, pid, logFile });
    return { name: 'pipeline-exporter', pid, ports: { metrics }, url, logFile, version: process.versions.node, startedAt: new Date().toISOString() };
  },
  async health(rec: ServiceRecord): Promise<HealthReport> {
    const ok = await healthz(rec.url);
    return { ok, detail: ok ? `${rec.url}/metrics` : `${rec.url}/healthz did not answer 200`, version: rec.version };
  },
};
