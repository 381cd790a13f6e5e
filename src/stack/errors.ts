/**
 * An error a learner can act on: `message` is one sentence saying what to do;
 * `logTail` carries the last lines of the service log when a service failed.
 */
export class StackError extends Error {
  constructor(
    message: string,
    readonly detail: { service?: string; logTail?: string } = {},
  ) {
    super(message);
    this.name = 'StackError';
  }
}

export function describeError(err: unknown): string {
  if (err instanceof StackError) {
    const tail = err.detail.logTail ? `\n--- last lines of the ${err.detail.service ?? 'service'} log ---\n${err.detail.logTail}` : '';
    return `${err.message}${tail}`;
  }
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** The user asked for something we cannot do as asked (bad flag, unreadable file): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
