/**
 * Reading a container's log and exit as the backend reports them: Docker's multiplexed log
 * stream, a log tail, an exit in words. Kept apart from container.ts so that reading them never
 * loads testcontainers (a lab on the local backend starts faster without it).
 */
import type { DockerContainer } from './engine.ts';

/** Docker's multiplexed log stream (no TTY): frames of [stream, 0, 0, 0, size (4 bytes BE)] + payload. */
export function demuxLogs(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i];
    const size = buf.readUInt32BE(i + 4);
    if ((type !== 0 && type !== 1 && type !== 2) || buf[i + 1] !== 0 || buf[i + 2] !== 0 || buf[i + 3] !== 0) {
      // Not multiplexed (a TTY container): the bytes are the log.
      return buf.toString('utf8');
    }
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The last `lines` lines a container wrote (stdout and stderr, in order). */
export async function containerLogTail(container: DockerContainer, lines: number): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
  return demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).trimEnd();
}

/** "exited with code 137 (killed: docker kill, or out of memory)". */
export function exitDescription(state: { ExitCode?: number; OOMKilled?: boolean; Status?: string }): string {
  const code = state.ExitCode ?? -1;
  const why = state.OOMKilled ? ' (out of memory)' : code === 137 ? ' (killed)' : code === 143 ? ' (terminated)' : '';
  return `${state.Status ?? 'exited'} with code ${code}${why}`;
}
