/**
 * One DAG run through Airflow itself, without scheduler or API server (ADR 0086): `dags test`
 * (Airflow's DAG.test, via dag_test.py) in the project's venv, its log to a file, and the run's
 * state and each task's state and tries read from the line dag_test.py prints last.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../paths.ts';

const AIRFLOW_SH = fileURLToPath(new URL('./airflow.sh', import.meta.url));
const DAG_TEST_PY = fileURLToPath(new URL('./dag_test.py', import.meta.url));

export interface DagRunResult {
  dagId: string;
  runId: string;
  state: string;
  tasks: Record<string, { state: string; tries: number }>;
  /** The task log lines that matter to a reader: what the DAG's own code printed. */
  printed: string[];
  logFile: string;
  ms: number;
}

/** Lines of the log the DAGs' code printed (not Airflow's own structured log lines). */
const isOwnLine = (l: string) => l.trim() !== '' && !/^\d{4}-\d\d-\d\dT[\d:.]+Z \[/.test(l) && !/^\s/.test(l) && !l.startsWith('DAG_RUN ') && !/^(Traceback|[A-Za-z_.]+(Error|Exception):)/.test(l);

export function dagTest(dagId: string, conf: Record<string, unknown>, o: { logFile: string; signal?: AbortSignal; timeoutMs?: number }): Promise<DagRunResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [AIRFLOW_SH, '--python', DAG_TEST_PY, dagId, JSON.stringify(conf)], {
      cwd: repoRoot,
      // The DAGs run the pipeline CLI with this node (Node 22, as the lab itself).
      env: { ...process.env, CTR_NODE: process.execPath },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: o.signal,
      timeout: o.timeoutMs ?? 600_000,
    });
    const log = createWriteStream(o.logFile);
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      log.write(b);
    });
    child.stderr.on('data', (b: Buffer) => log.write(b));
    child.once('error', reject);
    child.once('close', (code) => {
      log.end();
      const lines = out.split('\n');
      const last = lines.filter((l) => l.startsWith('DAG_RUN ')).pop();
      if (!last) {
        reject(new Error(`airflow dags test ${dagId} ended (exit ${code}) without a run summary: see ${o.logFile}`));
        return;
      }
      const r = JSON.parse(last.slice('DAG_RUN '.length)) as { dag_id: string; run_id: string; state: string; tasks: DagRunResult['tasks'] };
      resolve({ dagId: r.dag_id, runId: r.run_id, state: r.state, tasks: r.tasks, printed: lines.filter(isOwnLine), logFile: o.logFile, ms: Date.now() - t0 });
    });
  });
}

/** "savepoint success, start_new failed (1 try), ..." in the DAG's task order of the summary. */
export function taskSummary(r: Pick<DagRunResult, 'tasks'>): string {
  return Object.entries(r.tasks)
    .map(([id, t]) => `${id} ${t.state}${t.tries > 1 ? ` (${t.tries} tries)` : ''}`)
    .join(', ');
}
