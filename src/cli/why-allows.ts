/**
 * What `meshc why` lists under "allows": every request the caller may send to
 * a service port, one entry per admitted HTTPRouteGroup match (methods, path
 * regex, headers) or per TCPRoute/UDPRoute rule (any bytes). Read from the
 * computed Reachability (the caller's grants on that port); nothing here
 * changes a verdict, it only says what the grants admit.
 */
import { keyOf } from '../core/types.ts';
import type { LoadedMesh } from '../pipeline/check.ts';
import type { Grant, IdentityKey, Reachability, ServiceKey } from '../reach/types.ts';
import { anchoredPath } from '../reach/request.ts';

/** One admitted route, as `why` prints it (JSON: the same fields). */
export interface AllowedRoute {
  /** TrafficTarget 'namespace/name' whose rule admits it (absent in a split's common list: each backend has its own). */
  trafficTarget?: string;
  kind: 'HTTPRouteGroup' | 'TCPRoute' | 'UDPRoute';
  /** Route object 'namespace/name'. */
  route: string;
  /** HTTPRouteGroup match name. */
  match?: string;
  /** HTTP methods; absent = every method. */
  methods?: string[];
  /** RE2, anchored at the start (SMI); absent = every path. */
  pathRegex?: string;
  /** Header name → RE2 full-match regex; every one required. */
  headers?: Record<string, string>;
  /** TCPRoute/UDPRoute: the ports the rule covers ('all' or numbers). */
  ports?: number[] | 'all';
  /** True when this entry admits every request on the port (no method, path or header condition; or plain TCP/UDP). */
  anyRequest: boolean;
  file: string;
  line: number;
}

export interface Allows {
  /** Some entry admits every request (or permissive mode). */
  anyRequest: boolean;
  /** Set in permissive mode: nothing is enumerated, everything is allowed. */
  permissive?: true;
  routes: AllowedRoute[];
}

/** The kind and `namespace/name` key of a grant's route object. */
function routeOf(g: Grant): { kind: AllowedRoute['kind']; key: string } {
  return { kind: g.route.kind, key: keyOf(g.route) };
}

function grantIds(reach: Reachability, from: IdentityKey, service: ServiceKey, port: number): number[] {
  return (reach.outbound[from] ?? []).find((pa) => pa.service === service && pa.port === port)?.grants ?? [];
}

