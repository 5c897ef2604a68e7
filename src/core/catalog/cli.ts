import type { CatalogEntry } from './types.ts';

/** MESH1000–MESH1099: command line, configuration and suppression. */
export const cliCatalog: CatalogEntry[] = [
];
