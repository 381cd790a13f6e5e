/**
 *   npm run record:screenshots
 *
 * Screenshots of the Flink web UI for readers without a machine: starts the streaming pipeline
 * (phase 1's SQL, unbounded and checkpointed, as the recovery drills run it; src/cli/pipeline.ts)
 * on the running stack or one started for the purpose, feeds it, and photographs with Debian's
 * Chromium (Playwright, never `playwright install`) the job graph, a vertex's BackPressure tab and
 * the Checkpoints tab, into static/img/flink-ui/. Then removes the pipeline, and stops the stack
 * if it started it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from '@playwright/test';
import { FlinkRestClient } from '../stack/flink/rest-client.ts';
import { ensureStack, stackBackend } from '../stack/index.ts';
import { repoRoot } from '../stack/paths.ts';
import { failureLines, sh } from '../stack/shell.ts';
import { formatStackEvent, line, seconds } from './output.ts';
import { runCli } from './run.ts';

const RUN = 'flink_ui_shots';
const OUT = join(repoRoot, 'static', 'img', 'flink-ui');
const CHROMIUM = '/usr/bin/chromium';
// As in test/e2e/playwright.config.ts: root needs --no-sandbox; no background traffic on a closed network.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

async function pipeline(...args: string[]): Promise<string> {
  const out = await sh`${process.execPath} --import tsx ${join(repoRoot, 'src/cli/pipeline.ts')} ${args} --run ${RUN}`;
  if (out.exitCode !== 0) throw new Error(`pipeline.ts ${args.join(' ')} failed:\n${failureLines(out)}`);
  return out.stdout;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const step = (text: string) => line(`[${seconds(Date.now() - t0).padStart(7)}] ${text}`);
  const backend = stackBackend();
  const stack = await ensureStack(backend, { listener: (e) => line(`          ${formatStackEvent(e)}`) });
  const rest = new FlinkRestClient(stack.endpoints.flinkRest);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    step('start the streaming pipeline');
    const jobId = /^job (\w+)/m.exec(await pipeline('start'))?.[1];
    if (!jobId) throw new Error('pipeline.ts start printed no job id');
    step(`job ${jobId}: produce events and wait for two completed checkpoints`);
    await pipeline('produce', '--events', '20000');
    await waitFor(async () => ((await rest.get(`/jobs/${jobId}/checkpoints`)) as { counts: { completed: number } }).counts.completed >= 2, 120_000, 'two completed checkpoints');
    mkdirSync(OUT, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const ui = stack.endpoints.flinkRest;

    step('job graph');
    await page.goto(`${ui}/#/job/running/${jobId}/overview`);
    await page.locator('flink-dagre svg g.node').first().waitFor({ timeout: 60_000 });
    await settle();
    await page.screenshot({ path: join(OUT, 'job-graph.png') });

    step('backpressure of the first vertex, under load');
    const vertex = ((await rest.get(`/jobs/${jobId}`)) as { vertices: { id: string }[] }).vertices[0]?.id;
    if (!vertex) throw new Error('the job has no vertex');
    const load = pipeline('produce', '--events', '60000');
    await page.goto(`${ui}/#/job/running/${jobId}/overview/${vertex}/backpressure`);
    await page.getByText(/Backpressure Status/i).first().waitFor({ timeout: 60_000 });
    await waitFor(async () => (await page.locator('nz-table tbody tr').count()) > 0, 60_000, 'the backpressure table');
    await settle();
    await page.screenshot({ path: join(OUT, 'backpressure.png') });
    await load;

    step('checkpoints');
    await page.goto(`${ui}/#/job/running/${jobId}/checkpoints`);
    await page.getByText(/Latest Completed Checkpoint/i).first().waitFor({ timeout: 60_000 });
    await settle();
    await page.screenshot({ path: join(OUT, 'checkpoints.png') });
    step(`wrote job-graph.png, backpressure.png and checkpoints.png to ${OUT}`);
    return 0;
  } finally {
    await browser.close();
    await pipeline('remove').catch((err: unknown) => line(`could not remove the pipeline of run ${RUN}: ${(err as Error).message}`));
    await stack.release();
  }
}

/**
 * The element we waited for is drawn before the figures in it: the UI fills them from its next
 * REST poll (every few seconds, its refresh interval), which has no event to wait for.
 */
async function settle(): Promise<void> {
  await sleep(4_000);
}

async function waitFor(ok: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`no ${what} after ${seconds(timeoutMs)}`);
    await sleep(1_000);
  }
}

runCli(() => main());
