import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import getPort from 'get-port';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const buildDir = join(repoRoot, 'build');

if (!existsSync(join(buildDir, 'sitemap.xml'))) {
  throw new Error(`No built site in ${buildDir}: run "npm run build" first (npm run test:e2e does both).`);
}

// Playwright evaluates this file again in every worker: pick the port once, in the main
// process, and hand it to the workers through the environment they inherit.
process.env.E2E_PORT ??= String(await getPort({ port: 3210, host: '127.0.0.1' }));
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium, never `playwright install`. It runs as root here (--no-sandbox), and on a
// machine without network it floods the closed network unless background traffic is off.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: join(repoRoot, 'test-results', 'e2e'),
  fullyParallel: true,
  // The pages are static and the server is light: two workers halve the run even on 2 cores.
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: join(repoRoot, 'playwright-report') }]] : 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
      },
    },
  ],
  webServer: {
    command: `npx docusaurus serve --dir build --port ${port} --host 127.0.0.1 --no-open`,
    cwd: repoRoot,
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
