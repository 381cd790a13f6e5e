import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

export const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build');

/** The site's docs sections (docs-plugin instances): their route = their folder in build/. */
export const DOC_SECTIONS = ['docs', 'adr', 'runbooks'] as const;

/**
 * Paths (no host) of every page in build/sitemap.xml. The sitemap carries the production
 * host (https://ctr-labs.example); tests visit the same paths on the local server.
 */
export function sitemapPaths(): string[] {
  const xml = readFileSync(join(buildDir, 'sitemap.xml'), 'utf8');
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name));
}

/** The route a built HTML file answers (build/docs/a.html -> /docs/a, build/x/index.html -> /x). */
export function routeOf(file: string): string {
  const rel = relative(buildDir, file).split(sep).join('/').replace(/\.html$/, '');
  return '/' + rel.replace(/(^|\/)index$/, '');
}

/** Routes of the built docs-section pages whose HTML contains `word` (case-insensitive). */
export function pagesContaining(word: string): string[] {
  const re = new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  // A section's index page is build/<section>.html (trailingSlash: false); the rest are inside build/<section>/.
  const files = DOC_SECTIONS.flatMap((s) => [join(buildDir, `${s}.html`), ...htmlFiles(join(buildDir, s))]).filter((f) =>
    existsSync(f),
  );
  return files.filter((f) => re.test(readFileSync(f, 'utf8'))).map(routeOf).sort();
}

/**
 * Everything a page does wrong in the browser: console errors, uncaught exceptions, and any
 * request that leaves the local server (the site must need no outside service).
 */
export function watchForProblems(page: Page, baseURL: string): string[] {
  const problems: string[] = [];
  const origin = new URL(baseURL).origin;
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      problems.push(`outside request: ${url}`);
    }
  });
  return problems;
}
