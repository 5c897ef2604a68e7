/**
 * The route policy of a Gateway API rule (GEP-1742 timeouts; RequestHeaderModifier, ResponseHeaderModifier and
 * RequestMirror filters) as the canonical model holds it (RoutePolicy on the lowered TrafficSplit), and the checks
 * of what an API server's CEL rules or Envoy would refuse (MESH1210–MESH1212, MESH1215). Entries Envoy would refuse
 * are left out of the model, so compile never writes them.
 */
import type { Path } from '../core/types.ts';
import { parseGoDuration } from './duration.ts';
import type { Duration } from './osm-types.ts';
import type { GammaFilter, GammaHeaderModifier, GammaRoute, GammaRule, HeaderMutation, RouteMirror, RoutePolicy, TrafficSplit } from './types.ts';

/** The rule-level filter types meshc models; any other filter leaves the route unmodelled (MESH1205). */
export const MODELLED_FILTERS: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror']);

/** Envoy refuses to modify these (`:-prefixed or host headers may not be modified`). */
const unmodifiable = (name: string) => name.startsWith(':') || name.toLowerCase() === 'host';

const duration = (text: string | undefined): Duration | undefined => {
  if (text === undefined) return undefined;
  const d = parseGoDuration(text);
  return d.ok ? d.value : undefined;
};

/** Why a mirror's share is invalid, or undefined. */
function badShare(m: NonNullable<GammaFilter['requestMirror']>): string | undefined {
  if (m.percent !== undefined && m.fraction) return 'sets both percent and fraction: give one';
  const f = m.fraction;
  if (f && (f.denominator < 1 || f.numerator > f.denominator)) return `fraction ${f.numerator}/${f.denominator} is not a share: the numerator must not exceed the denominator (≥ 1)`;
  return undefined;
}

/** Entries of a header modifier that name a header twice (lower-cased), after the first. */
function duplicates(m: GammaHeaderModifier): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const h of [...m.set, ...m.add]) {
    const n = h.name.toLowerCase();
    if (seen.has(n)) out.push(n);
    seen.add(n);
  }
  return out;
}

function mutation(m: GammaHeaderModifier | undefined): HeaderMutation | undefined {
  if (!m) return undefined;
  const seen = new Set<string>();
  const keep = (h: { name: string; value: string }) => {
    const name = h.name.toLowerCase();
    if (unmodifiable(name) || seen.has(name)) return false;
    seen.add(name);
    return true;
  };
  const lower = (h: { name: string; value: string }) => ({ name: h.name.toLowerCase(), value: h.value });
  const out: HeaderMutation = {
    set: m.set.filter(keep).map(lower), add: m.add.filter(keep).map(lower),
    remove: [...new Set(m.remove.map((r) => r.toLowerCase()))].filter((r) => !unmodifiable(r)),
  };
  return out.set.length + out.add.length + out.remove.length > 0 ? out : undefined;
}

function mirrorOf(f: GammaFilter, index: number): RouteMirror | undefined {
  const m = f.requestMirror;
  if (!m || badShare(m)) return undefined;
  const out: RouteMirror = { service: `${m.backendRef.namespace}/${m.backendRef.name}`, filter: index };
  if (m.backendRef.port !== undefined) out.port = m.backendRef.port;
  if (m.percent !== undefined) out.fraction = { numerator: m.percent, denominator: 100 };
  else if (m.fraction) out.fraction = { ...m.fraction };
  return out;
}

/** The policy of rule `index`, undefined when it has none. */
export function rulePolicy(rule: GammaRule, index: number): RoutePolicy | undefined {
  const p: RoutePolicy = { rule: index };
  const request = duration(rule.timeouts?.request);
  const backendRequest = duration(rule.timeouts?.backendRequest);
  if (request) p.request = request;
  if (backendRequest) p.backendRequest = backendRequest;
  const filters = rule.ruleFilters ?? [];
  // CEL allows one RequestHeaderModifier and one ResponseHeaderModifier per rule.
  const req = mutation(filters.find((f) => f.type === 'RequestHeaderModifier')?.requestHeaderModifier);
  const res = mutation(filters.find((f) => f.type === 'ResponseHeaderModifier')?.responseHeaderModifier);
  if (req) p.requestHeaders = req;
  if (res) p.responseHeaders = res;
  const mirrors = filters.flatMap((f, i) => (f.type === 'RequestMirror' ? [mirrorOf(f, i)] : [])).filter((m): m is RouteMirror => m !== undefined);
  if (mirrors.length > 0) p.mirrors = mirrors;
  return Object.keys(p).length > 1 ? p : undefined;
}

