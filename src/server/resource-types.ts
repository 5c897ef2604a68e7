/** The xDS resource types meshc compiles, and the protocol facts the server needs about them. */

export const TYPE_PREFIX = 'type.googleapis.com/';

export const LISTENER = 'type.googleapis.com/envoy.config.listener.v3.Listener';
export const ROUTE = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
export const CLUSTER = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
export const ENDPOINT = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';

/** The file kinds of the compiled output (manifest `files` keys `<kind>` and `<kind>Binary`). */
export const SERVED_TYPES = [
  { typeUrl: LISTENER, kind: 'listeners', short: 'LDS' },
  { typeUrl: ROUTE, kind: 'routes', short: 'RDS' },
  { typeUrl: CLUSTER, kind: 'clusters', short: 'CDS' },
  { typeUrl: ENDPOINT, kind: 'endpoints', short: 'EDS' },
] as const;

/** Make-before-break push order (xds-protocol.md section 4): CDS, EDS, LDS, RDS. */
export const PUSH_ORDER: readonly string[] = [CLUSTER, ENDPOINT, LISTENER, ROUTE];

/** The types pushed after `typeUrl` (make-before-break: what must settle before a removal of it goes out). */
export function typesAfter(typeUrl: string): readonly string[] {
  return PUSH_ORDER.slice(PUSH_ORDER.indexOf(typeUrl) + 1);
}

/** LDS and CDS responses carry the full state in SotW; they alone support wildcard. */
export function isFullState(typeUrl: string): boolean {
  return typeUrl === LISTENER || typeUrl === CLUSTER;
}

export function isServedType(typeUrl: string): boolean {
  return PUSH_ORDER.includes(typeUrl);
}

export function shortType(typeUrl: string): string {
  const known = SERVED_TYPES.find((t) => t.typeUrl === typeUrl);
  return known ? known.short : typeUrl.startsWith(TYPE_PREFIX) ? typeUrl.slice(TYPE_PREFIX.length) : typeUrl;
}

/** A syntactically valid type URL (the server answers unknown but well-formed ones with an empty resource set). */
export function isWellFormedTypeUrl(typeUrl: string): boolean {
  return /^[A-Za-z0-9.\-]+(\/[A-Za-z0-9._\-]+)*\/[A-Za-z_][A-Za-z0-9_.]*$/.test(typeUrl) && typeUrl.length <= 512;
}
