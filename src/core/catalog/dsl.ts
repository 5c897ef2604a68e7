import type { CatalogEntry } from './types.ts';

/** MESH0900–MESH0999: the TypeScript DSL. */
export const dslCatalog: CatalogEntry[] = [
];
