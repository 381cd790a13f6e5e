/**
 * The drills' exactness check, shared by the lab and test/docker (which runs one drill on the
 * container backend): ClickHouse FINAL, the side topics (read_committed) and the input topic,
 * each against the oracle.
 */
import { compareResults } from '../../../src/lab/compare.ts';
import type { CheckResult } from '../../../src/lab/contract.ts';
import type { DrillSummary } from './drill.ts';

/** ClickHouse FINAL, the side topics (read_committed) and the input topic, each against the oracle. */
export function exactness(name: string, d: DrillSummary | undefined): CheckResult {
  if (!d) return { name, expected: '-', actual: 'not run', ok: false };
  const rows = compareResults(name, d.oracle.results, d.clickhouse.rows);
  const off = Object.entries(d.side)
    .filter(([, c]) => c.committed !== c.expected)
    .map(([topic, c]) => `${topic} topic: ${c.committed} records (read_committed), the oracle says ${c.expected}`);
  if (d.input.missing || d.input.extra) off.push(`input topic: ${d.input.missing} lines missing, ${d.input.extra} extra`);
  const ok = rows.ok && off.length === 0;
  return {
    name,
    expected: `${rows.expected}; side topics and input exact`,
    actual: ok ? `${rows.actual}; side topics and input exact` : [rows.ok ? undefined : rows.actual, ...off].filter(Boolean).join('; '),
    ok,
    ...(ok ? {} : { details: [...(rows.details ?? []), ...off].slice(0, 12) }),
  };
}
