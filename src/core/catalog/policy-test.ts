import type { CatalogEntry } from './types.ts';

/** MESH0700–MESH0799: policy tests (meshc test). */
export const policyTestCatalog: CatalogEntry[] = [
];
