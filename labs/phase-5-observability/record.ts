/**
 * What `--record` keeps of a run (static/results/phase-5-observability.json): the setup, the
 * machine and versions, each fault with its alert's times, the alert state changes, the counts
 * beside the oracle's, and every panel's series, for the lesson's charts.
 */
import { labRecordHeader } from '../../src/results/lab-record.ts';
import type { LabReport } from '../../src/lab/report.ts';
import type { ObservabilityRecord } from '../../src/results/observability.ts';
import type { State } from './lab.ts';
import { CHECKPOINT_INTERVAL } from './pipeline.ts';

/** The checks whose figures the page shows beside the oracle's: the metric ones. */
const isCountCheck = (name: string) => name.startsWith('metric: ');

export function buildRecord(s: State, report: LabReport, o: { rate: number; stepSeconds: number }): ObservabilityRecord {
  if (!s.prometheus || !s.window || !s.series) throw new Error('the run did not reach its dashboard step: nothing to record');
  return {
    ...labRecordHeader('phase-5-observability', s.short, report),
    setup: { linesPerSecond: o.rate, delivery: 'at-least-once (no crash in this lab: nothing re-sent)', checkpointing: `every ${CHECKPOINT_INTERVAL}`, parallelism: 1 },
    prometheus: s.prometheus,
    window: { ...s.window, stepSeconds: o.stepSeconds },
    faults: s.faults,
    alertChanges: s.alertChanges ?? [],
    counts: report.checks.filter((c) => isCountCheck(c.name)).map((c) => ({ name: c.name.replace(/^metric: /, ''), oracle: c.expected, prometheus: c.actual, ok: c.ok })),
    series: s.series,
  };
}
