import { readFileSync } from 'node:fs';
import type { DatasetOptions } from '../ctr/generator.ts';
import { generateDataset } from '../ctr/generator.ts';
import { type InputLine, splitLines } from '../ctr/line.ts';
import type { LabOptions } from './contract.ts';

/**
 * The lines a lab replays: the --events file as is, read as bytes and split on "\n" (every line,
 * valid or not; a line that is not UTF-8 stays bytes), or the lab's seeded dataset (smaller under
 * --short). Same options, same lines: byte for byte.
 */
export function labLines(options: LabOptions, dataset: Partial<DatasetOptions>, shortEvents: number): InputLine[] {
  if (options.eventsFile) return splitLines(readFileSync(options.eventsFile));
  return generateDataset({ ...dataset, ...(options.short ? { events: shortEvents } : {}), seed: options.seed });
}
