/** Submits a job that writes Iceberg (its statements from withIcebergSink), with the one-sentence hint when the gateway lacks Iceberg. */
import type { Endpoints } from '../../stack/backend.ts';
import type { ResourceTracker } from '../../stack/resources.ts';
import { runStatements } from '../gateway.ts';
import type { Statement } from '../render.ts';
import { explainMissingIceberg } from './errors.ts';

export function runIcebergJob(ep: Pick<Endpoints, 'sqlGateway'>, statements: readonly Statement[], o: { session: string; track?: ResourceTracker }): Promise<string> {
  return runStatements(ep, statements, o).catch(explainMissingIceberg);
}
