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
import { ALERTS } from '../../observability/metrics';

/** `code` spans of a comment as <code>, the rest as text. */
function prose(text: string): ReactNode[] {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .split(/(`[^`]+`)/)
    .map((part, i) => (part.startsWith('`') && part.endsWith('`') ? <code key={i}>{part.slice(1, -1)}</code> : part));
}

const show = (v: Thresholds[keyof Thresholds]) => String(v);

/** The rule's real name for a comment's short one ("JobNotRunning" -> "FlinkJobNotRunning"). */
const alertOf = (short: string) => Object.values(ALERTS).find((a) => a === short || a.endsWith(short)) ?? short;

export default function AlertThresholds(): ReactNode {
  const { thresholdNotes } = usePluginData('observability') as ObservabilityData;
  return (
    <div data-alert-thresholds="">
      {thresholdNotes.map((n) => {
        const short = /^(\w+):/.exec(n.text)?.[1] ?? '';
        return (
          <div key={n.fields.join()} data-alert-threshold={alertOf(short)}>
            <p>
              <code>{alertOf(short)}</code>: {prose(n.text.replace(/^\w+:\s*/, ''))}
            </p>
            <table>
              <thead>
                <tr>
                  <th>setting</th>
                  <th>lab (what the stack loads)</th>
                  <th>production (recommended)</th>
                </tr>
              </thead>
              <tbody>
                {n.fields.map((f) => (
                  <tr key={f}>
                    <td>
                      <code>{f}</code>
                    </td>
                    <td>{show(LAB_THRESHOLDS[f as keyof Thresholds])}</td>
                    <td>{show(PRODUCTION_THRESHOLDS[f as keyof Thresholds])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}
