/** Reads exercise.md: a `# Title`, then the sections `## Task`, `## Hint`, `## Solution`, in that order. */
export interface ExerciseText {
  title: string;
  task: string;
  hint: string;
  solution: string;
}

const SECTIONS = ['Task', 'Hint', 'Solution'] as const;

export function parseExerciseMarkdown(text: string, where: string): ExerciseText {
  const title = /^# (.+)$/m.exec(text)?.[1]?.trim();
  if (!title) throw new Error(`${where}: the first heading must be "# <title>"`);
  const found = [...text.matchAll(/^## (.+)$/gm)].map((m) => ({ name: (m[1] ?? '').trim(), at: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
  const names = found.map((f) => f.name);
  if (names.join('|') !== SECTIONS.join('|')) throw new Error(`${where}: needs the sections ${SECTIONS.map((s) => `"## ${s}"`).join(', ')} in that order, and no others (found ${names.map((n) => `"## ${n}"`).join(', ') || 'none'})`);
  const body = (i: number) => text.slice(found[i]?.end ?? 0, found[i + 1]?.at ?? text.length).trim();
  const out = { title, task: body(0), hint: body(1), solution: body(2) };
  for (const s of SECTIONS) if (!out[s.toLowerCase() as 'task' | 'hint' | 'solution']) throw new Error(`${where}: "## ${s}" is empty`);
  return out;
}
