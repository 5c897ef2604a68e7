import { keyOf } from '../core/types.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { Mesh, TrafficSplit } from '../model/types.ts';
import { collectGrants, grantCoversPort } from './grants.ts';
import type {
  BackendVerdict, IdentityKey, InboundPort, PortAccess, Reachability, ReachRule, ReachService, ReachSplit, RuleVerdict, ServiceKey,
} from './types.ts';
import { identityOf, resolvePorts, SelectorIndex, workloadKey } from './workloads.ts';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const spKey = (service: ServiceKey, port: number) => `${service}|${port}`;

function servicesOf(mesh: Mesh): Record<ServiceKey, ReachService> {
  const selectors = new SelectorIndex(mesh);
  const keys: ServiceKey[] = [];
  const byKey = new Map<ServiceKey, ReachService>();
  for (const svc of mesh.services) {
    const key = keyOf(svc.meta);
    if (byKey.has(key)) continue; // duplicates: first wins (reported by the model builder)
    const workloads = selectors.select(svc).sort((a, b) => byString(workloadKey(a), workloadKey(b)));
    const identities = [...new Set(workloads.map(identityOf))].sort(byString);
    byKey.set(key, { key, ports: resolvePorts(svc, workloads), identities, workloads: workloads.map(workloadKey) });
    keys.push(key);
  }
  const out: Record<ServiceKey, ReachService> = {};
  for (const k of keys.sort(byString)) out[k] = byKey.get(k)!;
  return out;
}

/**
 * The Service a TrafficSplit root names: a plain name, or a qualified one
 * pointing back into the split's namespace (name.ns, name.ns.svc, name.ns.svc.<domain>), as OSM resolves it.
 */
export function splitRootKey(split: TrafficSplit): ServiceKey {
  const ns = split.meta.namespace;
  const written = split.service;
  const dot = written.indexOf('.');
  if (dot > 0) {
    const rest = written.slice(dot + 1);
    if (rest === ns || rest === `${ns}.svc` || rest.startsWith(`${ns}.svc.`)) return `${ns}/${written.slice(0, dot)}`;
  }
  return `${ns}/${written}`;
}

const backendsOf = (s: TrafficSplit) => s.backends.map((b) => ({ service: `${b.namespace ?? s.meta.namespace}/${b.service}`, weight: b.weight }));
const weightOf = (backends: { weight: number }[]) => backends.reduce((sum, b) => sum + b.weight, 0);

/** Compares precedence keys element by element (a shorter key that is a prefix comes first). */
function byKey(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The rules of Gateway API mesh routes lowered for one Service: one per match, in precedence order; no fallback. */
function gammaSplit(root: ServiceKey, lowered: TrafficSplit[]): ReachSplit {
  const entries = lowered.flatMap((s) => s.gamma!.entries.map((e) => ({ s, e })));
  entries.sort((a, b) => byKey(a.e.key, b.e.key));
  const rules = entries.map(({ s, e }): ReachRule => {
    const backends = backendsOf(s);
    const group = s.matches.find((m) => m.kind === 'HTTPRouteGroup');
    return {
      split: keyOf(s.meta), matches: group && e.match !== undefined ? [`${s.meta.namespace}/${group.name}`] : [],
      ...(group && e.match !== undefined ? { matchIndex: e.match } : {}), backends, totalWeight: weightOf(backends),
    };
  });
  const port = lowered[0]!.gamma!.port;
  return { split: rules[0]?.split ?? keyOf(lowered[0]!.meta), root, rules, unmatched: 'none', ...(port !== undefined ? { port } : {}), ignored: [] };
}

function splitsOf(mesh: Mesh): Record<ServiceKey, ReachSplit> {
  const byRoot = new Map<ServiceKey, TrafficSplit[]>();
  for (const s of mesh.trafficSplits) {
    const root = splitRootKey(s);
    const list = byRoot.get(root);
    if (list) list.push(s);
    else byRoot.set(root, [s]);
  }
  const out: Record<ServiceKey, ReachSplit> = {};
  for (const root of [...byRoot.keys()].sort(byString)) {
    const all = byRoot.get(root)!;
    const lowered = all.filter((s) => s.gamma);
    if (lowered.length > 0 && lowered.length === all.length) {
      out[root] = gammaSplit(root, lowered);
      continue;
    }
    const [first, ...rest] = all.filter((s) => !s.gamma);
    const ns = first!.meta.namespace;
    const backends = backendsOf(first!);
    out[root] = {
      split: `${ns}/${first!.meta.name}`, root,
      rules: [{
        split: `${ns}/${first!.meta.name}`, backends, totalWeight: weightOf(backends),
        matches: first!.matches.filter((m) => m.kind === 'HTTPRouteGroup').map((m) => `${ns}/${m.name}`),
      }],
      unmatched: 'root',
      ignored: rest.map((s) => keyOf(s.meta)),
    };
  }
  return out;
}

interface BackendAccess { svc: ReachService | undefined; port: { port: number } | null; sources: Map<IdentityKey, number[]> | undefined }

/** One source's verdict on one rule's backends. */
function ruleVerdict(rule: ReachRule, backendAccess: BackendAccess[], source: IdentityKey): RuleVerdict {
  let allowedWeight = 0;
  let totalWeight = 0;
  const backends: BackendVerdict[] = rule.backends.map((b, i) => {
    const ba = backendAccess[i]!;
    const ids = ba.sources?.get(source) ?? [];
    const v: BackendVerdict = { service: b.service, weight: b.weight, port: ba.port?.port ?? null, grants: ids, allowed: ids.length > 0 };
    // A backend nobody can reach on this port takes no traffic: excluded, the others share its requests.
    if (!ba.svc) v.denied = 'missing-service';
    else if (!ba.port) v.denied = 'no-port';
    else if (ba.svc.identities.length === 0) v.denied = 'no-workloads';
    else if (!v.allowed) v.denied = 'no-grant';
    if (v.denied && v.denied !== 'no-grant') v.excluded = true;
    else totalWeight += b.weight;
    if (v.allowed) allowedWeight += b.weight;
    return v;
  });
  return { backends, totalWeight, allowedWeight };
}

/** Sorted record from a map (deterministic output and JSON). */
function toRecord<V>(map: Map<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of [...map.keys()].sort(byString)) out[k] = map.get(k)!;
  return out;
}

