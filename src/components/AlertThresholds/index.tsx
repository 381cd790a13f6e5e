/**
 * The alert thresholds as the stack loads them: each field's value in the lab profile (what the
 * stack's Prometheus runs) and the production profile (what the lesson recommends), beside the
 * explanation written in the thresholds file's own comments (src/plugins/observability.ts).
 * Nothing typed here: a changed threshold changes the page.
 */
import { usePluginData } from '@docusaurus/useGlobalData';
import type { ReactNode } from 'react';
import { LAB_THRESHOLDS, PRODUCTION_THRESHOLDS, type Thresholds } from '../../observability/alerts/thresholds';
import type { ObservabilityData } from '../../plugins/observability';

/** `code` spans of a comment as <code>, the rest as text. */
function prose(text: string): ReactNode[] {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .split(/(`[^`]+`)/)
    .map((part, i) => (part.startsWith('`') && part.endsWith('`') ? <code key={i}>{part.slice(1, -1)}</code> : part));
}

const show = (v: Thresholds[keyof Thresholds]) => String(v);

export default function AlertThresholds(): ReactNode {
  const { thresholdNotes } = usePluginData('observability') as ObservabilityData;
  return (
    <table data-alert-thresholds="">
      <thead>
        <tr>
          <th>alert</th>
          <th>setting</th>
          <th>lab (the stack)</th>
          <th>production</th>
          <th>why (from the thresholds file)</th>
        </tr>
      </thead>
      <tbody>
        {thresholdNotes.map((n) => {
          const alert = /^(\w+):/.exec(n.text)?.[1] ?? '';
          return n.fields.map((f, i) => (
            <tr key={f}>
              {i === 0 && <td rowSpan={n.fields.length}>{alert ? <code>{alert}</code> : null}</td>}
              <td>
                <code>{f}</code>
              </td>
              <td>{show(LAB_THRESHOLDS[f as keyof Thresholds])}</td>
              <td>{show(PRODUCTION_THRESHOLDS[f as keyof Thresholds])}</td>
              {i === 0 && <td rowSpan={n.fields.length}>{prose(n.text.replace(/^\w+:\s*/, ''))}</td>}
            </tr>
          ));
        })}
      </tbody>
    </table>
  );
}
