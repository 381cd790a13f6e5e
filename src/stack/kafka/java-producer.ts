/**
 * Records produced by Kafka's own Java client (java-producer/ReplayProducer.java, ADR 0107), for
 * writes that must survive a broker stopping under them: the phase-5 drill stops one broker of
 * three while the traffic is replayed, and kafkajs was measured to lose acknowledged records then
 * (`npm run bench:producer-loss`, ADR 0107). The program runs as a single Java source file against the
 * stack's Kafka jars; records go through its stdin, and sync() waits for their acknowledgements.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { kafkaJars } from './service.ts';

const SOURCE = fileURLToPath(new URL('./java-producer/ReplayProducer.java', import.meta.url));
/** The jars the client needs: kafka-clients and its compression codecs, SLF4J without a binding (no log output). */
const NEEDED = /^(kafka-clients|lz4-java|snappy-java|zstd-jni|slf4j-api)-/;

export interface JavaRecord {
  topic: string;
  value: string | Buffer;
  key?: string;
  partition?: number;
  /** Record timestamp (CreateTime), epoch ms. */
  timestamp?: number;
}

export interface JavaProducer {
  send(records: readonly JavaRecord[]): void;
  /** Resolves once every record sent so far is acknowledged (acks=all); rejects with the client's error. */
  sync(): Promise<void>;
  /** Flushes, stops the program; rejects if a record failed. */
  close(): Promise<void>;
}

const b64 = (v: string | Buffer) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v).toString('base64');

export async function javaProducer(brokers: string): Promise<JavaProducer> {
  const { jars } = await kafkaJars();
  const cp = jars.filter((j) => NEEDED.test(j.split('/').pop() ?? '')).join(':');
  const child: ChildProcessWithoutNullStreams = spawn('java', ['-cp', cp, SOURCE, brokers], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  let done: (() => void) | undefined;
  const fail = (e: Error) => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('OK ')) {
      const n = Number(line.slice(3));
      waiting.get(n)?.resolve();
      waiting.delete(n);
    } else if (line.startsWith('ERROR ')) fail(new Error(`the Java producer failed: ${line.slice(6)}`));
    else if (line === 'DONE') done?.();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  void exited.then((code) => {
    if (code !== 0) fail(new Error(`the Java producer exited with ${code}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`));
  });
  let syncs = 0;
  const producer: JavaProducer = {
    send(records) {
      if (failure) throw failure;
      child.stdin.write(records.map((r) => `${r.topic}\t${r.partition ?? -1}\t${r.timestamp ?? -1}\t${r.key === undefined ? '' : b64(r.key)}\t${b64(r.value)}\n`).join(''));
    },
    sync() {
      if (failure) return Promise.reject(failure);
      const n = ++syncs;
      const acked = new Promise<void>((resolve, reject) => waiting.set(n, { resolve, reject }));
      child.stdin.write(`SYNC ${n}\n`);
      return acked;
    },
    async close() {
      const finished = new Promise<void>((resolve) => (done = resolve));
      child.stdin.end();
      const code = await exited;
      if (failure) throw failure;
      if (code !== 0) throw new Error(`the Java producer exited with ${code}`);
      await finished;
    },
  };
  // Ready when the JVM has compiled the program and built the client (2-3 s): a caller that paces
  // its records starts its clock after this, not before.
  await producer.sync();
  return producer;
}
