/** The course outline, once: the home page's phase map and its links are built from it. */
export interface Phase {
  number: number;
  title: string;
  /** Short enough for a diagram node. */
  summary: string;
  path: string;
}

export const PHASES: readonly Phase[] = [
  { number: 0, title: 'Baseline', summary: 'the pipeline end to end', path: '/docs/phase-0-baseline' },
  { number: 1, title: 'Data quality and event time', summary: 'DLQ, duplicates, watermarks, late events', path: '/docs/phase-1-data-quality' },
  { number: 2, title: 'Code-driven jobs', summary: 'a Java DataStream job', path: '/docs/phase-2-code-driven-jobs' },
  { number: 3, title: 'Operations', summary: 'throughput, failure recovery', path: '/docs/phase-3-operations' },
  { number: 4, title: 'Orchestration', summary: 'deploy, upgrade, replay', path: '/docs/phase-4-orchestration' },
  { number: 5, title: 'Realistic pipeline', summary: 'observability end to end', path: '/docs/phase-5-realistic-pipeline' },
];

/** Mermaid source for the phase map: one node per phase, left to right. */
export function phaseMapDiagram(phases: readonly Phase[] = PHASES): string {
  const nodes = phases.map((p) => `  P${p.number}["<b>Phase ${p.number}</b><br/>${p.title}<br/><small>${p.summary}</small>"]`);
  const edges = phases.slice(1).map((p, i) => `  P${phases[i]!.number} --> P${p.number}`);
  return ['flowchart LR', ...nodes, ...edges].join('\n');
}
