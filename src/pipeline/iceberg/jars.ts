/**
 * How a job gets Iceberg (ADR 0095): iceberg-flink-runtime and Hadoop's client are on the class path
 * of every Flink process of the stack (the SQL Gateway, the JobManager, the TaskManagers;
 * src/stack/flink/iceberg/pom.xml), so a job that writes or reads Iceberg ships nothing. Shipping
 * them with each job (`pipeline.jars`, the first design) gave every job a class loader of its own
 * that Hadoop's threads never let go: the TaskManager ran out of Metaspace after a few dozen jobs.
 */
import { icebergJars } from '../../stack/flink/service.ts';

/** The jar files on the Flink processes' class path (resolved once by Maven, cached under .stack/jars/iceberg). */
export async function icebergJobJars(): Promise<string[]> {
  return (await icebergJars()).jars;
}
