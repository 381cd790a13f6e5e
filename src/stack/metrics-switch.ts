/**
 * CTR_METRICS=off starts Kafka without the JMX exporter agent and Flink without its Prometheus
 * reporter (ADR 0070): to measure what they cost (`npm run bench:stack` with and without), or to
 * rule them out. Prometheus and the pipeline exporter still start; they find fewer targets.
 */
export function metricsEnabled(): boolean {
  return (process.env.CTR_METRICS ?? 'on') !== 'off';
}