/** The policies of a lowered split: rule 0's for the requests it splits; the catch-all rule's (1) for the rest. */
export function splitPolicies(route: GammaRoute, matching: boolean): TrafficSplit['policies'] {
  const split = rulePolicy(route.rules[0]!, 0);
  const root = matching ? rulePolicy(route.rules[1]!, 1) : undefined;
  if (!split && !root) return undefined;
  return { ...(split ? { split } : {}), ...(root ? { root } : {}) };
}

/** Why a rule's filters cannot be modelled (MESH1205), or undefined. */
export function unmodelledFilters(rule: GammaRule): string | undefined {
  const own = rule.ruleFilters ?? [];
  const other = own.filter((f) => !MODELLED_FILTERS.has(f.type)).map((f) => f.type);
  if (other.length > 0) return `filters (${[...new Set(other)].join(', ')})`;
  if (rule.filters.length > own.length) return `filters on backendRefs (${[...new Set(rule.filters.slice(own.length))].join(', ')})`;
  const mirror = own.find((f) => f.requestMirror && (f.requestMirror.backendRef.group !== '' || f.requestMirror.backendRef.kind !== 'Service'));
  if (mirror) return `a RequestMirror to a ${mirror.requestMirror!.backendRef.kind}`;
  return undefined;
}

export interface PolicyCheckContext {
  report(code: 'MESH1210' | 'MESH1211' | 'MESH1212' | 'MESH1215' | 'MESH1216', args: Record<string, string | number>, path: Path): void;
  /** The ports of Service 'namespace/name', undefined when it is not in the input (nor assumed external: null). */
  portsOf(key: string): number[] | undefined | null;
  hint(namespace: string, name: string): string;
}

/** Reports what an API server (CEL) or Envoy refuses in rule `index`'s timeouts and filters. */
export function checkRulePolicy(rule: GammaRule, index: number, ctx: PolicyCheckContext): void {
  const rulePath: Path = ['spec', 'rules', index];
  const request = duration(rule.timeouts?.request);
  const backend = duration(rule.timeouts?.backendRequest);
  // The CEL rule: request "0s" (no timeout) admits any backendRequest.
  if (request && backend && request.nanos > 0 && backend.nanos > request.nanos) {
    ctx.report('MESH1210', { rule: index, backendRequest: backend.text, request: request.text }, [...rulePath, 'timeouts', 'backendRequest']);
  }
  (rule.ruleFilters ?? []).forEach((f, j) => {
    const at: Path = [...rulePath, 'filters', j];
    for (const key of ['requestHeaderModifier', 'responseHeaderModifier'] as const) {
      const m = f[key];
      if (!m) continue;
      const filter = key === 'requestHeaderModifier' ? 'RequestHeaderModifier' : 'ResponseHeaderModifier';
      for (const list of ['set', 'add', 'remove'] as const) {
        m[list].forEach((h, k) => {
          const name = typeof h === 'string' ? h : h.name;
          if (unmodifiable(name)) ctx.report('MESH1212', { rule: index, filter, header: name, why: 'Envoy refuses to modify the Host header and pseudo-headers' }, [...at, key, list, k]);
        });
      }
      for (const name of new Set(duplicates(m))) {
        ctx.report('MESH1212', { rule: index, filter, header: name, why: 'it is named more than once in set and add (names are case-insensitive); only the first is kept' }, [...at, key]);
      }
    }
    const mirror = f.requestMirror;
    if (!mirror) return;
    const share = badShare(mirror);
    if (share) ctx.report('MESH1215', { rule: index, what: share }, [...at, 'requestMirror', mirror.percent !== undefined ? 'percent' : 'fraction']);
    const ref = mirror.backendRef;
    if (ref.group !== '' || ref.kind !== 'Service') return;
    const ports = ctx.portsOf(`${ref.namespace}/${ref.name}`);
    const backend = `Service ${ref.namespace}/${ref.name}${ref.port !== undefined ? `:${ref.port}` : ''}`;
    if (ports === undefined) ctx.report('MESH1211', { rule: index, backend, hint: ctx.hint(ref.namespace, ref.name) }, [...at, 'requestMirror', 'backendRef', 'name']);
    else if (ports !== null && ref.port !== undefined && !ports.includes(ref.port)) {
      ctx.report('MESH1216', { rule: index, backend, port: ref.port, ports: ports.join(', ') || 'none' }, [...at, 'requestMirror', 'backendRef', 'port']);
    }
  });
}
