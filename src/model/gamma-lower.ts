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
import { refOf, type GammaRoute, type GammaRule, type HTTPRouteGroup, type Mesh, type ObjectMeta, type TrafficSplit } from './types.ts';
import { byRouteAge, isCatchAll, matchRank, matchSignature, ruleGroup, ruleSplit } from './gamma-rules.ts';
import { checkRulePolicy, rulePolicy, splitPolicies, unmodelledFilters } from './gamma-policy.ts';

/** Why a rule cannot be modelled, or undefined. */
function unmodelled(rule: GammaRule, meta: ObjectMeta): string | undefined {
  const filters = unmodelledFilters(rule);
  if (filters) return filters;
  if (rule.other.length > 0) return rule.other.join(' and ');
  const mirror = rule.ruleFilters?.find((f) => f.requestMirror && f.requestMirror.backendRef.namespace !== meta.namespace);
  if (mirror) return 'a RequestMirror to another namespace';
  const foreign = rule.backendRefs.find((b) => b.group !== '' || b.kind !== 'Service');
  if (foreign) return `backendRefs of kind ${foreign.group ? `${foreign.group}/` : ''}${foreign.kind}`;
  return undefined;
}

interface Lowered { split: TrafficSplit; group?: HTTPRouteGroup }

/**
 * The two shapes an SMI TrafficSplit holds exactly, lowered as one (its unmatched requests go to the Service's pods,
 * which is what the catch-all rule back to the parent says): one rule for every request; or a matching rule followed
 * by a catch-all rule to the parent itself. Undefined for any other shape (the merged rule table takes it).
 */
function lowerSplitShape(route: GammaRoute, parentIndex: number, service: string): Lowered | undefined {
  const { rules, meta } = route;
  const rule = rules[0]!;
  if (rule.backendRefs.some((b) => b.namespace !== meta.namespace)) return undefined;
  if (rules.length === 1) {
    if (rule.matches.length > 0 && !rule.matches.every(isCatchAll)) return undefined;
    return { split: withPolicies(ruleSplit(meta, rule, 0, parentIndex, service, meta.name, undefined), splitPolicies(route, false)) };
  }
  const last = rules[1]!;
  const toParent = last.backendRefs.length === 1 && last.backendRefs[0]!.name === service && last.backendRefs[0]!.namespace === meta.namespace && last.matches.every(isCatchAll);
  if (rules.length !== 2 || !toParent || rule.matches.length === 0 || rule.matches.some(isCatchAll)) return undefined;
  const groupName = `${meta.name}.rule-0`;
  return { split: withPolicies(ruleSplit(meta, rule, 0, parentIndex, service, meta.name, groupName), splitPolicies(route, true)), group: ruleGroup(meta, rule, 0, groupName) };
}

function withPolicies(split: TrafficSplit, policies: TrafficSplit['policies']): TrafficSplit {
  if (policies) split.policies = policies;
  return split;
}

/** One Service parentRef of a route that is modelled. */
interface Attachment { route: GammaRoute; parentIndex: number; service: string; port?: number }

/** ReferenceGrant in the backend's namespace letting this route kind from its namespace refer to the Service. */
function granted(mesh: Mesh, route: GammaRoute, namespace: string, name: string): boolean {
  return mesh.referenceGrants.some((g) => g.meta.namespace === namespace
    && g.from.some((f) => f.group === GATEWAY && f.kind === route.meta.kind && f.namespace === route.meta.namespace)
    && g.to.some((t) => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === name)));
}

