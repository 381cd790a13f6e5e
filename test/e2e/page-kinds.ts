/**
 * Which pages need a browser (ADR 0103). A page whose source is plain Markdown (no import or
 * export, no JSX component, no mermaid diagram, no <details>) runs no code of its own in the
 * browser: its HTML is the page, checked over HTTP (static-pages.spec.ts). Every other page, and any
 * page whose source cannot be found (the home page, generated category pages, search), is opened in
 * Chromium (pages.spec.ts). So is one plain page per docs section, for the theme code they share.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDir, sitemapPaths } from './site.ts';

const repoRoot = join(buildDir, '..');
/** The docs plugins' metadata of the build: one JSON per page, with its source and its route. */
const docsMetadataDir = join(repoRoot, '.docusaurus', 'docusaurus-plugin-content-docs');

/** What makes a page's source more than Markdown: code or a component that runs after hydration. */
const NEEDS_BROWSER: readonly [string, RegExp][] = [
  ['an import or export (MDX code)', /^(import|export)\s/m],
  ['a JSX component', /<[A-Z]/],
  ['a mermaid diagram (drawn in the browser)', /^\s*(```|~~~)+\s*mermaid/m],
  ['a <details> block (the theme makes it interactive)', /<details/i],
];

/** Why the source needs a browser, or undefined when it is plain Markdown. */
export function browserReason(source: string): string | undefined {
  return NEEDS_BROWSER.find(([, re]) => re.test(source))?.[0];
}

/** Route (no trailing slash, as in the sitemap) -> source file, from the build's docs metadata. */
function sourcesByRoute(): Map<string, string> {
  if (!existsSync(docsMetadataDir)) {
    throw new Error(`No docs metadata in ${docsMetadataDir}: run "npm run build" first (npm run test:e2e does both).`);
  }
  const routes = new Map<string, string>();
  for (const plugin of readdirSync(docsMetadataDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const dir = join(docsMetadataDir, plugin.name);
    for (const file of readdirSync(dir).filter((f) => f.startsWith('site-') && f.endsWith('.json'))) {
      const meta = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { source?: string; permalink?: string };
      if (!meta.source?.startsWith('@site/') || !meta.permalink) continue;
      routes.set(meta.permalink.replace(/(.)\/$/, '$1'), join(repoRoot, meta.source.slice('@site/'.length)));
    }
  }
  return routes;
}

export interface PageKinds {
  /** Opened in Chromium: every page with code, and one plain page per section. */
  browser: string[];
  /** Checked over HTTP: the other plain pages. */
  static: string[];
}

export function pageKinds(paths: readonly string[] = sitemapPaths()): PageKinds {
  const sources = sourcesByRoute();
  const plain = paths.filter((p) => {
    const source = sources.get(p);
    return source !== undefined && existsSync(source) && browserReason(readFileSync(source, 'utf8')) === undefined;
  });
  // The first plain page of each section (/docs, /adr, /runbooks) still runs in the browser.
  const sampled = new Set<string>();
  const samples = plain.filter((p) => {
    const section = p.split('/')[1] ?? '';
    if (sampled.has(section)) return false;
    sampled.add(section);
    return true;
  });
  const browser = paths.filter((p) => !plain.includes(p) || samples.includes(p));
  return { browser, static: plain.filter((p) => !samples.includes(p)) };
}
