import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import type { LabCatalogEntry } from '../lab/catalog.ts';

/**
 * What the lesson pages get: the catalog of labs plus each lab's source files, read from disk and
 * keyed by their path in the lab's folder (sql/flink/10-source.sql, job/src/main/kotlin/...).
 */
export interface LabCatalogData {
  labs: (LabCatalogEntry & { files: Record<string, string>; sources: Record<string, string> })[];
}

/** The files a lesson may show, by extension (LabFile picks the highlighting from it). */
const SHOWN = /\.(sql|md|kt|java|py)$/;
/** Build output and data: never shown, and some are large. */
const SKIPPED_DIRS = new Set(['target', 'node_modules', 'data', 'evidence', '__pycache__']);

function filesUnder(dir: string, root = dir): Record<string, string> {
  const out: Record<string, string> = {};
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) Object.assign(out, filesUnder(path, root));
    } else if (SHOWN.test(name)) out[relative(root, path)] = readFileSync(path, 'utf8');
  }
  return out;
}

/**
 * Loads the lab definitions in a child process (they are TypeScript run by tsx, with Node-only
 * imports) and hands the site the same steps and checks the runner executes.
 */
export default function labCatalogPlugin(context: LoadContext): Plugin {
  return {
    name: 'lab-catalog',
    async loadContent(): Promise<LabCatalogData> {
      // Not zx (src/stack/shell.ts): this one call at site build time should pass a failing lab's
      // stderr straight to the build's terminal and fail the build, which execFileSync does as is.
      const json = execFileSync(process.execPath, ['--import', 'tsx', join(context.siteDir, 'src/cli/lab-catalog.ts')], { cwd: context.siteDir, encoding: 'utf8' });
      const labs = JSON.parse(json) as LabCatalogEntry[];
      return {
        labs: labs.map((l) => {
          const own = filesUnder(join(context.siteDir, 'labs', l.id));
          // A lab whose SQL lives in the library (phase 5): its files as sql/<name>, titled by their real path.
          const lib = l.sqlDir ? filesUnder(join(context.siteDir, l.sqlDir)) : {};
          const sources = Object.fromEntries(Object.keys(lib).map((f) => [`sql/${f}`, `${l.sqlDir}/${f}`]));
          return { ...l, files: { ...own, ...Object.fromEntries(Object.entries(lib).map(([f, t]) => [`sql/${f}`, t])) }, sources };
        }),
      };
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
    getPathsToWatch() {
      return [join(context.siteDir, 'labs/**/*'), join(context.siteDir, 'src/pipeline/**/*.sql')];
    },
  };
}
