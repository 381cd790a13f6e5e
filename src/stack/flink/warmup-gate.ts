/**
 * The one place a gateway warm-up in flight is remembered, by gateway URL: a statement sent to
 * that gateway waits for it first (two plannings at once on two cores only slow both), and a
 * warm-up that failed is forgotten (a warm-up never fails anything but itself).
 */
const inFlight = new Map<string, Promise<unknown>>();

export function registerWarmup(baseUrl: string, done: Promise<unknown>): void {
  const settled = done.catch(() => undefined).finally(() => {
    if (inFlight.get(baseUrl) === settled) inFlight.delete(baseUrl);
  });
  inFlight.set(baseUrl, settled);
}

/** Resolves at once when no warm-up of this gateway runs; otherwise when it ends, however it ends. */
export async function afterWarmup(baseUrl: string): Promise<void> {
  await inFlight.get(baseUrl);
}
