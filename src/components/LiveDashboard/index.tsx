/**
 * The live dashboard: every panel of src/observability/panels.ts, queried from the running
 * stack's Prometheus by the browser every 10 s. Prometheus' URL comes from the page's
 * `?prometheus=` parameter, by default the stack's default port; its API answers cross-origin
 * requests (its --web.cors.origin flag), so the site and Prometheus need not share an origin.
 * With no Prometheus answering, the page says so plainly and how to start one.
 */
import { useLocation } from '@docusaurus/router';
import { type ReactNode, useEffect, useState } from 'react';
import { DASHBOARD_ROWS, renderQuery } from '../../observability/panels';
import { prometheusVersion, queryRange, type Series } from '../../observability/query-api';
import Rows from './Rows';
import styles from './styles.module.css';

/** The stack's default Prometheus port (it moves when 9090 is busy: `npm run stack status` prints the URL). */
export const DEFAULT_PROMETHEUS = 'http://127.0.0.1:9090';
const REFRESH_MS = 10_000;

type Status = { kind: 'checking' } | { kind: 'down' } | { kind: 'live'; version: string; at: number };

function settings(search: string) {
  const q = new URLSearchParams(search);
  const minutes = Number(q.get('minutes') ?? 15);
  return {
    url: q.get('prometheus') || DEFAULT_PROMETHEUS,
    run: q.get('run') || '.+',
    minutes: Number.isFinite(minutes) && minutes > 0 ? minutes : 15,
  };
}

export default function LiveDashboard(): ReactNode {
  const { search } = useLocation();
  const { url, run, minutes } = settings(search);
  const [status, setStatus] = useState<Status>({ kind: 'checking' });
  const [series, setSeries] = useState<Record<string, Series[] | undefined>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const version = await prometheusVersion(url, abort.signal);
      if (abort.signal.aborted) return;
      if (!version) {
        setStatus({ kind: 'down' });
      } else {
        const end = Math.floor(Date.now() / 1000);
        const start = end - minutes * 60;
        // One point per chart pixel or so: 15 min at 5 s steps is 180 points.
        const stepSeconds = Math.max(5, Math.round((minutes * 60) / 180));
        const results = await Promise.all(
          DASHBOARD_ROWS.flatMap((r) => r.panels).map(async (p) => {
            try {
              return [p.id, await queryRange(url, renderQuery(p.query, { run }), { start, end, stepSeconds, legend: p.legend, signal: abort.signal }), undefined] as const;
            } catch (err) {
              return [p.id, undefined, err instanceof Error ? err.message : String(err)] as const;
            }
          }),
        );
        if (abort.signal.aborted) return;
        setSeries(Object.fromEntries(results.map(([id, s]) => [id, s])));
        setErrors(Object.fromEntries(results.filter(([, , e]) => e !== undefined).map(([id, , e]) => [id, e as string])));
        setStatus({ kind: 'live', version, at: Date.now() });
      }
      timer = setTimeout(() => void tick(), REFRESH_MS);
    };
    void tick();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [url, run, minutes]);

  return (
    <div data-dashboard-state={status.kind} data-prometheus={url}>
      {status.kind === 'checking' && <p className={styles.status}>Looking for Prometheus at {url}…</p>}
      {status.kind === 'down' && (
        <div className={styles.status} role="status">
          <p>
            <strong>No stack running:</strong> nothing answers at <code>{url}</code>, so there is nothing to chart.
          </p>
          <p>
            Start the stack with <code>npm run stack up</code> (it starts Prometheus beside Kafka, Flink and ClickHouse), run a lab to give it traffic
            (<code>npm run lab phase-5-observability -- --keep</code>), and this page fills in within {REFRESH_MS / 1000} s. If Prometheus took another
            port, <code>npm run stack status</code> prints its URL: open this page as <code>/dashboard?prometheus=http://127.0.0.1:PORT</code>.
          </p>
        </div>
      )}
      {status.kind === 'live' && (
        <p className={`${styles.status} ${styles.live}`}>
          Prometheus {status.version} at <code>{url}</code>: the last {minutes} minutes, runs matching <code>{run}</code>, refreshed every {REFRESH_MS / 1000} s (last{' '}
          {new Date(status.at).toLocaleTimeString()}). Parameters: <code>?prometheus=URL&amp;run=REGEX&amp;minutes=N</code> (a run id is the lab's topic prefix, printed as it runs).
        </p>
      )}
      {status.kind === 'live' && <Rows rows={DASHBOARD_ROWS} series={series} errors={errors} />}
    </div>
  );
}
