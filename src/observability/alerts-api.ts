/**
 * Alert state from Prometheus' HTTP API: which alerts are pending or firing now (/api/v1/alerts),
 * and their history over a time range (the ALERTS series the rule manager writes at every
 * evaluation), as state changes a page can draw.
 */
import { queryRange } from './query-api.ts';

export interface ActiveAlert {
  name: string;
  state: 'pending' | 'firing';
  labels: Record<string, string>;
  /** When it became active (pending), epoch ms. */
  activeAt: number;
}

export async function activeAlerts(baseUrl: string, signal?: AbortSignal): Promise<ActiveAlert[]> {
  const res = await fetch(`${baseUrl.replace(/\/$/, '')}/api/v1/alerts`, { signal });
  const body = (await res.json()) as { status: string; data?: { alerts?: { labels: Record<string, string>; state: string; activeAt: string }[] } };
  if (body.status !== 'success') throw new Error(`Prometheus /api/v1/alerts answered ${res.status}`);
  return (body.data?.alerts ?? [])
    .filter((a) => a.state === 'pending' || a.state === 'firing')
    .map((a) => ({ name: a.labels.alertname ?? '?', state: a.state as ActiveAlert['state'], labels: a.labels, activeAt: Date.parse(a.activeAt) }));
}

/** True when an alert of this name (and matching labels, if given) is firing now. */
export async function isFiring(baseUrl: string, name: string, match: (labels: Record<string, string>) => boolean = () => true): Promise<boolean> {
  return (await activeAlerts(baseUrl)).some((a) => a.name === name && a.state === 'firing' && match(a.labels));
}

/** One change of one alert's state, as seen in the ALERTS series (step resolution). */
export interface AlertChange {
  /** Unix seconds. */
  t: number;
  alertname: string;
  state: 'pending' | 'firing' | 'inactive';
}

/**
 * The alerts' state changes between start and end (unix seconds), from the ALERTS series at
 * `stepSeconds` resolution, of one run when `run` is given: a pending or firing series that stops
 * is an "inactive" change.
 */
export async function alertChanges(baseUrl: string, o: { start: number; end: number; stepSeconds: number; run?: string }): Promise<AlertChange[]> {
  // One run's alerts: they name it by its run label, its Flink job's name or its consumer groups' names.
  const query = o.run === undefined ? 'ALERTS' : `ALERTS{run="${o.run}"} or ALERTS{job_name=~".*${o.run}.*"} or ALERTS{group=~".*${o.run}.*"}`;
  const series = await queryRange(baseUrl, query, { ...o, legend: '{{alertname}}' });
  // Per alert name, the state at each step: firing wins over pending (several label sets may exist).
  const byName = new Map<string, Map<number, 'pending' | 'firing'>>();
  for (const s of series) {
    const name = s.labels.alertname ?? '?';
    const state = s.labels.alertstate === 'firing' ? 'firing' : 'pending';
    const steps = byName.get(name) ?? new Map<number, 'pending' | 'firing'>();
    for (const [t] of s.points) if (steps.get(t) !== 'firing') steps.set(t, state);
    byName.set(name, steps);
  }
  const changes: AlertChange[] = [];
  for (const [alertname, steps] of byName) {
    let last: AlertChange['state'] = 'inactive';
    for (let t = o.start; t <= o.end; t += o.stepSeconds) {
      const now = steps.get(t) ?? 'inactive';
      if (now !== last) changes.push({ t, alertname, state: now });
      last = now;
    }
  }
  return changes.sort((a, b) => a.t - b.t || a.alertname.localeCompare(b.alertname));
}
