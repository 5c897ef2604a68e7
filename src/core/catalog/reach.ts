import type { CatalogEntry } from './types.ts';

/** MESH0600–MESH0699: reachability findings. */
export const reachCatalog: CatalogEntry[] = [
];
