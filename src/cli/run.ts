import { describeError } from '../stack/errors.ts';
import { line, UsageError } from './output.ts';

/** Runs a CLI entry point: exit 0/1 from main, 2 for usage errors, one clear message for anything thrown. */
export function runCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      line(usage ? (err as Error).message : `error: ${describeError(err)}`);
      process.exitCode = usage ? 2 : 1;
    },
  );
}
