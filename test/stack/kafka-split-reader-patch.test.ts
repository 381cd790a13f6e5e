/**
 * The running TaskManager loads ADR 0122's patched Kafka split reader, not the connector's own:
 * the patch jar must come first on its class path, since the JVM takes a class from the first jar
 * that has it. Asked of the TaskManager's own class path (read from /proc) with the stack's java,
 * so a class path built in another order, or a patch jar without the class, fails here.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { javaBin } from '../../src/stack/java.ts';
import { useSharedStack } from './shared-stack.ts';

const PATCHED = 'org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader';
const stack = useSharedStack();

test('the TaskManager takes KafkaPartitionSplitReader from the patch jar (ADR 0122)', () => {
  const tm = stack().services.find((s) => s.name === 'flink-taskmanager');
  const pid = tm && /^pid (\d+)$/.exec(tm.where)?.[1];
  assert.ok(pid, `a TaskManager running as a local process (the local backend applies the patch): ${tm?.where ?? 'none'}`);
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const classpath = args[args.indexOf('-classpath') + 1];
  assert.ok(classpath, 'the TaskManager was started with -classpath');
  const dir = mkdtempSync(join(tmpdir(), 'where-'));
  try {
    const source = join(dir, 'Where.java');
    writeFileSync(source, 'public class Where { public static void main(String[] a) throws Exception { System.out.println(Class.forName(a[0]).getProtectionDomain().getCodeSource().getLocation()); } }\n');
    const where = execFileSync(javaBin(), ['-cp', classpath, source, PATCHED], { encoding: 'utf8' }).trim();
    assert.match(where, /\/ctr-kafka-split-reader-patch\.jar$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
