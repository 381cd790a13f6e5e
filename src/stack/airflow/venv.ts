/**
 * Airflow's virtual environment (ADR 0085): where it is, whether it is installed as
 * requirements.txt says, and the sentence that says what to run when it is not.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../paths.ts';

export const AIRFLOW_REQUIREMENTS = fileURLToPath(new URL('./requirements.txt', import.meta.url));
export const AIRFLOW_SETUP_COMMAND = 'npm run airflow:setup';

export function airflowVenvDir(): string {
  return process.env.CTR_AIRFLOW_VENV ?? join(repoRoot, '.stack', 'venvs', 'airflow');
}

export function airflowHome(): string {
  return process.env.CTR_AIRFLOW_HOME ?? join(repoRoot, '.stack', 'airflow');
}

/** The apache-airflow version requirements.txt pins. */
export function pinnedAirflowVersion(text = readFileSync(AIRFLOW_REQUIREMENTS, 'utf8')): string | undefined {
  return /^apache-airflow==(\S+)$/m.exec(text)?.[1];
}

/** undefined when the venv and its metadata database match requirements.txt; else one sentence saying what to run. */
export function airflowProblem(): string | undefined {
  if (!existsSync(join(airflowVenvDir(), 'bin', 'airflow'))) return `Airflow's venv is missing (${airflowVenvDir()}): run \`${AIRFLOW_SETUP_COMMAND}\` (about 30 s and 300 MB the first time).`;
  const want = createHash('sha256').update(readFileSync(AIRFLOW_REQUIREMENTS)).digest('hex');
  const stamp = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').trim() : '');
  if (stamp(join(airflowVenvDir(), '.requirements.sha256')) !== want) return `Airflow's venv does not match src/stack/airflow/requirements.txt: run \`${AIRFLOW_SETUP_COMMAND}\` to reinstall it.`;
  if (stamp(join(airflowHome(), '.migrated')) !== want) return `Airflow's metadata database (${airflowHome()}) is not migrated: run \`${AIRFLOW_SETUP_COMMAND}\`.`;
  return undefined;
}
