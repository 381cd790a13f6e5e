/** Prints the lab catalog as JSON: the site's lab-catalog plugin reads it at build time. */
import { labCatalog } from '../lab/catalog.ts';

process.stdout.write(JSON.stringify(await labCatalog()));
