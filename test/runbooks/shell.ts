/**
 * A learner's terminal, replayed: runbook blocks run one after another in bash, and every variable
 * a block sets (RUN, JOB, SAVEPOINT...) is there for the next one, as if typed into one shell.
 * Each block is its own bash process (so a test sees each block's output and exit code); `set -a`
 * exports every assignment and the exports are saved to a file the next block sources.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../src/stack/paths.ts';
import type { RunbookBlock } from './blocks.ts';

export interface BlockRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions that do not care which stream. */
  output: string;
  ms: number;
}

export class ShellSession {
  private readonly dir = mkdtempSync(join(tmpdir(), 'runbook-shell-'));
  private readonly vars = join(this.dir, 'vars.sh');

  constructor(initial: Record<string, string> = {}) {
    writeFileSync(this.vars, Object.entries(initial).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'\n`).join(''));
  }

  /** Sets variables the runbook asks the reader to fill in (the run id, a job id they picked from a list). */
  set(vars: Record<string, string>): void {
    writeFileSync(this.vars, Object.entries(vars).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'\n`).join(''), { flag: 'a' });
  }

  /**
   * Runs blocks in order. fix/confirm/setup blocks stop at the first failing command (`set -e`),
   * and a non-zero exit fails the call: a fix that does not work must not look applied. diagnose
   * blocks run to the end like a reader would, and hand back their exit code for the test to judge.
   */
  async run(blocks: readonly RunbookBlock[], timeoutMs = 180_000): Promise<BlockRun> {
    const runs: BlockRun[] = [];
    for (const b of blocks) {
      const strict = b.role !== 'diagnose';
      const script = [`set -a${strict ? ' -e' : ''} -u -o pipefail`, `. '${this.vars}'`, `cd '${repoRoot}'`, b.code, '__rc=$?', `export -p | grep -v -E '^declare -x (BASH|SHELLOPTS|SHLVL|PWD|OLDPWD|_)=' > '${this.vars}.next' && mv '${this.vars}.next' '${this.vars}'`, 'exit $__rc'].join('\n');
      const r = await bash(script, timeoutMs);
      runs.push(r);
      if (strict && r.code !== 0) throw new Error(`runbook ${b.role} block (line ${b.line}) exited ${r.code}:\n${b.code}\n--- output ---\n${r.output.slice(-3000)}`);
    }
    return {
      code: runs.reduce((acc, r) => acc || r.code, 0),
      stdout: runs.map((r) => r.stdout).join(''),
      stderr: runs.map((r) => r.stderr).join(''),
      output: runs.map((r) => r.output).join(''),
      ms: runs.reduce((acc, r) => acc + r.ms, 0),
    };
  }

  /** A variable as the shell holds it after the blocks so far ('' when unset). */
  async get(name: string): Promise<string> {
    const r = await bash(`. '${this.vars}'; printf '%s' "\${${name}:-}"`, 10_000);
    return r.stdout;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function bash(script: string, timeoutMs: number): Promise<BlockRun> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      output += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      output += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runbook block still running after ${timeoutMs / 1000} s:\n${script}\n--- output so far ---\n${output.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr, output, ms: Date.now() - t0 });
    });
  });
}
