import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import Mermaid from '@theme/Mermaid';
import { PHASES, phaseMapDiagram } from './phases.ts';
import styles from './styles.module.css';

/** The six phases as a mermaid diagram, with a plain link row (mermaid nodes are not links). */
export default function PhaseMap(): ReactNode {
  return (
    <figure className={styles.phaseMap} aria-label="Phase map">
      <Mermaid value={phaseMapDiagram()} />
      <figcaption>
        <ol className={styles.links}>
          {PHASES.map((p) => (
            <li key={p.number}>
              <Link to={p.path}>
                Phase {p.number}: {p.title}
              </Link>
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}
