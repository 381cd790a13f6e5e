/** Prints every exercise as the lesson pages show it, as JSON: the site's exercise-catalog plugin reads it at build time. */
import { exercisePages } from '../exercises/page.ts';

process.stdout.write(JSON.stringify(await exercisePages()));
