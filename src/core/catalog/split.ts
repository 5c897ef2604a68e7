import type { CatalogEntry } from './types.ts';

/** MESH0400–MESH0499: TrafficSplit rules. */
export const splitCatalog: CatalogEntry[] = [
];
