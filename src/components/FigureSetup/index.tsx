/**
 * The setup next to a figure. <SetupChip> is the few words after a number ("exactly-once, median
 * of 3 runs"; the full setup in its tooltip); <SetupNote> is the whole setup as a short list,
 * above a table of figures. Both carry data-setup, and data-setup-delivery names the delivery
 * guarantee, so test/e2e/figure-setup.spec.ts can check that no figure stands without one.
 */
import type { ReactNode } from 'react';
import { type FigureSetup, setupLines } from '@site/src/results/setup';
import styles from './styles.module.css';

export function SetupChip({ setup }: { setup: FigureSetup | undefined }): ReactNode {
  if (!setup) {
    return (
      <small className={styles.chip} data-setup="missing">
        {' '}
        (no run recorded)
      </small>
    );
  }
  return (
    <small className={styles.chip} data-setup={setup.short} data-setup-delivery={setup.delivery} title={setupLines(setup).map(([k, v]) => `${k}: ${v}`).join('\n')}>
      {' '}
      ({setup.short})
    </small>
  );
}

export function SetupNote({ setup, title }: { setup: FigureSetup | undefined; title?: string }): ReactNode {
  if (!setup) return <p data-setup="missing">No run recorded yet.</p>;
  return (
    <dl className={styles.note} data-setup={setup.short} data-setup-delivery={setup.delivery}>
      {title ? <div><strong>{title}</strong></div> : null}
      {setupLines(setup).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
