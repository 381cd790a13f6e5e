/**
 * A stack test's stack: the running one when there is one (CI shares one across suites), else
 * one started for this file and stopped after it. Registers the file's before and after hooks.
 */
import { after, before } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';

export const log = (line: string) => process.stdout.write(`# ${line}\n`);

/** The stack, once the before hook has run: call it inside a test. */
export function useSharedStack(): () => EnsuredStack {
  let stack: EnsuredStack | undefined;
  before(async () => {
    stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
  });
  after(async () => {
    await stack?.release();
  });
  return () => {
    if (!stack) throw new Error('the stack is not up: useSharedStack() hands it out only once its before hook has run');
    return stack;
  };
}
