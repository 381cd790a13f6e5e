/**
 * The order of a Flink process's class path, the same on both backends: the JVM takes a class from
 * the first jar that has it, so the jar with the patched Kafka split reader (ADR 0122) goes first
 * and every other jar keeps its place.
 */
import { basename } from 'node:path';

export const SPLIT_READER_PATCH_JAR = 'ctr-kafka-split-reader-patch.jar';

export function patchFirst(jars: readonly string[]): string[] {
  const isPatch = (j: string) => basename(j) === SPLIT_READER_PATCH_JAR;
  return [...jars.filter(isPatch), ...jars.filter((j) => !isPatch(j))];
}
