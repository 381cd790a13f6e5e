/**
 * Waits, through Prometheus' HTTP API, for an alert with given labels to reach a state: the way a
 * live test or a lab sees an alert fire and resolve (ADR 0075). Polls every 500 ms: Prometheus
 * evaluates every 5 s, so the time is known to within that evaluation, not the poll.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertInfo, PrometheusClient } from '../../stack/prometheus/client.ts';

export type AlertPhase = 'pending' | 'firing' | 'resolved';

function matches(a: AlertInfo, name: string, labels: Record<string, string>): boolean {
  return a.labels.alertname === name && Object.entries(labels).every(([k, v]) => a.labels[k] === v);
}

/** The alert's current phase: 'resolved' when it is not in /api/v1/alerts at all. */
export async function alertPhase(prom: PrometheusClient, name: string, labels: Record<string, string>): Promise<AlertPhase> {
  const found = (await prom.alerts()).filter((a) => matches(a, name, labels));
  if (found.some((a) => a.state === 'firing')) return 'firing';
  return found.length > 0 ? 'pending' : 'resolved';
}

export interface AlertTiming {
  /** Seconds from `since` to the first poll that saw `pending` (or firing: a short `for:` can skip it); null if never. */
  pendingAfterSeconds: number | null;
  /** Seconds from `since` to the first poll that saw the phase waited for; null on timeout. */
  reachedAfterSeconds: number | null;
}

/** Polls until the alert is `want`, or `timeoutMs` after `since` (epoch ms). */
export async function waitForAlert(prom: PrometheusClient, name: string, labels: Record<string, string>, want: 'firing' | 'resolved', since: number, timeoutMs: number): Promise<AlertTiming> {
  let pending: number | null = null;
  const secs = () => (Date.now() - since) / 1000;
  while (Date.now() - since < timeoutMs) {
    const phase = await alertPhase(prom, name, labels).catch(() => undefined);
    if (phase && phase !== 'resolved' && pending === null) pending = secs();
    if (phase === want) return { pendingAfterSeconds: pending, reachedAfterSeconds: secs() };
    await sleep(500);
  }
  return { pendingAfterSeconds: pending, reachedAfterSeconds: null };
}