export function buildReachability(mesh: Mesh, index: MeshIndex, mode: 'smi' | 'permissive'): Reachability {
  const services = servicesOf(mesh);
  const servicesByIdentity = new Map<IdentityKey, ServiceKey[]>();
  for (const svc of Object.values(services)) {
    for (const id of svc.identities) {
      const list = servicesByIdentity.get(id);
      if (list) list.push(svc.key);
      else servicesByIdentity.set(id, [svc.key]);
    }
  }
  const splits = splitsOf(mesh);
  for (const root of Object.keys(splits)) if (services[root]) services[root].splitRoot = true;
  const result: Reachability = {
    mode, services, servicesByIdentity: toRecord(servicesByIdentity), grants: [], outbound: {}, inbound: {}, splits,
  };
  if (mode === 'permissive') return result;

  const grants = collectGrants(mesh, index);
  result.grants = grants;
  // (service|port) → source → grant ids; the single expansion every view is derived from.
  const access = new Map<string, Map<IdentityKey, number[]>>();
  const inbound = new Map<IdentityKey, Map<string, InboundPort>>();
  for (const g of grants) {
    const served = servicesByIdentity.get(g.destination);
    if (!served || g.sources.length === 0) continue;
    for (const svcKey of served) {
      for (const p of services[svcKey].ports) {
        if (!grantCoversPort(g, p)) continue;
        const k = spKey(svcKey, p.port);
        let inPorts = inbound.get(g.destination);
        if (!inPorts) inbound.set(g.destination, (inPorts = new Map()));
        let ip = inPorts.get(k);
        if (!ip) inPorts.set(k, (ip = { service: svcKey, port: p.port, targetPort: p.targetPort, protocol: p.protocol, grants: [] }));
        ip.grants.push(g.id);
        let bySource = access.get(k);
        if (!bySource) access.set(k, (bySource = new Map()));
        for (const s of g.sources) {
          const list = bySource.get(s.identity);
          if (!list) bySource.set(s.identity, [g.id]);
          else if (list[list.length - 1] !== g.id) list.push(g.id);
        }
      }
    }
  }

  const outbound = new Map<IdentityKey, Map<string, PortAccess>>();
  const entry = (source: IdentityKey, service: ServiceKey, port: number): PortAccess => {
    let ports = outbound.get(source);
    if (!ports) outbound.set(source, (ports = new Map()));
    const k = spKey(service, port);
    let pa = ports.get(k);
    if (!pa) ports.set(k, (pa = { service, port, grants: [] }));
    return pa;
  };
  for (const [k, bySource] of access) {
    const bar = k.lastIndexOf('|');
    const service = k.slice(0, bar);
    const port = Number(k.slice(bar + 1));
    for (const [source, ids] of bySource) entry(source, service, port).grants = ids;
  }

  // TrafficSplit roots: verdict per rule and backend for every source that reaches the root or any backend.
  for (const split of Object.values(splits)) {
    const root = services[split.root];
    if (!root) continue;
    for (const rp of root.ports) {
      if (split.port !== undefined && split.port !== rp.port) continue;
      const sources = new Set<IdentityKey>(access.get(spKey(split.root, rp.port))?.keys() ?? []);
      const ruleAccess = split.rules.map((rule) => rule.backends.map((b) => {
        const svc = services[b.service];
        const port = svc?.ports.find((p) => p.port === rp.port && p.protocol === rp.protocol) ?? null;
        const bySource = port ? access.get(spKey(b.service, port.port)) : undefined;
        for (const s of bySource?.keys() ?? []) sources.add(s);
        return { svc, port, sources: bySource };
      }));
      for (const source of [...sources].sort(byString)) {
        const rules = split.rules.map((rule, r) => ruleVerdict(rule, ruleAccess[r]!, source));
        entry(source, split.root, rp.port).split = { split: split.split, rules };
      }
    }
  }

  const sortPorts = <T extends { service: string; port: number }>(list: T[]) =>
    list.sort((a, b) => byString(a.service, b.service) || a.port - b.port);
  result.outbound = toRecord(new Map([...outbound].map(([id, m]) => [id, sortPorts([...m.values()])])));
  result.inbound = toRecord(new Map([...inbound].map(([id, m]) => [id, sortPorts([...m.values()])])));
  return result;
}
