import type { CatalogEntry } from './types.ts';

/** MESH0300–MESH0399: HTTPRouteGroup, TCPRoute and UDPRoute rules. */
export const specsCatalog: CatalogEntry[] = [
];
