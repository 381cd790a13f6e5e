import type { ReactNode } from 'react';
import type { CpuReference } from '@site/src/bench/cpu-reference';

/**
 * ", CPU reference 62 ms (...)": the machine's speed when a benchmark was recorded, so a reader can
 * tell a slower machine from slower code. Records from before it existed say nothing.
 */
export function CpuReferenceNote({ cpu }: { cpu?: CpuReference }): ReactNode {
  if (!cpu) return null;
  return (
    <>
      , CPU reference {cpu.medianMs} ms before the runs ({cpu.what}; lower is faster: compare records by it, with the same Node version)
    </>
  );
}
