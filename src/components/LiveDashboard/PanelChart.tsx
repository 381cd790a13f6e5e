import { type ReactNode, useEffect, useRef } from 'react';
import type { Panel } from '../../observability/panels';
import type { Series } from '../../observability/query-api';
import { formatValue } from './format';
import styles from './styles.module.css';

/**
 * One panel: its title, the chart (Observable Plot, drawn in the browser only: it needs the DOM)
 * and each series' latest value as text, so the numbers are in the HTML and a test can read them.
 * The same component draws live data and a recorded run.
 */
/** A moment to mark on every chart (a recorded fault's start, its fix): unix seconds and a short label. */
export interface Marker {
  t: number;
  label: string;
}

export default function PanelChart({ panel, series, error, markers = [] }: { panel: Pick<Panel, 'id' | 'title' | 'unit' | 'explain'>; series: Series[] | undefined; error?: string; markers?: readonly Marker[] }): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const drawn = series?.filter((s) => s.points.length > 0) ?? [];
  useEffect(() => {
    if (drawn.length === 0) return undefined;
    let el: Element | undefined;
    let live = true;
    void import('@observablehq/plot').then((Plot) => {
      if (!live || !ref.current) return;
      const rows = drawn.flatMap((s) => s.points.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => ({ t: new Date(t * 1000), v, series: s.legend })));
      el = Plot.plot({
        // The panel's own width: Plot's default (640 px) would be scaled down into a narrow grid cell, text and all.
        width: Math.max(240, ref.current.clientWidth),
        height: 180,
        marginLeft: 56,
        style: { background: 'transparent' },
        x: { type: 'time', label: null },
        y: { grid: true, label: null, tickFormat: (v: number) => formatValue(v, panel.unit) },
        color: { legend: drawn.length > 1 },
        marks: [
          Plot.ruleX(markers, { x: (m: Marker) => new Date(m.t * 1000), stroke: 'var(--ifm-color-warning-dark)', strokeDasharray: '4 3' }),
          Plot.text(markers, { x: (m: Marker) => new Date(m.t * 1000), text: 'label', frameAnchor: 'top', dy: -2, fontSize: 9, textAnchor: 'start', dx: 2 }),
          Plot.lineY(rows, { x: 't', y: 'v', stroke: drawn.length > 1 ? 'series' : 'currentColor', tip: true }),
          Plot.ruleY([0]),
        ],
      });
      ref.current.append(el);
    });
    return () => {
      live = false;
      el?.remove();
    };
  }, [series, panel.unit, markers]);
  const state = error ? 'error' : series === undefined ? 'loading' : drawn.length === 0 ? 'empty' : 'data';
  return (
    <figure className={styles.panel} data-panel={panel.id} data-panel-state={state} data-series={drawn.length}>
      <figcaption className={styles.title} title={panel.explain}>
        {panel.title}
      </figcaption>
      <div ref={ref} />
      {state === 'error' && <p className={styles.note}>Query failed: {error}</p>}
      {state === 'loading' && <p className={styles.note}>Loading…</p>}
      {state === 'empty' && <p className={styles.note}>No series yet in this time range.</p>}
      {state === 'data' && (
        <ul className={styles.latest}>
          {drawn.map((s) => (
            <li key={s.legend} data-series-legend={s.legend}>
              {s.legend}: <strong>{formatValue(s.points[s.points.length - 1]?.[1] ?? Number.NaN, panel.unit)}</strong>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