/** The requests `from` may send to the workloads of `service` on `port` (a split root's own workloads, not its backends). */
export function allowedRequests(loaded: LoadedMesh, reach: Reachability, from: IdentityKey, service: ServiceKey, port: number): Allows {
  if (reach.mode === 'permissive') return { anyRequest: true, permissive: true, routes: [] };
  if ((reach.services[service]?.identities.length ?? 0) === 0) return { anyRequest: false, routes: [] };
  const routes: AllowedRoute[] = [];
  const seen = new Set<string>();
  for (const id of grantIds(reach, from, service, port)) {
    const g = reach.grants[id];
    if (!g) continue;
    const { kind, key } = routeOf(g);
    if (g.protocol !== 'http') {
      const tt = loaded.index.mesh.trafficTargets.find((t) => `${t.meta.namespace}/${t.meta.name}` === g.trafficTarget);
      const at = tt ? loaded.sources.locate(tt.meta.origin, ['spec', 'rules', g.rule]) : { file: '', line: 0 };
      const k = `${g.trafficTarget}|${g.route}`;
      if (seen.has(k)) continue;
      seen.add(k);
      routes.push({ trafficTarget: g.trafficTarget, kind, route: key, ports: g.ports, anyRequest: true, file: at.file, line: at.line });
      continue;
    }
    const group = loaded.index.httpRouteGroups.get(key);
    for (const m of g.http ?? []) {
      const k = `${g.trafficTarget}|${m.group}|${m.index}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const at = group ? loaded.sources.locate(group.meta.origin, ['spec', 'matches', m.index]) : { file: '', line: 0 };
      const everyMethod = !m.methods || m.methods.length === 0 || m.methods.includes('*');
      const r: AllowedRoute = { trafficTarget: g.trafficTarget, kind: 'HTTPRouteGroup', route: m.group, match: m.name, anyRequest: false, file: at.file, line: at.line };
      if (!everyMethod) r.methods = [...m.methods!];
      if (m.pathRegex !== undefined) r.pathRegex = m.pathRegex;
      if (m.headers.length > 0) r.headers = Object.fromEntries(m.headers.map((h) => [h.name, h.value]));
      // '.*' as the path admits every path, like no path at all.
      r.anyRequest = everyMethod && (m.pathRegex === undefined || m.pathRegex === '' || m.pathRegex === '.*') && m.headers.length === 0;
      routes.push(r);
    }
  }
  return { anyRequest: routes.some((r) => r.anyRequest), routes };
}

/** Routes present in every list (by trafficTarget-independent identity: route object and match), for a split's "whichever backend". */
export function commonRoutes(lists: Allows[]): Allows {
  if (lists.length === 0) return { anyRequest: false, routes: [] };
  if (lists.every((l) => l.permissive)) return lists[0]!;
  const id = (r: AllowedRoute) => `${r.kind}|${r.route}|${r.match ?? ''}`;
  const rest = lists.slice(1).map((l) => new Set(l.routes.map(id)));
  const routes = lists[0]!.routes.filter((r) => rest.every((s) => s.has(id(r)))).map(({ trafficTarget: _, ...r }) => r);
  return { anyRequest: routes.some((r) => r.anyRequest), routes };
}

/** Does a backend's list admit the same routes as the common one (then `why` does not repeat it)? */
export function sameRoutes(a: Allows, b: Allows): boolean {
  const id = (r: AllowedRoute) => `${r.kind}|${r.route}|${r.match ?? ''}`;
  const x = new Set(a.routes.map(id));
  return a.permissive === b.permissive && b.routes.length === x.size && b.routes.every((r) => x.has(id(r)));
}

/** One route in words: 'GET, path ^/books-bought, header user-agent matching ".*"'. */
export function describeRoute(r: AllowedRoute): string {
  if (r.kind !== 'HTTPRouteGroup') {
    const ports = r.ports === 'all' || r.ports === undefined ? 'every port' : `port${r.ports.length === 1 ? '' : 's'} ${r.ports.join(', ')}`;
    return `${r.kind} ${r.route} (${ports}): any ${r.kind === 'UDPRoute' ? 'datagram' : 'request or TCP connection'}`;
  }
  const parts = [r.methods ? r.methods.join('|') : 'any method', r.pathRegex !== undefined ? `path ${anchoredPath(r.pathRegex)}` : 'any path'];
  for (const [name, value] of Object.entries(r.headers ?? {})) parts.push(`header ${name} matching ${JSON.stringify(value)}`);
  return `HTTPRouteGroup ${r.route} match ${r.match}: ${parts.join(', ')}`;
}

/** Text lines for an allows list (each starting with `indent`). */
export function allowsLines(a: Allows, indent: string): string[] {
  if (a.permissive) return [`${indent}every request (permissive mode)`];
  if (a.routes.length === 0) return [`${indent}nothing`];
  return a.routes.map((r) => `${indent}${r.file}:${r.line}  ${describeRoute(r)}${r.trafficTarget ? `  (TrafficTarget ${r.trafficTarget})` : ''}`);
}

/** The header's parenthesis when no request was given. */
export function scopeWithoutRequest(allowed: boolean, a: Allows): string {
  if (!allowed) return 'any request';
  if (a.anyRequest) return 'any request';
  const n = a.routes.length;
  return `only ${n === 1 ? 'the request' : `the requests of ${n} routes`} listed under 'allows'`;
}
