/**
 * A built page read as the browser would read its HTML, without running it (ADR 0103): what it
 * would fetch, where it links, its ids, its title, and the markup the browser would have to repair.
 * React writes every element with its start and end tag; an element the HTML parser had to add, or
 * close itself (a <div> inside a <p>, a <tr> straight in a <table>), makes the browser's tree differ
 * from React's, and hydration then logs the mismatch as a console error.
 */
import { html as htmlSpec, parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export interface StaticPage {
  title: string;
  h1: string[];
  ids: Set<string>;
  /** URLs the browser fetches while loading the page: scripts, styles, preloads, icons, images, frames. */
  resources: string[];
  /** hrefs of <a> elements. */
  links: string[];
  /** Elements a mermaid diagram would leave: must be none on a page checked without a browser. */
  mermaid: number;
  /** Parse errors, and elements the parser added or closed: each a hydration mismatch to be. */
  repairs: string[];
}

/** Elements that have no end tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** <link rel> values that make the browser fetch the href (canonical and alternate do not). */
const FETCHED_RELS = new Set(['stylesheet', 'preload', 'modulepreload', 'prefetch', 'icon', 'shortcut', 'apple-touch-icon', 'manifest']);
/** Attributes that load a URL, per element. */
const SRC_ATTRS: Record<string, string[]> = {
  script: ['src'],
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  iframe: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  embed: ['src'],
  object: ['data'],
  track: ['src'],
};

const isElement = (n: Node): n is Element => 'tagName' in n;
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;

function text(n: Node): string {
  if (n.nodeName === '#text' && 'value' in n) return n.value;
  return 'childNodes' in n ? n.childNodes.map(text).join('') : '';
}

/** The URLs in a srcset ("a.png 1x, b.png 2x"). */
const srcsetUrls = (v: string) => v.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '').filter(Boolean);

export function readStaticPage(html: string): StaticPage {
  const page: StaticPage = { title: '', h1: [], ids: new Set(), resources: [], links: [], mermaid: 0, repairs: [] };
  const doc = parse(html, {
    sourceCodeLocationInfo: true,
    onParseError: (e) => page.repairs.push(`${e.code} at line ${e.startLine}, column ${e.startCol}`),
  });
  const walk = (n: Node): void => {
    if (isElement(n)) {
      const loc = n.sourceCodeLocation;
      // In SVG and MathML a start tag may close itself (<path/>); in HTML only void elements end so.
      const selfClosed = loc?.startTag && n.namespaceURI !== htmlSpec.NS.HTML && /\/\s*>$/.test(html.slice(loc.startTag.startOffset, loc.startTag.endOffset));
      if (!loc?.startTag) page.repairs.push(`<${n.tagName}> added by the parser`);
      else if (!loc.endTag && !VOID.has(n.tagName) && !selfClosed) page.repairs.push(`<${n.tagName}> at line ${loc.startLine}, column ${loc.startCol} closed by the parser`);
      const id = attr(n, 'id');
      if (id !== undefined) page.ids.add(id);
      const name = attr(n, 'name');
      if (n.tagName === 'a' && name !== undefined) page.ids.add(name);
      if (n.tagName === 'title' && page.title === '') page.title = text(n).trim();
      if (n.tagName === 'h1') page.h1.push(text(n).trim());
      if (n.tagName === 'a') {
        const href = attr(n, 'href');
        if (href !== undefined) page.links.push(href);
      }
      if (n.tagName === 'link') {
        const rels = (attr(n, 'rel') ?? '').toLowerCase().split(/\s+/);
        const href = attr(n, 'href');
        if (href !== undefined && rels.some((r) => FETCHED_RELS.has(r))) page.resources.push(href);
      }
      for (const a of SRC_ATTRS[n.tagName] ?? []) {
        const v = attr(n, a);
        if (v !== undefined) page.resources.push(...(a === 'srcset' ? srcsetUrls(v) : [v]));
      }
      if (/mermaid/i.test(attr(n, 'class') ?? '')) page.mermaid++;
    }
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  walk(doc);
  return page;
}
