import type { CatalogEntry } from './types.ts';

/** MESH0800–MESH0899: compile and Envoy self-validation. */
export const compileCatalog: CatalogEntry[] = [
];
