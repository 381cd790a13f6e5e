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
    (code) => exitAfterOutput(code),
    (err: unknown) => {
      const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      line(usage ? (err as Error).message : `error: ${describeError(err)}`);
      exitAfterOutput(usage ? 2 : 1);
    },
  );
}

/**
 * process.exit() once stdout and stderr have handed over everything written so far. Writes to a
 * pipe are asynchronous, and exiting at once kept only the first 64 KiB: `npm run -s stack -- logs
 * clickhouse --lines 2000 | grep ...` lost the newest lines, the ones a runbook greps for.
 */
export function exitAfterOutput(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
