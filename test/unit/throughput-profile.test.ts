import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeSamples, threadName } from '../../labs/phase-3-throughput/profile.ts';

// Two samples as `jfr print --events jdk.ExecutionSample` prints them (trimmed).
const text = `jdk.ExecutionSample {
  startTime = 05:26:01.123 (2026-11-22)
  sampledThread = "Source: run1_src[1] -> Calc[2] (1/1)#0" (javaThreadId = 70)
  state = "STATE_RUNNABLE"
  stackTrace = [
    org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.json.UTF8StreamJsonParser.nextToken() line: 760
    org.apache.flink.formats.json.JsonParserRowDataDeserializationSchema.deserialize(byte[]) line: 80
  ]
}

jdk.ExecutionSample {
  startTime = 05:26:01.143 (2026-11-22)
  sampledThread = "Deduplicate[3] -> (Calc[4] -> run1_late[5]: Writer) (1/1)#0" (javaThreadId = 71)
  state = "STATE_RUNNABLE"
  stackTrace = [
    org.apache.flink.runtime.state.ttl.TtlIncrementalCleanup.runCleanup() line: 40
  ]
}

jdk.ExecutionSample {
  startTime = 05:26:01.163 (2026-11-22)
  sampledThread = "Source: run1_src[1] -> Calc[2] (1/1)#0" (javaThreadId = 70)
  stackTrace = [
    org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.json.UTF8StreamJsonParser.nextToken() line: 761
  ]
}
`;

test('a JFR sample dump summarizes as shares per thread and per top-of-stack method', () => {
  const p = summarizeSamples(text);
  assert.equal(p.samples, 3);
  assert.deepEqual(p.threads, [{ thread: 'Source: src -> Calc', share: 0.667 }, { thread: 'Deduplicate -> Calc -> late: Writer', share: 0.333 }]);
  assert.deepEqual(p.top[0], { method: 'UTF8StreamJsonParser.nextToken', share: 0.667 });
  assert.deepEqual(p.top[1], { method: 'TtlIncrementalCleanup.runCleanup', share: 0.333 });
});

test('thread names lose subtask ids and run-specific table names', () => {
  assert.equal(threadName('GlobalWindowAggregate[7] -> Calc[8] -> r1_results[9]: Writer (2/2)#3'), 'GlobalWindowAggregate -> Calc -> results: Writer');
});
