/**
 * The plain-Markdown pages (page-kinds.ts), checked over HTTP against the built site instead of
 * in Chromium (ADR 0103): what pages.spec.ts asserts in the browser, asserted on the HTML the
 * browser would get. 200; a title and one h1; nothing fetched from outside the local server and
 * every local file it fetches there; HTML that parses without repair (so hydration matches); and,
 * beyond the browser check, every local link and anchor leads somewhere.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { browserReason, pageKinds } from './page-kinds.ts';
import { sitemapPaths } from './site.ts';
import { readStaticPage } from './static-page.ts';

const paths = sitemapPaths();
const kinds = pageKinds(paths);

test('plain pages are checked over HTTP, every other page and one plain page per section in the browser', () => {
  expect(kinds.static.length, 'no page left for the HTTP check: is page-kinds.ts reading the build?').toBeGreaterThan(0);
  expect([...kinds.static, ...kinds.browser].sort()).toEqual([...paths].sort());
  for (const section of ['/adr', '/runbooks']) {
    expect(kinds.static.some((p) => p.startsWith(`${section}/`)), `some ${section} page is plain`).toBe(true);
    expect(kinds.browser.some((p) => p.startsWith(`${section}/`) || p === section), `a ${section} page stays in the browser`).toBe(true);
  }
  for (const p of ['/', '/docs/architecture', '/docs/phase-3-operations/throughput']) expect(kinds.browser).toContain(p);
  // What sends a page to the browser.
  expect(browserReason('# A decision\n\nPlain *Markdown*, a [link](./x.md), `<code>`.\n')).toBeUndefined();
  for (const source of ['```mermaid\nflowchart LR\n```', "import Chart from '@site/src/x';", '<Figure id="x" />', '<details><summary>s</summary>b</details>']) {
    expect(browserReason(source), source).toBeDefined();
  }
});

interface Fetched {
  status: number;
  ids?: Set<string>;
}
/** One GET per URL and worker: the navbar, footer and bundles are the same on every page. */
const fetched = new Map<string, Fetched>();
async function fetchOnce(request: APIRequestContext, url: URL): Promise<Fetched> {
  const key = url.pathname + url.search;
  const known = fetched.get(key);
  if (known) return known;
  const res = await request.get(key);
  const html = (res.headers()['content-type'] ?? '').includes('text/html');
  const got = { status: res.status(), ids: html ? readStaticPage(await res.text()).ids : undefined };
  fetched.set(key, got);
  return got;
}

for (const path of kinds.static) {
  test(`${path} answers 200; its HTML parses cleanly and loads and links only what exists here`, async ({ request, baseURL }) => {
    const res = await request.get(path);
    expect(res.status(), `status of ${path}`).toBe(200);
    expect(res.headers()['content-type']).toContain('text/html');
    const page = readStaticPage(await res.text());
    expect(page.repairs, 'markup the browser would repair, so React would log a hydration mismatch').toEqual([]);
    expect(page.title, 'the <title>').toMatch(/\S/);
    expect(page.h1, 'one non-empty h1').toEqual([expect.stringMatching(/\S/)]);
    expect(page.mermaid, 'a mermaid diagram needs the browser (page-kinds.ts should have sent it there)').toBe(0);

    const origin = new URL(baseURL!).origin;
    const here = new URL(path, origin);
    const problems: string[] = [];
    for (const r of page.resources) {
      const url = new URL(r, here);
      if (url.protocol === 'data:' || url.protocol === 'blob:') continue;
      if (url.origin !== origin) problems.push(`outside request: ${url.href}`);
      else if ((await fetchOnce(request, url)).status !== 200) problems.push(`${url.pathname}: ${(await fetchOnce(request, url)).status}`);
    }
    for (const l of page.links) {
      const url = new URL(l, here);
      if (url.origin !== origin) continue; // the browser check does not follow outside links either
      const target = url.pathname === here.pathname ? { status: 200, ids: page.ids } : await fetchOnce(request, url);
      if (target.status !== 200) problems.push(`link ${l}: ${target.status}`);
      else if (url.hash.length > 1 && target.ids && !target.ids.has(decodeURIComponent(url.hash.slice(1)))) problems.push(`link ${l}: no such anchor`);
    }
    expect(problems).toEqual([]);
  });
}
