import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import CodeBlock from '@theme/CodeBlock';
import PhaseMap from '@site/src/components/PhaseMap';
import styles from './index.module.css';

export default function Home(): ReactNode {
  return (
    <Layout
      title="Learn streaming data engineering with labs that run"
      description="Ad impressions and clicks flow through Kafka, Flink and ClickHouse into a click-through rate per product per 10-second window. The lessons come with labs you run on your own machine."
    >
      <main className={styles.home}>
        <section className={styles.intro}>
          <div className={styles.what}>
            <h1 className={styles.title}>Real-time CTR Labs</h1>
            <p className={styles.lead}>
              Learn streaming data engineering on one pipeline that grows phase by phase: ad impressions and
              clicks flow <strong>Kafka → Flink → ClickHouse</strong> and become a click-through rate per
              product per 10-second window. The lessons come with labs that start the real services on your
              machine and check the results against an independent reference; a phase whose lab is not
              written yet says so on its page.
            </p>
            <p className={styles.who}>
              <strong>For</strong> engineers who know SQL and a programming language and want to understand
              event time, exactly-once and operations by running them, and for anyone preparing for a data
              engineering interview with numbers they measured themselves.
            </p>
          </div>
          <div className={styles.start}>
            <h2 className={styles.startTitle}>Start</h2>
            <CodeBlock language="bash">{'npm install\nnpm run doctor\nnpm run lab phase-0'}</CodeBlock>
            <p className={styles.startNote}>
              <code>doctor</code> checks Java, ClickHouse, free ports and memory, and says what to fix.
            </p>
            <div className={styles.buttons}>
              <Link className="button button--primary" to="/docs/phase-0-baseline">
                Phase 0 lesson
              </Link>
              <Link className="button button--secondary" to="/docs">
                How it works
              </Link>
            </div>
          </div>
        </section>
        <section className={styles.map}>
          <h2 className={styles.mapTitle}>Phase map</h2>
          <PhaseMap />
        </section>
      </main>
    </Layout>
  );
}
