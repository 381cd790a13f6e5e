import { join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../stack/paths.ts';
import { type LabDefinition, STACK_STEP } from './contract.ts';
import { loadAllLabs } from './registry.ts';

/** What the site shows of a lab: the same steps and checks the runner executes. */
export interface LabCatalogEntry {
  id: string;
  title: string;
  lesson: string;
  summary: string;
  command: string;
  services: string[];
  steps: { id: string; title: string; explain: string }[];
  checks: { name: string; explain: string }[];
  /** The lab's SQL folder, relative to the repository, when it is not the lab's own sql/ (phase 5 runs the library's enrichment SQL). */
  sqlDir?: string;
}

export function catalogEntry<S>(lab: LabDefinition<S>): LabCatalogEntry {
  return {
    id: lab.id,
    title: lab.title,
    lesson: lab.lesson,
    summary: lab.summary,
    command: `npm run lab ${lab.id}`,
    services: [...lab.services],
    steps: [{ ...STACK_STEP }, ...lab.steps.map((s) => ({ id: s.id, title: s.title, explain: s.explain }))],
    checks: lab.checks.map((c) => ({ name: c.name, explain: c.explain })),
    ...(lab.sql && !resolve(lab.sql).startsWith(join(repoRoot, 'labs', lab.id) + sep) ? { sqlDir: relative(repoRoot, lab.sql) } : {}),
  };
}

export async function labCatalog(): Promise<LabCatalogEntry[]> {
  return (await loadAllLabs()).map(catalogEntry);
}
