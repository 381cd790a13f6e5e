import { readFileSync } from 'node:fs';
import type { DatasetOptions } from '../ctr/generator.ts';
import { generateDataset } from '../ctr/generator.ts';
import { splitLines } from '../ctr/oracle.ts';
import type { LabOptions } from './contract.ts';

/**
 * The lines a lab replays: the --events file as is (every line, valid or not), or the lab's
 * seeded dataset (smaller under --short). Same options, same lines: byte for byte.
 */
export function labLines(options: LabOptions, dataset: Partial<DatasetOptions>, shortEvents: number): string[] {
  if (options.eventsFile) return splitLines(readFileSync(options.eventsFile, 'utf8'));
  return generateDataset({ ...dataset, ...(options.short ? { events: shortEvents } : {}), seed: options.seed });
}