export function lowerGammaRoutes(mesh: Mesh, sources: SourceSet, sink: DiagnosticSink, config?: MeshcConfig): void {
  const at = (meta: ObjectMeta, path: Path) => sources.locate(meta.origin, path);
  const services = new Map(mesh.services.map((s) => [`${s.meta.namespace}/${s.meta.name}`, s]));
  const smiSplits = new Map<string, TrafficSplit>();
  for (const s of mesh.trafficSplits) if (!smiSplits.has(`${s.meta.namespace}/${s.service}`)) smiSplits.set(`${s.meta.namespace}/${s.service}`, s);
  // Service key → the route parentRefs attached to it, in input order.
  const attached = new Map<string, Attachment[]>();
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
    let ungranted = false;
    route.rules.forEach((r, i) => {
      checkRulePolicy(r, i, policyCheck);
      if (r.backendRefs.length > 0 && r.backendRefs.every((b) => b.weight === 0)) sink.report('MESH1203', { rule: i }, at(meta, ['spec', 'rules', i, 'backendRefs']), refOf(meta));
      // (A rule with a filter meshc does not model, such as a redirect that answers by itself, leaves the route out: MESH1205.)
      if (r.backendRefs.length === 0 && unmodelledFilters(r) === undefined) sink.report('MESH1232', { rule: i, kind: meta.kind, route: name }, at(meta, ['spec', 'rules', i, 'backendRefs']), refOf(meta));
      r.backendRefs.forEach((b, j) => {
        if (b.namespace !== meta.namespace && (b.group === '' && b.kind === 'Service') && !granted(mesh, route, b.namespace, b.name)) {
          ungranted = true;
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
      const svc = services.get(key);
      if (!svc && !(config && isExternal(config, 'Service', p.namespace, p.name))) {
        // Reported, and still lowered, as a TrafficSplit with a missing root stays in the model (MESH0401): both front ends answer alike.
        sink.report('MESH1201', { kind: meta.kind, route: name, service: key, hint: closestHint(p.name, mesh.services.filter((s) => s.meta.namespace === p.namespace).map((s) => s.meta.name)) }, at(meta, [...path, 'name']), refOf(meta));
      }
      if (p.namespace !== meta.namespace) {
        return notModelled(`consumer routes (a parent Service in another namespace applies only to clients in ${meta.namespace}; reachability routes a Service alike for every client namespace)`, path);
      }
      if (zero) return;
      const smi = smiSplits.get(key);
      if (smi) {
        sink.report('MESH1204', { kind: meta.kind, route: name, split: `${smi.meta.namespace}/${smi.meta.name}`, where: sources.where(smi.meta.origin, ['spec', 'service']), service: key }, at(meta, [...path, 'name']), refOf(meta), {
          related: [{ message: `TrafficSplit ${smi.meta.namespace}/${smi.meta.name}`, range: sources.locate(smi.meta.origin, ['spec', 'service']) }],
        });
        return;
      }
      for (const r of route.rules) {
        const why = unmodelled(r, meta);
        if (why) return notModelled(why);
      }
      if (ungranted) return notModelled('a backendRef in another namespace that no ReferenceGrant allows (MESH1202; its share of requests would fail with 500)');
      // A parentRef port (or sectionName, the port's name) narrows the route to that Service port.
      const port = p.port ?? (p.sectionName !== undefined ? svc?.ports.find((sp) => sp.name === p.sectionName)?.port : undefined);
      const narrowed = port !== undefined && (svc?.ports.length ?? 0) > 1;
      const list = attached.get(key);
      const a: Attachment = { route, parentIndex: i, service: p.name, ...(narrowed ? { port } : {}) };
      // Two parentRefs of one route that come to the same Service scope (a sectionName naming the only port, and
      // none) attach it once: its rules are not merged with themselves.
      if (list?.some((o) => o.route === route && o.port === a.port)) return;
      if (list) list.push(a);
      else attached.set(key, [a]);
    });
  }
  for (const [key, list] of attached) lowerService(mesh, key, list, (m, path) => at(m, path), sink);
}

/** Lowers every route attached to one Service: one TrafficSplit-shaped route as before, else the merged rule table. */
function lowerService(mesh: Mesh, key: string, list: Attachment[], at: (meta: ObjectMeta, path: Path) => ReturnType<SourceSet['locate']>, sink: DiagnosticSink): void {
  const notModelled = (a: Attachment, what: string, path: Path) => sink.report('MESH1205', { kind: a.route.meta.kind, route: `${a.route.meta.namespace}/${a.route.meta.name}`, what }, at(a.route.meta, path), refOf(a.route.meta));
  if (list.length === 1 && list[0]!.port === undefined) {
    const only = list[0]!;
    const lowered = lowerSplitShape(only.route, only.parentIndex, only.service);
    if (lowered) {
      mesh.trafficSplits.push(lowered.split);
      if (lowered.group) mesh.httpRouteGroups.push(lowered.group);
      return;
    }
  }
  // GEP-1294: when routes of several types attach to one Service, GRPCRoute wins over HTTPRoute.
  let routes = list;
  if (list.some((a) => a.route.meta.kind === 'GRPCRoute') && list.some((a) => a.route.meta.kind !== 'GRPCRoute')) {
    routes = list.filter((a) => a.route.meta.kind === 'GRPCRoute');
    const winner = routes[0]!.route.meta;
    for (const a of list.filter((x) => x.route.meta.kind !== 'GRPCRoute')) {
      sink.report('MESH1231', { route: `${a.route.meta.namespace}/${a.route.meta.name}`, service: key, grpc: `${winner.namespace}/${winner.name}` }, at(a.route.meta, ['spec', 'parentRefs', a.parentIndex, 'name']), refOf(a.route.meta));
    }
  }
  routes = [...routes].sort((a, b) => byRouteAge(a.route, b.route));
  const port = routes[0]!.port;
  const kept = routes.filter((a) => {
    if (a.port === port) return true;
    notModelled(a, `routes on Service ${key} that apply to different ports (${port ?? 'every port'} and ${a.port ?? 'every port'})`, ['spec', 'parentRefs', a.parentIndex]);
    return false;
  });
  const seen: { sig: string; where: string }[] = [];
  const entries = kept.flatMap((a, order) => a.route.rules.flatMap((rule, r) => (rule.matches.length === 0 ? [undefined] : rule.matches).map((m, j) => ({ a, order, rule, r, m, j }))));
  entries.sort((x, y) => cmpKeys([...matchRank(x.m), x.order, x.r, x.j], [...matchRank(y.m), y.order, y.r, y.j]));
  // Entries an earlier one takes every request of ('route order/rule/match'): they never match, so no stage routes by them.
  const shadowed = new Set<string>();
  for (const e of entries) {
    const sig = matchSignature(e.m);
    const where = `rule ${e.r} of ${e.a.route.meta.kind} ${e.a.route.meta.namespace}/${e.a.route.meta.name}`;
    const earlier = seen.find((s) => s.sig === '' || s.sig === sig);
    const path: Path = e.m ? ['spec', 'rules', e.r, 'matches', e.j] : ['spec', 'rules', e.r];
    if (earlier) {
      sink.report('MESH1230', { rule: where, match: e.m ? ` (match ${e.j})` : '', earlier: earlier.where, service: key }, at(e.a.route.meta, path), refOf(e.a.route.meta));
      shadowed.add(`${e.order}/${e.r}/${e.j}`);
    } else seen.push({ sig, where });
  }
  const groups = new Set(mesh.httpRouteGroups.map((g) => `${g.meta.namespace}/${g.meta.name}`));
  kept.forEach((a, order) => {
    const { meta } = a.route;
    const several = a.route.parentRefs.filter((p) => p.kind === 'Service').length > 1;
    a.route.rules.forEach((rule, r) => {
      const base = `${meta.name}${several ? `.${a.service}` : ''}.rule-${r}`;
      const groupName = rule.matches.length > 0 ? `${meta.name}.rule-${r}` : undefined;
      if (groupName && !groups.has(`${meta.namespace}/${groupName}`)) {
        groups.add(`${meta.namespace}/${groupName}`);
        mesh.httpRouteGroups.push(ruleGroup(meta, rule, r, groupName));
      }
      const split = ruleSplit(meta, rule, r, a.parentIndex, a.service, base, groupName);
      const matches = rule.matches.length === 0 ? [undefined] : rule.matches;
      const policy = rulePolicy(rule, r);
      if (policy) split.policies = { split: policy };
      split.gamma = {
        rule: r, entries: matches.map((m, j) => ({ ...(m ? { match: j } : {}), key: [...matchRank(m), order, r, j], ...(shadowed.has(`${order}/${r}/${j}`) ? { shadowed: true } : {}) })),
        ...(a.port !== undefined ? { port: a.port } : {}),
      };
      mesh.trafficSplits.push(split);
    });
  });
}

function cmpKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
