/**
 * Figures on the interview pages, always read from static/results/*.json, never typed: <Fig>
 * renders one value and marks it with its file and path (data-results-file / data-results-path),
 * so test/e2e/interview.spec.ts can check every figure against its file. <RecordedOn> names the
 * machine, the versions and the command that produced a file.
 */
import type { ReactNode } from 'react';
import { formatValue, pick } from './path';
import { resultsFile } from './results';

interface FigProps {
  /** A results file name without .json, e.g. "phase-3-throughput". */
  file: string;
  /** Where the value is in that file (see path.ts), e.g. "drills[id=taskmanager].recovery_seconds". */
  path: string;
  /** Written after the value, e.g. "s" or "events/s". */
  unit?: string;
}

export function Fig({ file, path, unit }: FigProps): ReactNode {
  const data = resultsFile(file);
  const value = data === undefined ? undefined : pick(data, path);
  if (value === undefined || value === null || typeof value === 'object') {
    return (
      <em data-results-file={file} data-results-path={path} data-results-missing="true">
        not recorded yet
      </em>
    );
  }
  return (
    <strong data-results-file={file} data-results-path={path}>
      {formatValue(value)}
      {unit ? `\u00a0${unit}` : ''}
    </strong>
  );
}

/** "Recorded <date> with <command> on <machine>, <versions>": where a file's figures come from. */
export function RecordedOn({ file }: { file: string }): ReactNode {
  const data = resultsFile(file) as { versions?: Record<string, string> } | undefined;
  if (!data) {
    return (
      <p>
        <em>
          <code>static/results/{file}.json</code> is not recorded yet: its figures appear here once the lab records them.
        </em>
      </p>
    );
  }
  return (
    <p>
      <small>
        From <code>static/results/{file}.json</code>: recorded <Fig file={file} path="recordedAt" /> with <code><Fig file={file} path="command" /></code> on{' '}
        <Fig file={file} path="machine.cores" /> cores, <Fig file={file} path="machine.memoryGiB" /> GiB, <Fig file={file} path="machine.cpuModel" />; versions:{' '}
        {Object.keys(data.versions ?? {}).map((name, i) => (
          <span key={name}>
            {i > 0 ? ', ' : ''}
            {name} <Fig file={file} path={`versions.${name}`} />
          </span>
        ))}
        .
      </small>
    </p>
  );
}
