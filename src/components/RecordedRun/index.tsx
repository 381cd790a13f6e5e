/**
 * A lab run as its terminal printed it, captured by `npm run lab <id> -- --record`
 * (static/results/terminal/<name>.json), and the Flink web UI as `npm run record:screenshots`
 * photographed it (static/img/flink-ui/<name>.png): the lab for readers without a machine. Nothing
 * here is typed: a run not recorded yet says so.
 */
import CodeBlock from '@theme/CodeBlock';
import useBaseUrl from '@docusaurus/useBaseUrl';
import type { ReactNode } from 'react';
import type { RecordedRun as Run } from '../../results/terminal';
import { describeRun, recordedRun } from './runs';
import styles from './styles.module.css';

export default function RecordedRun({ lab }: { lab: string }): ReactNode {
  const run = recordedRun(lab);
  if (!run) {
    return (
      <p data-recorded-run={lab} data-results-missing="true">
        <em>Not recorded yet</em>: <code>npm run lab {lab} -- --record</code> writes it.
      </p>
    );
  }
  return (
    <figure className={styles.run} data-recorded-run={lab}>
      <CodeBlock language="text" title={`$ ${run.command}`}>
        {run.lines.join('\n').trimEnd()}
      </CodeBlock>
      <figcaption>{describeRun(run as Run)}</figcaption>
    </figure>
  );
}

const SHOTS = {
  'job-graph': 'The job graph of the running pipeline: its vertices, each a chain of operators, with records in and out per vertex.',
  backpressure: 'The BackPressure tab of a vertex: per subtask, the share of time it was back-pressured, idle or busy.',
  checkpoints: 'The Checkpoints tab: completed checkpoints, their size and duration, and the latest one a restore would use.',
} as const;

/** One screenshot of the Flink web UI, taken by `npm run record:screenshots` during a run of the streaming pipeline. */
export function FlinkScreenshot({ shot }: { shot: keyof typeof SHOTS }): ReactNode {
  const src = useBaseUrl(`/img/flink-ui/${shot}.png`);
  return (
    <figure className={styles.shot} data-flink-screenshot={shot}>
      <img src={src} alt={SHOTS[shot]} loading="lazy" />
      <figcaption>{SHOTS[shot]}</figcaption>
    </figure>
  );
}
