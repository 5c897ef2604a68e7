/**
 * The rules of every Gateway API mesh route attached to one Service, merged into one ordered rule table (GEP-1294
 * and the HTTPRoute `matches` doc): each route rule becomes a TrafficSplit of the Service (its backends) with an
 * HTTPRouteGroup (its matches), and each match gets a precedence key; reachability sorts the Service's matches by
 * key (src/reach/compute.ts). Requests no rule matches get 404: nothing falls back to the Service's pods.
 *
 * Precedence across all rules of all routes: Exact path, then the longest PathPrefix (RegularExpression after both,
 * as Istio orders them; the spec leaves regex to implementations), then a method match, then the most header
 * matches, then the most query-parameter matches; a match without conditions (a rule without matches) last; for GRPCRoute the longest service, then method, then the most
 * headers. Ties go to the oldest route (creationTimestamp; a route without one counts as newest), then
 * "namespace/name" alphabetically, then rule order, then match order.
 */
import type { Path } from '../core/types.ts';
import { refOf, type GammaMatch, type GammaRoute, type GammaRule, type HTTPMatch, type HTTPRouteGroup, type HttpMethod, type ObjectMeta, type TrafficSplit } from './types.ts';

/** RE2-safe literal. */
export const literal = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** A Gateway path match as the start-anchored RE2 pathRegex of the canonical model (exact where Gateway is exact). */
function pathRegex(path: GammaMatch['path']): string | undefined {
  if (!path) return undefined;
  if (path.type === 'Exact') return `${literal(path.value)}$`;
  if (path.type === 'RegularExpression') return path.value;
  const prefix = path.value.replace(/\/+$/, '');
  // PathPrefix matches whole path elements: /abc matches /abc and /abc/x, not /abcd.
  return prefix === '' ? undefined : `${literal(prefix)}(/.*)?$`;
}

/** GEP-1016: a gRPC method match as an HTTP/2 :path regex. */
function grpcPath(g: NonNullable<GammaMatch['grpc']>): string {
  const part = (v: string | undefined) => (v === undefined ? '[^/]+' : g.type === 'Exact' ? literal(v) : v);
  return `/${part(g.service)}/${part(g.method)}$`;
}

