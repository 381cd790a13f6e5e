import { describeError } from '../stack/errors.ts';
import { line, UsageError } from './output.ts';

/**
 * Runs a CLI entry point: exit 0/1 from main, 2 for usage errors, one clear message for anything
 * thrown. It exits as soon as main is done: after a Ctrl-C, work that was abandoned mid-step (a
 * drill's producer, a poller) must not keep the process alive; what the run owns was already
 * stopped by then, and the stack's services run detached.
 */
export function runCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      line(usage ? (err as Error).message : `error: ${describeError(err)}`);
      process.exit(usage ? 2 : 1);
    },
  );
}
