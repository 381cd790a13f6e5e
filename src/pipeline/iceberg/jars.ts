/**
 * How a job gets Iceberg (ADR 0095): the SQL Gateway has iceberg-flink-runtime and Hadoop's client on
 * its class path (src/stack/flink/iceberg/pom.xml), the JobManager and TaskManager do not, so a job
 * that writes or reads Iceberg ships the same jars with it (`pipeline.jars`, uploaded to the
 * JobManager's blob server at submission). The other labs' jobs ship nothing more.
 */
import { sqlString } from '../../lab/sql.ts';
import { icebergJars } from '../../stack/flink/service.ts';

/** The jar files a job ships (resolved once by Maven, cached under .stack/jars/iceberg). */
export async function icebergJobJars(): Promise<string[]> {
  return (await icebergJars()).jars;
}

/** The SET that makes a session's jobs ship `jars`. */
export function pipelineJarsStatement(jars: readonly string[]): string {
  if (jars.length === 0) throw new Error('pipeline.jars: no Iceberg jars to ship');
  return `SET 'pipeline.jars' = ${sqlString(jars.map((j) => `file://${j}`).join(';'))}`;
}
