import { defineGrading } from '../../../../src/exercises/contract.ts';

// The oracle with 5 s windows (the watermark delay stays 5 s): what the changed SQL must produce.
export default defineGrading({ oracle: { windowMs: 5_000 } });
