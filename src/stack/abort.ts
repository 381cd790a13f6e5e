/**
 * A promise that rejects with `error()` when the signal aborts (Ctrl-C), to race long work
 * against. `dispose` removes the listener once the race is over, so repeated races don't pile up.
 */
export function abortPromise(signal: AbortSignal | undefined, error: () => Error): { promise: Promise<never>; dispose: () => void } {
  let dispose = () => {};
  const promise = new Promise<never>((_, reject) => {
    if (!signal) return;
    const onAbort = () => reject(error());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  promise.catch(() => {});
  return { promise, dispose };
}
