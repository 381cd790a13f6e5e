/**
 * The runbook suite's last recorded run (static/results/runbooks.json, written by
 * `RECORD_RUNBOOKS=1 npm run test:runbooks`): each fault the suite caused, whether the runbook's own
 * commands diagnosed and repaired it, and how long the whole case took. Every figure is a <Fig>, so the
 * browser suite checks it against the file.
 */
import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import { Fig, RecordedOn } from '@site/src/components/ResultFigures';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import type { RunbooksRecord } from '@site/src/results/runbooks';

const FILE = 'runbooks';

export default function RunbookChecks(): ReactNode {
  const data = resultsFile(FILE) as RunbooksRecord | undefined;
  if (!data) return <RecordedOn file={FILE} />;
  return (
    <>
      <p>
        Last recorded run: <Fig file={FILE} path="passedCases" /> of <Fig file={FILE} path="totalCases" /> faults diagnosed and
        repaired by the runbooks' own commands, in <Fig file={FILE} path="durationSeconds" unit="s" /> with the stack's start.
      </p>
      <table>
        <thead>
          <tr>
            <th>runbook</th>
            <th>fault the test caused</th>
            <th>diagnosed, fixed, confirmed</th>
            <th>whole case: fault, diagnosis, fix, confirmation</th>
          </tr>
        </thead>
        <tbody>
          {data.cases.map((c, i) => (
            <tr key={`${c.runbook}-${c.fault}`}>
              <td>
                <Link to={`/runbooks/${c.runbook}`}>{c.runbook}</Link>
              </td>
              <td>{c.fault}</td>
              <td>
                <Fig file={FILE} path={`cases[${i}].passed`} />
              </td>
              <td>
                <Fig file={FILE} path={`cases[${i}].seconds`} unit="s" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RecordedOn file={FILE} />
    </>
  );
}
