import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StackError } from '../errors.ts';

export interface ClickhouseBinary {
  /** Absolute path of the executable. */
  command: string;
  /** `clickhouse server` for the single binary of current releases; nothing for Debian's clickhouse-server. */
  serverArgs: string[];
}

/** Debian installs the server in /usr/sbin, which a non-root PATH may lack. */
function searchPath(): string[] {
  return [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'].filter(Boolean);
}

export function whichExecutable(name: string, dirs: readonly string[] = searchPath()): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not in this directory */
    }
  }
  return undefined;
}

/**
 * A `clickhouse` binary on PATH wins (current releases); else Debian's `clickhouse-server`
 * (18.16). See DESIGN.md "The stack". The version is read from the running server.
 */
export async function findClickhouse(): Promise<ClickhouseBinary> {
  const single = whichExecutable('clickhouse');
  if (single) return { command: single, serverArgs: ['server'] };
  const debian = whichExecutable('clickhouse-server');
  if (debian) return { command: debian, serverArgs: [] };
  throw new StackError('ClickHouse not found: install it with `apt-get install clickhouse-server clickhouse-client` (or put a `clickhouse` binary on PATH).');
}
