import type { CatalogEntry } from './types.ts';

/** MESH0100–MESH0199: schema validation, API versions, model building. */
export const schemaCatalog: CatalogEntry[] = [
];
