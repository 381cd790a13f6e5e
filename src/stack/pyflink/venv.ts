/**
 * PyFlink's virtual environment (ADR 0065): where it is, whether it is installed as
 * requirements.txt says, and the sentence that says what to run when it is not.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../paths.ts';

export const REQUIREMENTS = fileURLToPath(new URL('./requirements.txt', import.meta.url));
export const SETUP_COMMAND = 'npm run pyflink:setup';

export function venvDir(): string {
  return process.env.CTR_PYFLINK_VENV ?? join(repoRoot, '.stack', 'venvs', 'pyflink');
}

export const venvPython = (): string => join(venvDir(), 'bin', 'python');

/** The apache-flink version requirements.txt pins. */
export function pinnedPyflinkVersion(text = readFileSync(REQUIREMENTS, 'utf8')): string | undefined {
  return /^apache-flink==(\S+)$/m.exec(text)?.[1];
}

/** undefined when the venv matches requirements.txt; else one sentence saying what to run. */
export function venvProblem(): string | undefined {
  if (!existsSync(venvPython())) return `PyFlink's venv is missing (${venvDir()}): run \`${SETUP_COMMAND}\` (about 40 s, 730 MB).`;
  const want = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  const stamp = join(venvDir(), '.requirements.sha256');
  const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
  if (have !== want) return `PyFlink's venv does not match src/stack/pyflink/requirements.txt: run \`${SETUP_COMMAND}\` to reinstall it.`;
  return undefined;
}
