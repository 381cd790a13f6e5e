/**
 * The explanation of each alert threshold, read from the comments of
 * src/observability/alerts/thresholds.ts (its `Thresholds` interface), so the lesson quotes the
 * file that Prometheus' rules are rendered from and never a copy. A comment above several fields
 * (a window and its `for`) belongs to each of them.
 */
export interface ThresholdNote {
  /** The fields the comment explains, in the file's order. */
  fields: string[];
  text: string;
}

export function thresholdNotes(source: string): ThresholdNote[] {
  const body = /export interface Thresholds \{([\s\S]*?)\n\}/.exec(source)?.[1];
  if (body === undefined) throw new Error('thresholds.ts has no `export interface Thresholds { ... }`');
  const notes: ThresholdNote[] = [];
  let current: ThresholdNote | undefined;
  const re = /\/\*\*([\s\S]*?)\*\/|^\s*(\w+)\s*:/gm;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (m[1] !== undefined) {
      const text = m[1]
        .split('\n')
        .map((l) => l.replace(/^\s*\*\s?/, ''))
        .join('\n')
        .trim();
      current = { fields: [], text };
      notes.push(current);
    } else if (m[2] !== undefined && current) {
      current.fields.push(m[2]);
    }
  }
  return notes.filter((n) => n.fields.length > 0);
}
