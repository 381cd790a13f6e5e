/**
 * Picks one value out of a results file by a small path: `a.b`, `list[2]`, and `list[id=taskmanager]`
 * (the element whose `id` is "taskmanager"), so a page names a drill by its id, not its position.
 * Returns undefined when any step is missing: the page then says "not recorded".
 */
export function pick(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const step of path.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (step.startsWith('[')) {
      const inner = step.slice(1, -1);
      const eq = inner.indexOf('=');
      if (!Array.isArray(cur)) return undefined;
      cur = eq < 0 ? cur[Number(inner)] : cur.find((el: unknown) => typeof el === 'object' && el !== null && String((el as Record<string, unknown>)[inner.slice(0, eq)]) === inner.slice(eq + 1));
    } else {
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}

/** How a figure is written on the page: numbers with thousands separators, the rest as text. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
