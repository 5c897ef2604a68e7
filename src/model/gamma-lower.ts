/**
 * Lowers Gateway API mesh routes (GAMMA: parentRefs that are Services) into
 * the canonical model the rest of meshc reads: a route becomes a
 * TrafficSplit of its parent Service (meta and positions the route's, via
 * origin rewrites), and the matches of a matching rule become an
 * HTTPRouteGroup the split names. Reachability, why, graph, test and compile
 * then treat both front ends alike. Shapes the model cannot hold are
 * reported (MESH1205) and left out, never approximated. See docs/guide-gamma.md.
 */
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { Path } from '../core/types.ts';
import type { MeshcConfig } from '../config/types.ts';
import type { SourceSet } from '../source/source-set.ts';
import { isExternal } from '../rules/util/external.ts';
import { closestHint } from '../core/suggest.ts';
import { GATEWAY } from '../schema/kinds.ts';
import { checkRulePolicy, splitPolicies, unmodelledFilters } from './gamma-policy.ts';
import { refOf, type GammaMatch, type GammaRoute, type GammaRule, type HTTPMatch, type HTTPRouteGroup, type HttpMethod, type Mesh, type ObjectMeta, type TrafficSplit } from './types.ts';

/** RE2-safe literal. */
const literal = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

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

