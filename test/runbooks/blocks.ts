/**
 * Reads the runnable commands out of a runbook. The convention (documented in runbooks/index.mdx):
 * a fenced block opened with ```bash title="<role> [<case>]"``` is run by the runbook's test, where
 * role is setup | diagnose | fix | confirm and the optional case names one fault of a runbook that
 * covers several (```bash title="diagnose idle-partition"```). Untitled blocks are prose examples
 * and are never run. So a runbook keeps each command once, and the test runs that very text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/stack/paths.ts';

export const ROLES = ['setup', 'diagnose', 'fix', 'confirm'] as const;
export type Role = (typeof ROLES)[number];

export interface RunbookBlock {
  role: Role;
  /** '' when the block belongs to the runbook as a whole. */
  caseName: string;
  code: string;
  /** 1-based line of the opening fence, for failure messages. */
  line: number;
}

const FENCE = /^(\s*)```bash\s+title="([a-z]+)(?:\s+([a-z0-9-]+))?"\s*$/;

export function parseBlocks(markdown: string, file = 'runbook'): RunbookBlock[] {
  const lines = markdown.split('\n');
  const blocks: RunbookBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i] as string);
    if (!m) continue;
    const [, indent = '', role = '', caseName = ''] = m;
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`${file}:${i + 1}: block title "${role}" is not one of ${ROLES.join(', ')}`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && (lines[j] as string).trim() !== '```'; j++) body.push((lines[j] as string).startsWith(indent) ? (lines[j] as string).slice(indent.length) : (lines[j] as string));
    if (j === lines.length) throw new Error(`${file}:${i + 1}: the ${role} block is never closed`);
    blocks.push({ role: role as Role, caseName, code: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** A runbook's file under runbooks/, parsed. */
export function runbookBlocks(name: string): RunbookBlock[] {
  const file = join(repoRoot, 'runbooks', `${name}.md`);
  return parseBlocks(readFileSync(file, 'utf8'), `runbooks/${name}.md`);
}

/** The blocks of one role (and case), in page order; throws when there are none, so a deleted block fails its test. */
export function select(blocks: readonly RunbookBlock[], role: Role, caseName = ''): RunbookBlock[] {
  const found = blocks.filter((b) => b.role === role && b.caseName === caseName);
  if (found.length === 0) throw new Error(`no \`bash title="${role}${caseName ? ` ${caseName}` : ''}"\` block in the runbook`);
  return found;
}
