import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../stack/paths.ts';
import type { LabDefinition } from './contract.ts';

const LABS_DIR = join(repoRoot, 'labs');

/** Lab ids are folder names under labs/ that hold a lab.ts, in name order (phase-0 first). */
export function labIds(): string[] {
  return readdirSync(LABS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join(LABS_DIR, d.name)).includes('lab.ts'))
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export async function loadLab(id: string): Promise<LabDefinition> {
  const mod = (await import(pathToFileURL(join(LABS_DIR, id, 'lab.ts')).href)) as { default?: LabDefinition };
  if (!mod.default || mod.default.id !== id) throw new Error(`labs/${id}/lab.ts must default-export a lab definition with id "${id}"`);
  return mod.default;
}

export async function loadAllLabs(): Promise<LabDefinition[]> {
  return Promise.all(labIds().map(loadLab));
}
