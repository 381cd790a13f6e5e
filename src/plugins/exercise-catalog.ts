import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import type { ExercisePage } from '../exercises/page.ts';

export interface ExerciseCatalogData {
  exercises: ExercisePage[];
}

/**
 * The exercises of every lab (labs/<lab>/exercises/<id>/), read in a child process as the lab
 * catalog is (the exercise code is TypeScript run by tsx), for the <Exercise id="..."/> component.
 */
export default function exerciseCatalogPlugin(context: LoadContext): Plugin {
  return {
    name: 'exercise-catalog',
    async loadContent(): Promise<ExerciseCatalogData> {
      const json = execFileSync(process.execPath, ['--import', 'tsx', join(context.siteDir, 'src/cli/exercise-catalog.ts')], { cwd: context.siteDir, encoding: 'utf8' });
      return { exercises: JSON.parse(json) as ExercisePage[] };
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
    getPathsToWatch() {
      return [join(context.siteDir, 'labs/*/exercises/**/*')];
    },
  };
}