const isCatchAll = (m: GammaMatch) =>
  !m.grpc && !m.method && m.headers.length === 0 && m.queryParams.length === 0 && (!m.path || (m.path.type === 'PathPrefix' && /^\/*$/.test(m.path.value)));

/** Why a rule cannot be modelled, or undefined. */
function unmodelled(rule: GammaRule, meta: ObjectMeta): string | undefined {
  const filters = unmodelledFilters(rule);
  if (filters) return filters;
  if (rule.other.length > 0) return rule.other.join(' and ');
  const mirror = rule.ruleFilters?.find((f) => f.requestMirror && f.requestMirror.backendRef.namespace !== meta.namespace);
  if (mirror) return 'a RequestMirror to another namespace';
  const foreign = rule.backendRefs.find((b) => b.group !== '' || b.kind !== 'Service');
  if (foreign) return `backendRefs of kind ${foreign.group ? `${foreign.group}/` : ''}${foreign.kind}`;
  if (rule.backendRefs.some((b) => b.namespace !== meta.namespace)) return 'backendRefs in other namespaces';
  return undefined;
}

interface Lowered { split: TrafficSplit; group?: HTTPRouteGroup; parentIndex: number }

function httpMatches(rule: GammaRule): HTTPMatch[] {
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

/** The split a route makes for one Service parent, or the reason it cannot. */
function lowerRoute(route: GammaRoute, parentIndex: number, service: string): Lowered | string {
  const rules = route.rules;
  for (const r of rules) {
    const why = unmodelled(r, route.meta);
    if (why) return why;
  }
  const meta = route.meta;
  const rIdx = rules.length === 1 ? 0 : 0;
  const rule = rules[rIdx]!;
  let matching = false;
  if (rules.length === 1) {
    if (!rule.matches.every(isCatchAll) && rule.matches.length > 0) return 'a route whose requests that match no rule get 404 (every rule has matches: add a last rule without matches)';
  } else {
    const last = rules[rules.length - 1]!;
    const toParent = last.backendRefs.length === 1 && last.backendRefs[0]!.name === service && last.matches.every(isCatchAll);
    if (rules.length !== 2 || !toParent || rule.matches.length === 0 || rule.matches.some(isCatchAll)) {
      return 'several rules with different backends (only a matching rule followed by a catch-all rule to the parent Service itself is modelled)';
    }
    matching = true;
  }
  const rulePath: Path = ['spec', 'rules', rIdx];
  const rewrites: [Path, Path][] = [
    [['spec', 'service'], ['spec', 'parentRefs', parentIndex, 'name']],
    [['spec', 'backends'], [...rulePath, 'backendRefs']],
    [['spec', 'matches'], [...rulePath, 'matches']],
    ...rule.backendRefs.map((_, i): [Path, Path] => [['spec', 'backends', i, 'service'], [...rulePath, 'backendRefs', i, 'name']]),
  ];
  const splitMeta: ObjectMeta = { ...meta, origin: { ...meta.origin, rewrites } };
  const groupName = `${meta.name}.rule-${rIdx}`;
  const split: TrafficSplit = {
    meta: splitMeta, synthesizedFrom: refOf(meta), service,
    backends: rule.backendRefs.map((b) => ({ service: b.name, weight: b.weight })),
    matches: matching ? [{ kind: 'HTTPRouteGroup', name: groupName }] : [],
    weightUnit: 'integer',
  };
  const policies = splitPolicies(route, matching);
  if (policies) split.policies = policies;
  if (!matching) return { split, parentIndex };
  const groupRewrites: [Path, Path][] = rule.matches.flatMap((m, i): [Path, Path][] => [
    [['spec', 'matches', i], [...rulePath, 'matches', i]],
    [['spec', 'matches', i, 'pathRegex'], [...rulePath, 'matches', i, m.grpc ? 'method' : 'path']],
    [['spec', 'matches', i, 'methods'], [...rulePath, 'matches', i, 'method']],
    ...m.headers.map((h, j): [Path, Path] => [['spec', 'matches', i, 'headers', h.name.toLowerCase()], [...rulePath, 'matches', i, 'headers', j]]),
    [['spec', 'matches', i, 'queryParams'], [...rulePath, 'matches', i, 'queryParams']],
  ]);
  const group: HTTPRouteGroup = {
    meta: { ...meta, name: groupName, origin: { ...meta.origin, rewrites: groupRewrites } }, synthesizedFrom: refOf(meta), matches: httpMatches(rule),
  };
  return { split, group, parentIndex };
}

/** ReferenceGrant in the backend's namespace letting this route kind from its namespace refer to the Service. */
function granted(mesh: Mesh, route: GammaRoute, namespace: string, name: string): boolean {
  return mesh.referenceGrants.some((g) => g.meta.namespace === namespace
    && g.from.some((f) => f.group === GATEWAY && f.kind === route.meta.kind && f.namespace === route.meta.namespace)
    && g.to.some((t) => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === name)));
}

export function lowerGammaRoutes(mesh: Mesh, sources: SourceSet, sink: DiagnosticSink, config?: MeshcConfig): void {
  const at = (meta: ObjectMeta, path: Path) => sources.locate(meta.origin, path);
  const services = new Set(mesh.services.map((s) => `${s.meta.namespace}/${s.meta.name}`));
  const portsOf = new Map(mesh.services.map((s) => [`${s.meta.namespace}/${s.meta.name}`, s.ports.length]));
  const smiSplits = new Map<string, TrafficSplit>();
  for (const s of mesh.trafficSplits) if (!smiSplits.has(`${s.meta.namespace}/${s.service}`)) smiSplits.set(`${s.meta.namespace}/${s.service}`, s);
  const routed = new Map<string, GammaRoute>();
  const servicePorts = new Map(mesh.services.map((s) => [`${s.meta.namespace}/${s.meta.name}`, s.ports.map((p) => p.port)]));

  for (const route of mesh.gammaRoutes) {
    const { meta } = route;
    const name = `${meta.namespace}/${meta.name}`;
    const notModelled = (what: string, path: Path = []) => sink.report('MESH1205', { kind: meta.kind, route: name, what }, at(meta, path), refOf(meta));
    const policyCheck = {
      report: (code: string, args: Record<string, string | number>, path: Path) => sink.report(code, args, at(meta, path), refOf(meta)),
      portsOf: (key: string) => servicePorts.get(key) ?? (config && isExternal(config, 'Service', ...(key.split('/') as [string, string])) ? null : undefined),
      hint: (ns: string, n: string) => closestHint(n, mesh.services.filter((s) => s.meta.namespace === ns).map((s) => s.meta.name)),
    };
    route.rules.forEach((r, i) => {
      checkRulePolicy(r, i, policyCheck);
      if (r.backendRefs.length > 0 && r.backendRefs.every((b) => b.weight === 0)) sink.report('MESH1203', { rule: i }, at(meta, ['spec', 'rules', i, 'backendRefs']), refOf(meta));
      r.backendRefs.forEach((b, j) => {
        if (b.namespace !== meta.namespace && (b.group === '' && b.kind === 'Service') && !granted(mesh, route, b.namespace, b.name)) {
          sink.report('MESH1202', { backend: `${b.namespace}/${b.name}`, namespace: b.namespace, kind: meta.kind, from: meta.namespace }, at(meta, ['spec', 'rules', i, 'backendRefs', j, 'namespace']), refOf(meta));
        }
      });
    });
    const zero = route.rules.some((r) => r.backendRefs.length > 0 && r.backendRefs.every((b) => b.weight === 0));
    route.parentRefs.forEach((p, i) => {
      const path: Path = ['spec', 'parentRefs', i];
      if (p.kind === 'Service' && p.group !== '') {
        sink.report('MESH1206', { index: i }, at(meta, path), refOf(meta));
        return;
      }
      if (p.kind !== 'Service') {
        sink.report('MESH1200', { kind: meta.kind, route: name, parent: `${p.kind} ${p.namespace}/${p.name}` }, at(meta, path), refOf(meta));
        return;
      }
      const key = `${p.namespace}/${p.name}`;
      if (!services.has(key) && !(config && isExternal(config, 'Service', p.namespace, p.name))) {
        // Reported, and still lowered, as a TrafficSplit with a missing root stays in the model (MESH0401): both front ends answer alike.
        sink.report('MESH1201', { kind: meta.kind, route: name, service: key, hint: closestHint(p.name, mesh.services.filter((s) => s.meta.namespace === p.namespace).map((s) => s.meta.name)) }, at(meta, [...path, 'name']), refOf(meta));
      }
      if (p.namespace !== meta.namespace) return notModelled('consumer routes (a parent Service in another namespace)', path);
      if (p.port !== undefined && (portsOf.get(key) ?? 0) > 1) return notModelled('a parentRef port on a Service with several ports', [...path, 'port']);
      if (zero) return;
      const smi = smiSplits.get(key);
      if (smi) {
        sink.report('MESH1204', { kind: meta.kind, route: name, split: `${smi.meta.namespace}/${smi.meta.name}`, where: sources.where(smi.meta.origin, ['spec', 'service']), service: key }, at(meta, [...path, 'name']), refOf(meta), {
          related: [{ message: `TrafficSplit ${smi.meta.namespace}/${smi.meta.name}`, range: sources.locate(smi.meta.origin, ['spec', 'service']) }],
        });
        return;
      }
      const earlier = routed.get(key);
      if (earlier) return notModelled(`several routes on one Service (${earlier.meta.kind} ${earlier.meta.namespace}/${earlier.meta.name} also routes ${key})`, [...path, 'name']);
      const lowered = lowerRoute(route, i, p.name);
      if (typeof lowered === 'string') return notModelled(lowered);
      routed.set(key, route);
      mesh.trafficSplits.push(lowered.split);
      if (lowered.group) mesh.httpRouteGroups.push(lowered.group);
    });
  }
}
