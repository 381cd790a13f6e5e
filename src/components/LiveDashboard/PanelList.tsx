import CodeBlock from '@theme/CodeBlock';
import type { ReactNode } from 'react';
import { DASHBOARD_ROWS } from '../../observability/panels';

/** Every row and panel of the dashboard with its query, as panels.ts defines them (the page never restates one). */
export default function PanelList(): ReactNode {
  return (
    <div data-panel-list="">
      {DASHBOARD_ROWS.map((row) => (
        <details key={row.id} data-panel-list-row={row.id}>
          <summary>
            <strong>{row.title}</strong>: {row.panels.map((p) => p.title).join(', ')}
          </summary>
          {row.panels.map((p) => (
            <div key={p.id}>
              <p>
                <strong>{p.title}</strong>. {p.explain}
              </p>
              <CodeBlock language="text">{p.query}</CodeBlock>
            </div>
          ))}
        </details>
      ))}
    </div>
  );
}
