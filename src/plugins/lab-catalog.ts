import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import type { LabCatalogEntry } from '../lab/catalog.ts';

/** What the lesson pages get: the catalog of labs plus each lab's SQL files, read from disk. */
export interface LabCatalogData {
  labs: (LabCatalogEntry & { files: Record<string, string> })[];
}

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
    if (statSync(path).isDirectory()) Object.assign(out, filesUnder(path, root));
    else if (/\.(sql|md|py)$/.test(name)) out[relative(root, path)] = readFileSync(path, 'utf8');
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
      // sql/ files by their path inside sql/ (as before); a PyFlink lab's jobs/ and exercises/ by their path in the lab.
      const lab = (id: string, sub: string) => Object.fromEntries(Object.entries(filesUnder(join(context.siteDir, 'labs', id, sub))).map(([k, v]) => [`${sub}/${k}`, v]));
      return { labs: labs.map((l) => ({ ...l, files: { ...filesUnder(join(context.siteDir, 'labs', l.id, 'sql')), ...lab(l.id, 'jobs'), ...lab(l.id, 'exercises') } })) };
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
    getPathsToWatch() {
      return [join(context.siteDir, 'labs/**/*')];
    },
  };
}
