import type { CatalogEntry } from './types.ts';

/** MESH0200–MESH0299: TrafficTarget rules. */
export const accessCatalog: CatalogEntry[] = [
];
