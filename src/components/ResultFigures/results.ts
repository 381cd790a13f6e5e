/**
 * Every results file under static/results, gathered at build time. A file that has not been
 * recorded yet is simply absent (require.context lists what exists), so a page that names it
 * renders "not recorded yet" instead of breaking the build.
 */
interface WebpackContext {
  keys(): string[];
  (id: string): unknown;
}
declare const require: { context(dir: string, deep: boolean, filter: RegExp): WebpackContext };

const context = require.context('@site/static/results', false, /\.json$/);

const files: Record<string, unknown> = Object.fromEntries(context.keys().map((key) => [key.replace(/^\.\//, '').replace(/\.json$/, ''), context(key)]));

/** The parsed results file `name` (without .json), or undefined when it is not recorded yet. */
export function resultsFile(name: string): unknown {
  return files[name];
}
