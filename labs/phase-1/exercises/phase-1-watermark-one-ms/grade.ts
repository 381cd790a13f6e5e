import { defineGrading } from '../../../../src/exercises/contract.ts';

// The scenario built for this boundary: with a 5 s delay one event lands in the wrong branch.
export default defineGrading({ eventsFile: 'data/boundary-on-time.jsonl' });
