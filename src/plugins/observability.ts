import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { type ThresholdNote, thresholdNotes } from '../observability/threshold-notes.ts';

export interface ObservabilityData {
  /** The alert thresholds' explanations, from the comments of src/observability/alerts/thresholds.ts. */
  thresholdNotes: ThresholdNote[];
}

const THRESHOLDS = 'src/observability/alerts/thresholds.ts';

/** Hands the lesson the thresholds file's own comments (the values it imports from the module itself). */
export default function observabilityPlugin(context: LoadContext): Plugin {
  return {
    name: 'observability',
    async loadContent(): Promise<ObservabilityData> {
      return { thresholdNotes: thresholdNotes(readFileSync(join(context.siteDir, THRESHOLDS), 'utf8')) };
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
    getPathsToWatch() {
      return [join(context.siteDir, THRESHOLDS)];
    },
  };
}
