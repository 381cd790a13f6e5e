import Layout from '@theme/Layout';
import Link from '@docusaurus/Link';
import type { ReactNode } from 'react';
import LiveDashboard from '../components/LiveDashboard';

/** /dashboard: the pipeline's live dashboard against your running stack's Prometheus. */
export default function DashboardPage(): ReactNode {
  return (
    <Layout title="Live dashboard" description="The CTR pipeline's health, throughput, freshness, data quality, lag, checkpoints and ClickHouse ingestion, live from your stack's Prometheus.">
      <main className="container margin-vert--lg">
        <h1>Live dashboard</h1>
        <p>
          The pipeline on your machine, from your stack's Prometheus: the same rows and queries as the Grafana dashboard and the recorded run on the{' '}
          <Link to="/docs/phase-5-realistic-pipeline/observability">observability lesson</Link>, which explains each panel and the alerts.
        </p>
        <LiveDashboard />
      </main>
    </Layout>
  );
}
