/**
 * Figures on the pages, always read from static/results/*.json, never typed: <Fig> renders one
 * value, marks it with its file and path (data-results-file / data-results-path), so
 * test/e2e/figures.spec.ts can check every figure against its file, and shows its setup next to
 * it (delivery guarantee, checkpointing, runs: src/results/setup.ts). <RecordedOn> names the
 * machine, the versions, the command that produced a file and, for the throughput file, each setup.
 */
import type { ReactNode } from 'react';
import type { ThroughputRecord } from '@site/src/bench/throughput-record';
import { SetupChip, SetupNote } from '@site/src/components/FigureSetup';
import { setupOf } from '@site/src/results/setup';
import { formatValue, pick } from './path';
import { resultsFile } from './results';

interface FigProps {
  /** A results file name without .json, e.g. "phase-3-throughput". */
  file: string;
  /** Where the value is in that file (see path.ts), e.g. "drills[id=taskmanager].recovery_seconds". */
  path: string;
  /** Written after the value, e.g. "s" or "events/s". */
  unit?: string;
  /** The setup to name, when the path does not say (e.g. "control" for a recovery drill). */
  setup?: string;
  /** Leave the setup out: only for a figure that is itself part of a setup (the command, the date, a version). */
  bare?: boolean;
}

export function Fig({ file, path, unit, setup, bare }: FigProps): ReactNode {
  const data = resultsFile(file);
  const value = data === undefined ? undefined : pick(data, path);
  const shown =
    value === undefined || value === null || typeof value === 'object' ? (
      <em data-results-file={file} data-results-path={path} data-results-missing="true">
        not recorded yet
      </em>
    ) : (
      <strong data-results-file={file} data-results-path={path}>
        {formatValue(value)}
        {unit ? `\u00a0${unit}` : ''}
      </strong>
    );
  if (bare) return shown;
  return (
    <span data-figure={file}>
      {shown}
      <SetupChip setup={setupOf(file, data, path, setup)} />
    </span>
  );
}

/** The whole setup of one of a file's setups (or of a path's), as a short list above figures. */
export function Setup({ file, path = '', setup, title }: { file: string; path?: string; setup?: string; title?: string }): ReactNode {
  return <SetupNote setup={setupOf(file, resultsFile(file), path, setup)} title={title} />;
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
    <div>
      <p>
      <small>
        From <code>static/results/{file}.json</code>: recorded <Fig bare file={file} path="recordedAt" /> with <code><Fig bare file={file} path="command" /></code> on{' '}
        <Fig bare file={file} path="machine.cores" /> cores, <Fig bare file={file} path="machine.memoryGiB" /> GiB, <Fig bare file={file} path="machine.cpuModel" />; versions:{' '}
        {Object.keys(data.versions ?? {}).map((name, i) => (
          <span key={name}>
            {i > 0 ? ', ' : ''}
            {name} <Fig bare file={file} path={`versions.${name}`} />
          </span>
        ))}
        .
      </small>
      </p>
      {file === 'phase-3-throughput'
        ? ((data as unknown as ThroughputRecord).setups ?? []).map((s) => <Setup key={s.id} file={file} setup={s.id} title={`Setup "${s.id}": ${s.title} (${s.config})`} />)
        : null}
    </div>
  );
}
