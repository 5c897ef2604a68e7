/** The xDS resource types meshc compiles, and the protocol facts the server needs about them. */

import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, SECRET_TYPE_URL, SNAPSHOT_TYPE_URLS,
  TYPE_URL_PREFIX,
} from '../envoy/protos/type-urls.ts';
import { TYPE_FILES } from '../snapshot/layout.ts';

// The server's short names of the four served types (the URLs are defined in type-urls.ts).
export const LISTENER = LISTENER_TYPE_URL;
export const ROUTE = ROUTE_CONFIGURATION_TYPE_URL;
export const CLUSTER = CLUSTER_TYPE_URL;
export const ENDPOINT = CLUSTER_LOAD_ASSIGNMENT_TYPE_URL;
export const SECRET = SECRET_TYPE_URL;

/** The served types: the compiled output's type files (layout.ts owns their names), with the xDS short names. */
const SHORT_NAMES: Record<(typeof TYPE_FILES)[number]['stem'], string> = {
  listeners: 'LDS', routes: 'RDS', clusters: 'CDS', endpoints: 'EDS', secrets: 'SDS',
};
export const SERVED_TYPES = TYPE_FILES.map(({ typeUrl, stem }) => ({ typeUrl, kind: stem, short: SHORT_NAMES[stem] }));

/** Make-before-break push order (xds-protocol.md section 4): CDS, EDS, LDS, RDS, then SDS. */
export const PUSH_ORDER: readonly string[] = SNAPSHOT_TYPE_URLS;

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
  return known ? known.short : typeUrl.startsWith(TYPE_URL_PREFIX) ? typeUrl.slice(TYPE_URL_PREFIX.length) : typeUrl;
}

/** A syntactically valid type URL (the server answers unknown but well-formed ones with an empty resource set). */
export function isWellFormedTypeUrl(typeUrl: string): boolean {
  return /^[A-Za-z0-9.\-]+(\/[A-Za-z0-9._\-]+)*\/[A-Za-z_][A-Za-z0-9_.]*$/.test(typeUrl) && typeUrl.length <= 512;
}
