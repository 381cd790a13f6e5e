import CodeBlock from '@theme/CodeBlock';
import type { ReactNode } from 'react';
import { useCheck, useLab, useStep } from './catalog';
import styles from './styles.module.css';

/** The lab block of a lesson: command, steps and checks, rendered from the lab's own definition. */
export default function LabBlock({ lab: id }: { lab: string }): ReactNode {
  const lab = useLab(id);
  return (
    <section className={styles.lab} aria-label={`Lab ${lab.id}`}>
      <p className={styles.kicker}>Lab · {lab.id}</p>
      <h3 className={styles.title}>{lab.title}</h3>
      <p>{lab.summary}</p>
      <CodeBlock language="bash">{lab.command}</CodeBlock>
      <p className={styles.sub}>Steps, each printed with its elapsed time:</p>
      <ol className={styles.steps}>
        {lab.steps.map((s) => (
          <li key={s.id} id={`step-${s.id}`}>
            <strong>{s.title}</strong> <code>{s.id}</code>
            <br />
            {s.explain}
          </li>
        ))}
      </ol>
      <p className={styles.sub}>Checks, printed as a table of expected vs actual; the lab exits 0 only when all pass:</p>
      <table>
        <thead>
          <tr>
            <th>check</th>
            <th>what is compared</th>
          </tr>
        </thead>
        <tbody>
          {lab.checks.map((c) => (
            <tr key={c.name}>
              <td>
                <code>{c.name}</code>
              </td>
              <td>{c.explain}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Names a step in prose; the build fails if the lab has no such step. */
export function StepName({ lab, id }: { lab: string; id: string }): ReactNode {
  return <strong>{useStep(lab, id).title}</strong>;
}

/** Names a check in prose; the build fails if the lab has no such check. */
export function CheckName({ lab, name }: { lab: string; name: string }): ReactNode {
  return <code>{useCheck(lab, name).name}</code>;
}

/** Highlighting by extension; anything else is plain text. */
const LANGUAGES: Record<string, string> = { sql: 'sql', kt: 'kotlin', java: 'java', py: 'python', md: 'markdown' };

/**
 * Shows one of the lab's files exactly as the lab runs it: a path in the lab's folder
 * (`job/src/main/kotlin/...`), or, for SQL, in its sql/ folder (`flink/10-source.sql`).
 */
export function LabFile({ lab, file, title }: { lab: string; file: string; title?: string }): ReactNode {
  const entry = useLab(lab);
  const path = file in entry.files ? file : `sql/${file}`;
  const text = entry.files[path];
  if (text === undefined) throw new Error(`Lab "${lab}" has no file ${file} or sql/${file} (files: ${Object.keys(entry.files).join(', ')})`);
  return (
    <CodeBlock language={LANGUAGES[path.split('.').pop() ?? ''] ?? 'text'} title={title ?? entry.sources?.[path] ?? `labs/${lab}/${path}`}>
      {text.trimEnd()}
    </CodeBlock>
  );
}
