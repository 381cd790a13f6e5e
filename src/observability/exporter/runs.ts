/**
 * Which pipeline run a topic or table belongs to, from the names src/pipeline/names.ts gives them
 * (`<run>_events`, `<run>_dlq`, `<run>_duplicates`, `<run>_late`, `<run>_results`). Pure.
 */
export type TopicRole = 'input' | 'dlq' | 'duplicates' | 'late' | 'results';

const SUFFIX: Record<string, TopicRole> = { _events: 'input', _dlq: 'dlq', _duplicates: 'duplicates', _late: 'late', _results: 'results' };

export function topicRole(topic: string): { run: string; role: TopicRole } | undefined {
  for (const [suffix, role] of Object.entries(SUFFIX)) {
    if (topic.endsWith(suffix) && topic.length > suffix.length) return { run: topic.slice(0, -suffix.length), role };
  }
  return undefined;
}

/** The run of a ClickHouse results table (`<run>_results`), or undefined. */
export function resultsTableRun(table: string): string | undefined {
  return table.endsWith('_results') && table.length > '_results'.length ? table.slice(0, -'_results'.length) : undefined;
}

/** The exporter's own consumer groups: left out of the lag it reports. */
export const OWN_GROUP_PREFIX = 'ctr-exporter-';
