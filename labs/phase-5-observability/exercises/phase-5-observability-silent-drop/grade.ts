import { defineGrading } from '../../../../src/exercises/contract.ts';

// A replay without faults: the metrics and the outputs decide it, in seconds rather than minutes.
export default defineGrading({ eventsFile: 'data/replay.jsonl' });
