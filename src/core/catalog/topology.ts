import type { CatalogEntry } from './types.ts';

/** MESH0500–MESH0599: Services, workloads and ports. */
export const topologyCatalog: CatalogEntry[] = [
];