/** A match every request meets (none, or only `PathPrefix /`). */
export const isCatchAll = (m: GammaMatch) =>
  !m.grpc && !m.method && m.headers.length === 0 && m.queryParams.length === 0 && (!m.path || (m.path.type === 'PathPrefix' && /^\/*$/.test(m.path.value)));

export function httpMatches(rule: GammaRule): HTTPMatch[] {
  return rule.matches.map((m, i) => {
    const match: HTTPMatch = { name: `match-${i}`, headers: m.headers.map((h) => ({ name: h.name.toLowerCase(), value: h.type === 'Exact' ? literal(h.value) : h.value })) };
    const regex = m.grpc ? grpcPath(m.grpc) : pathRegex(m.path);
    if (regex !== undefined) match.pathRegex = regex;
    if (m.method) match.methods = [m.method as HttpMethod];
    // Of several conditions on one parameter name only the first counts (Gateway API).
    const query = m.queryParams.filter((q, j) => m.queryParams.findIndex((o) => o.name === q.name) === j);
    if (query.length > 0) match.queryParams = query.map((q) => ({ name: q.name, type: q.type === 'RegularExpression' ? 'RegularExpression' : 'Exact', value: q.value }));
    return match;
  });
}

/** The HTTPRouteGroup holding a rule's matches, positioned at the rule's fields. */
export function ruleGroup(meta: ObjectMeta, rule: GammaRule, ruleIndex: number, name: string): HTTPRouteGroup {
  const rulePath: Path = ['spec', 'rules', ruleIndex];
  const groupRewrites: [Path, Path][] = rule.matches.flatMap((m, i): [Path, Path][] => [
    [['spec', 'matches', i], [...rulePath, 'matches', i]],
    [['spec', 'matches', i, 'pathRegex'], [...rulePath, 'matches', i, m.grpc ? 'method' : 'path']],
    [['spec', 'matches', i, 'methods'], [...rulePath, 'matches', i, 'method']],
    ...m.headers.map((h, j): [Path, Path] => [['spec', 'matches', i, 'headers', h.name.toLowerCase()], [...rulePath, 'matches', i, 'headers', j]]),
    [['spec', 'matches', i, 'queryParams'], [...rulePath, 'matches', i, 'queryParams']],
  ]);
  return { meta: { ...meta, name, origin: { ...meta.origin, rewrites: groupRewrites } }, synthesizedFrom: refOf(meta), matches: httpMatches(rule) };
}

/** The split of one rule's backends for a Service parent, positioned at the route's fields. */
export function ruleSplit(meta: ObjectMeta, rule: GammaRule, ruleIndex: number, parentIndex: number, service: string, name: string, group: string | undefined): TrafficSplit {
  const rulePath: Path = ['spec', 'rules', ruleIndex];
  const rewrites: [Path, Path][] = [
    [['spec', 'service'], ['spec', 'parentRefs', parentIndex, 'name']],
    [['spec', 'backends'], [...rulePath, 'backendRefs']],
    [['spec', 'matches'], [...rulePath, 'matches']],
    ...rule.backendRefs.map((_, i): [Path, Path] => [['spec', 'backends', i, 'service'], [...rulePath, 'backendRefs', i, 'name']]),
  ];
  return {
    meta: { ...meta, name, origin: { ...meta.origin, rewrites } }, synthesizedFrom: refOf(meta), service,
    backends: rule.backendRefs.map((b) => ({ service: b.name, weight: b.weight, ...(b.namespace !== meta.namespace ? { namespace: b.namespace } : {}) })),
    matches: group ? [{ kind: 'HTTPRouteGroup', name: group }] : [],
    weightUnit: 'integer',
  };
}

/** Precedence of one match, without the tie-breakers (smaller first). */
export function matchRank(m: GammaMatch | undefined): number[] {
  // A match without any condition comes last: after regex paths too (their rank is left to implementations), so a
  // catch-all rule never hides a rule with conditions, as in the split-shaped routes (matching rule, then the rest).
  if (!m || isCatchAll(m)) return [3, 0, 1, 0, 0];
  if (m.grpc) return [0, -(m.grpc.service?.length ?? 0), -(m.grpc.method?.length ?? 0), -m.headers.length, 0];
  const path = m.path ?? { type: 'PathPrefix', value: '/' };
  const type = path.type === 'Exact' ? 0 : path.type === 'PathPrefix' ? 1 : 2;
  return [type, -path.value.length, m.method ? 0 : 1, -new Set(m.headers.map((h) => h.name.toLowerCase())).size, -new Set(m.queryParams.map((q) => q.name)).size];
}

/** A route's place among the routes of one Service: oldest first (no timestamp = newest), then namespace/name. */
export function byRouteAge(a: GammaRoute, b: GammaRoute): number {
  const ta = a.createdAt ?? '\uffff';
  const tb = b.createdAt ?? '\uffff';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = `${a.meta.namespace}/${a.meta.name}`;
  const nb = `${b.meta.namespace}/${b.meta.name}`;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** What a match selects, for spotting one an earlier match makes unreachable ('' = every request). */
export function matchSignature(m: GammaMatch | undefined): string {
  if (!m || isCatchAll(m)) return '';
  const sorted = (list: GammaMatch['headers'], lower: boolean) => list.map((h) => `${h.type}:${lower ? h.name.toLowerCase() : h.name}=${h.value}`).sort();
  return JSON.stringify([m.path ?? null, m.method ?? null, m.grpc ?? null, sorted(m.headers, true), sorted(m.queryParams, false)]);
}
