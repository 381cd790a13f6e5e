import { usePluginData } from '@docusaurus/useGlobalData';
import CodeBlock from '@theme/CodeBlock';
import type { ReactNode } from 'react';
import type { ExerciseCatalogData } from '../../plugins/exercise-catalog';
import styles from './styles.module.css';

/**
 * One exercise, rendered from its folder (labs/<lab>/exercises/<id>/): the task, the commands,
 * then the hint and the solution, each collapsed so reading on does not spoil it. An unknown id
 * fails the build.
 */
export default function Exercise({ id }: { id: string }): ReactNode {
  const data = usePluginData('exercise-catalog') as ExerciseCatalogData;
  const e = data.exercises.find((x) => x.id === id);
  if (!e) throw new Error(`No exercise "${id}" (exercises: ${data.exercises.map((x) => x.id).join(', ')})`);
  return (
    <section className={styles.exercise} id={e.id} aria-label={`Exercise ${e.id}`}>
      <p className={styles.kicker}>Exercise · {e.id}</p>
      <h3 className={styles.title}>{e.title}</h3>
      <div dangerouslySetInnerHTML={{ __html: e.taskHtml }} />
      <CodeBlock language="bash">{`${e.startCommand}    # copies the starting files into exercises/${e.id}/\n${e.gradeCommand}    # grades your copy with the lab's own checks`}</CodeBlock>
      <details className={styles.hint}>
        <summary>Hint</summary>
        <div dangerouslySetInnerHTML={{ __html: e.hintHtml }} />
      </details>
      <details className={styles.solution}>
        <summary>Solution</summary>
        <div dangerouslySetInnerHTML={{ __html: e.solutionHtml }} />
        {e.changes.map((c) => (
          <CodeBlock key={c.file} language="diff" title={`${c.file}: the starting file → the solution`}>
            {c.diff}
          </CodeBlock>
        ))}
      </details>
    </section>
  );
}
