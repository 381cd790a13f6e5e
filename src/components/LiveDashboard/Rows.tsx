import type { ReactNode } from 'react';
import type { Row } from '../../observability/panels';
import type { Series } from '../../observability/query-api';
import PanelChart, { type Marker } from './PanelChart';
import styles from './styles.module.css';

/** The dashboard's rows (panels.ts), each panel drawn from `series[panel.id]`: live or recorded. */
export default function Rows({ rows, series, errors = {}, markers }: { rows: readonly Row[]; series: Record<string, Series[] | undefined>; errors?: Record<string, string>; markers?: readonly Marker[] }): ReactNode {
  return (
    <>
      {rows.map((row) => (
        <section key={row.id} className={styles.row} data-row={row.id}>
          <h3>{row.title}</h3>
          <div className={styles.grid}>
            {row.panels.map((p) => (
              <PanelChart key={p.id} panel={p} series={series[p.id]} error={errors[p.id]} markers={markers} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
