/**
 * Every alert threshold, in one place, for two profiles (ADR 0074):
 *
 *   PRODUCTION_THRESHOLDS  what the lesson recommends for a pipeline that runs for real;
 *   LAB_THRESHOLDS         what the stack's Prometheus loads: the same levels with shorter
 *                          `for:` durations and windows, so a live test causes a fault and sees
 *                          its alert within a minute instead of five.
 *
 * The comments on each field are the explanation the lesson page shows beside the numbers.
 * test/alerts/*.test.yml hold promtool unit tests against LAB_THRESHOLDS: change a number here
 * and they fail until the tests are moved too (that is the point: a threshold is a decision).
 */

/** A Prometheus duration: "30s", "1m", "5m". */
export type Duration = `${number}${'s' | 'm' | 'h'}`;

export interface Thresholds {
  profile: 'production' | 'lab';
  /**
   * JobNotRunning: the newest job of a name has been FAILING, FAILED, RESTARTING or SUSPENDED for
   * this long. Short on purpose: with restarts on, a healthy recovery passes through RESTARTING in
   * a few seconds (ADR 0016: 3 attempts, 2 s apart); anything longer means nothing is processed.
   */
  jobNotRunningFor: Duration;
  /**
   * CheckpointsNotCompleting: no checkpoint completed for this many checkpoint intervals. One
   * missed checkpoint is noise (a slow one, a busy disk); three in a row mean the job cannot make
   * progress durable, and a restart would replay everything since the last one.
   */
  checkpointIntervalsMissed: number;
  /**
   * ConsumerLagGrowing: the lag (records not yet read) of a consumer group, or of a Flink job's
   * sources, is higher than `lagWindow` ago at every evaluation for `lagGrowingFor`. A stopped
   * consumer grows its lag as fast as the producers write; a healthy one catches up within
   * seconds, so its lag goes up and down and never grows for a whole minute.
   */
  lagWindow: Duration;
  lagGrowingFor: Duration;
  /**
   * DlqShareHigh: the share of input events the pipeline sent to the dead-letter topic over
   * `dlqWindow`. The generated traffic carries 2% malformed lines on purpose (src/ctr/generator.ts);
   * 5% is above that noise and low enough that a producer bug (every event bad) fires at once.
   */
  dlqShare: number;
  dlqWindow: Duration;
  dlqFor: Duration;
  /**
   * ResultsStale: the newest window in ClickHouse ends more than
   *   window (10 s) + watermark delay (5 s) + allowance
   * before now. A window can only close once the watermark (max event time - 5 s) passes its end,
   * and its row reaches ClickHouse one Kafka engine flush later, so window + delay is the floor
   * and the allowance covers the flush and the scrape. Only runs whose results were live within
   * `freshnessHorizonSeconds` count: a replay of yesterday's events is not stale, it is history.
   */
  windowSeconds: number;
  watermarkDelaySeconds: number;
  freshnessAllowanceSeconds: number;
  freshnessHorizonSeconds: number;
  resultsStaleFor: Duration;
  /**
   * LateRecordsDropped: Flink's window operators dropped late records within `lateWindow`. The
   * pipeline routes late events to their own topic before the window (DESIGN.md), so a drop means
   * an event was lost silently: always worth a look, hence threshold zero.
   */
  lateWindow: Duration;
  lateFor: Duration;
}

export const PRODUCTION_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  profile: 'production',
  jobNotRunningFor: '1m',
  checkpointIntervalsMissed: 3,
  lagWindow: '1m',
  lagGrowingFor: '1m',
  dlqShare: 0.05,
  dlqWindow: '5m',
  dlqFor: '2m',
  windowSeconds: 10,
  watermarkDelaySeconds: 5,
  freshnessAllowanceSeconds: 30,
  freshnessHorizonSeconds: 3600,
  resultsStaleFor: '1m',
  lateWindow: '5m',
  lateFor: '0s',
});

export const LAB_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  profile: 'lab',
  jobNotRunningFor: '10s',
  checkpointIntervalsMissed: 3,
  lagWindow: '20s',
  lagGrowingFor: '20s',
  dlqShare: 0.05,
  dlqWindow: '30s',
  dlqFor: '0s',
  windowSeconds: 10,
  watermarkDelaySeconds: 5,
  freshnessAllowanceSeconds: 10,
  freshnessHorizonSeconds: 900,
  resultsStaleFor: '10s',
  lateWindow: '1m',
  lateFor: '0s',
});

/** Seconds of a Duration ("1m" -> 60). */
export function seconds(d: Duration): number {
  const n = Number(d.slice(0, -1));
  return d.endsWith('h') ? n * 3600 : d.endsWith('m') ? n * 60 : n;
}

/** The newest window may be this old before ResultsStale counts it (window + watermark + allowance). */
export function freshnessLimitSeconds(t: Thresholds): number {
  return t.windowSeconds + t.watermarkDelaySeconds + t.freshnessAllowanceSeconds;
}
