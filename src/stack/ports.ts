import getPort from 'get-port';

export interface PortChoice {
  port: number;
  preferred: number;
  /** True when the preferred port was busy and another was taken. */
  moved: boolean;
}

/**
 * The documented default when it is free on 127.0.0.1, else any free port.
 * `taken` excludes ports already handed out in this start (they are not bound yet).
 */
export async function choosePort(preferred: number, taken: ReadonlySet<number> = new Set()): Promise<PortChoice> {
  const exclude = [...taken];
  const port = await getPort({ port: taken.has(preferred) ? [] : [preferred], host: '127.0.0.1', exclude });
  return { port, preferred, moved: port !== preferred };
}
