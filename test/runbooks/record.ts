/**
 * What the runbook suite measured, for the runbooks' index page: each fault case, whether its
 * runbook diagnosed and fixed it, and how long that took. Written to static/results/runbooks.json
 * only when asked (RECORD_RUNBOOKS=1) and only when every case ran: a partial run (a name filter,
 * an early failure) must not replace a complete record.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineWithLoad } from '../../src/bench/machine.ts';
import type { RunbookCaseRecord, RunbooksRecord } from '../../src/results/runbooks.ts';
import { repoRoot } from '../../src/stack/paths.ts';


export const RECORD_FILE = join(repoRoot, 'static', 'results', 'runbooks.json');

export class RunbookRecorder {
  readonly cases: RunbookCaseRecord[] = [];
  private readonly t0 = Date.now();
  /** Cases declared with track(): a complete run records one result for each. */
  private declared = 0;

  /** Wraps a test body: times it and records pass or fail (the error is rethrown for the runner). */
  track(runbook: string, fault: string, body: () => Promise<void>): () => Promise<void> {
    this.declared++;
    return async () => {
      const t = Date.now();
      try {
        await body();
        this.cases.push({ runbook, fault, passed: true, seconds: seconds(Date.now() - t) });
      } catch (err) {
        this.cases.push({ runbook, fault, passed: false, seconds: seconds(Date.now() - t), error: (err as Error).message.split('\n')[0]?.slice(0, 300) });
        throw err;
      }
    };
  }

  /** Writes the file when RECORD_RUNBOOKS=1 and every declared case ran; says what it did. */
  writeIfAsked(versions: Record<string, string>, log: (line: string) => void): void {
    if (process.env.RECORD_RUNBOOKS !== '1') return;
    if (this.cases.length !== this.declared) {
      log(`not recording: ${this.cases.length} of ${this.declared} cases ran`);
      return;
    }
    const record: RunbooksRecord = {
      recordedAt: new Date().toISOString(),
      command: 'RECORD_RUNBOOKS=1 npm run test:runbooks',
      passed: this.cases.every((c) => c.passed),
      passedCases: this.cases.filter((c) => c.passed).length,
      totalCases: this.cases.length,
      durationSeconds: seconds(Date.now() - this.t0),
      machine: machineWithLoad(),
      versions,
      cases: this.cases,
    };
    writeFileSync(RECORD_FILE, `${JSON.stringify(record, null, 2)}\n`);
    log(`recorded ${RECORD_FILE}`);
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
