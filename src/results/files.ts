/**
 * Where a run's results go under static/results: `<name>.json` for the local backend (the
 * default, and every file recorded before there were two backends), `<name>-<backend>.json` for
 * another, so `--backend docker --record` never overwrites the local figures. The site reads
 * both (src/components/ResultFigures/results.ts gathers every file by this name).
 */
import type { BackendName } from '../stack/backend.ts';

export function resultsName(name: string, backend: BackendName): string {
  return backend === 'local' ? name : `${name}-${backend}`;
}
