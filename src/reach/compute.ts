import { keyOf } from '../core/types.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { Mesh, TrafficSplit, Workload } from '../model/types.ts';
import { carriesHttp } from '../model/port-protocol.ts';
import { collectGrants, grantCoversPort } from './grants.ts';
import type {
  BackendVerdict, Grant, IdentityKey, InboundPort, PortAccess, Reachability, ReachRule, ReachService, ReachSplit, RuleVerdict, ServiceKey,
} from './types.ts';
import { identityOf, resolvePorts, SelectorIndex, workloadKey } from './workloads.ts';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One Service port number of one Service, as the grants are expanded: which sources reach it with which grants
 * (outbound) and which grants admit whom per destination identity (inbound). Ports of one number (TCP and UDP 53)
 * share a slot, as they share their (service, port) entry in the output.
 */
interface Slot {
  service: ServiceKey;
  port: number;
  /** source → ids of the grants admitting it, in grant order. */
  access?: Map<IdentityKey, number[]>;
  /** destination identity → its inbound entry. */
  inbound?: Map<IdentityKey, InboundPort>;
  /** source → its entry, for a split root port (the verdict is added to it). */
  outbound?: Map<IdentityKey, PortAccess>;
}

/** A Service with the slot of each port (parallel to `info.ports`) and whether each port carries HTTP. */
interface ServiceSlots {
  info: ReachService;
  slots: Slot[];
  http: boolean[];
}

interface Services {
  record: Record<ServiceKey, ReachService>;
  byKey: Map<ServiceKey, ServiceSlots>;
  /** Every slot in output order: services by key, then port number. */
  ranked: Slot[];
}

function slotsOf(info: ReachService): ServiceSlots {
  const byPort = new Map<number, Slot>();
  const slots = info.ports.map((p) => {
    let slot = byPort.get(p.port);
    if (!slot) byPort.set(p.port, (slot = { service: info.key, port: p.port }));
    return slot;
  });
  return { info, slots, http: info.ports.map(carriesHttp) };
}

const ascending = (slots: Slot[]) => slots.every((s, i) => i === 0 || slots[i - 1]!.port < s.port);

function servicesOf(mesh: Mesh): Services {
  const selectors = new SelectorIndex(mesh);
  const keys: ServiceKey[] = [];
  const byKey = new Map<ServiceKey, ReachService>();
  const workloadKeys = new Map<Workload, string>();
  const keyOfWorkload = (w: Workload) => {
    let k = workloadKeys.get(w);
    if (k === undefined) workloadKeys.set(w, (k = workloadKey(w)));
    return k;
  };
  for (const svc of mesh.services) {
    const key = keyOf(svc.meta);
    if (byKey.has(key)) continue; // duplicates: first wins (reported by the model builder)
    const workloads = selectors.select(svc);
    if (workloads.length > 1) workloads.sort((a, b) => byString(keyOfWorkload(a), keyOfWorkload(b)));
    const identities = workloads.length === 1 ? [identityOf(workloads[0]!)] : [...new Set(workloads.map(identityOf))].sort(byString);
    byKey.set(key, { key, ports: resolvePorts(svc, workloads), identities, workloads: workloads.map(keyOfWorkload) });
    keys.push(key);
  }
  const record: Record<ServiceKey, ReachService> = {};
  const slotted = new Map<ServiceKey, ServiceSlots>();
  const ranked: Slot[] = [];
  for (const k of keys.sort(byString)) {
    const info = byKey.get(k)!;
    record[k] = info;
    const s = slotsOf(info);
    slotted.set(k, s);
    // Slots are distinct per port number; most Services list their ports in ascending order already.
    const distinct = s.slots.length === 1 ? s.slots : [...new Set(s.slots)];
    if (!ascending(distinct)) distinct.sort((a, b) => a.port - b.port);
    for (const slot of distinct) ranked.push(slot);
  }
  return { record, byKey: slotted, ranked };
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
  // A shadowed entry never takes a request (MESH1230): neither why, the reach rules, diff nor compile route by it.
  const entries = lowered.flatMap((s) => s.gamma!.entries.filter((e) => !e.shadowed).map((e) => ({ s, e })));
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

function push<V>(map: Map<string, V[]>, k: string, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** Does the grant admit traffic on port `i` of a Service (grantCoversPort, with the port's HTTP-ness known)? */
function covers(g: Grant, s: ServiceSlots, i: number): boolean {
  return g.protocol === 'http' ? s.http[i]! && (g.http?.length ?? 0) > 0 : grantCoversPort(g, s.info.ports[i]!);
}

/** Expands every grant over the ports of the services its destination serves: the single expansion every view is derived from. */
function expandGrants(grants: Grant[], served: Map<IdentityKey, ServiceSlots[]>): void {
  for (const g of grants) {
    const services = served.get(g.destination);
    if (!services || g.sources.length === 0) continue;
    for (const s of services) {
      const ports = s.info.ports;
      for (let i = 0; i < ports.length; i++) {
        if (!covers(g, s, i)) continue;
        const p = ports[i]!;
        const slot = s.slots[i]!;
        const inbound = (slot.inbound ??= new Map());
        let ip = inbound.get(g.destination);
        if (!ip) inbound.set(g.destination, (ip = { service: slot.service, port: p.port, targetPort: p.targetPort, protocol: p.protocol, grants: [] }));
        ip.grants.push(g.id);
        const access = (slot.access ??= new Map());
        for (const src of g.sources) {
          const list = access.get(src.identity);
          if (!list) access.set(src.identity, [g.id]);
          else if (list[list.length - 1] !== g.id) list.push(g.id);
        }
      }
    }
  }
}

/** A source's entry for a split root port (its own grants, if any), to which the split verdict is added. */
function rootEntry(slot: Slot, source: IdentityKey): PortAccess {
  const entries = (slot.outbound ??= new Map());
  let pa = entries.get(source);
  if (!pa) entries.set(source, (pa = { service: slot.service, port: slot.port, grants: slot.access?.get(source) ?? [] }));
  return pa;
}

/** TrafficSplit roots: verdict per rule and backend for every source that reaches the root or any backend. */
function splitVerdicts(splits: Record<ServiceKey, ReachSplit>, services: Services): void {
  for (const split of Object.values(splits)) {
    const root = services.byKey.get(split.root);
    if (!root) continue;
    root.info.ports.forEach((rp, r) => {
      if (split.port !== undefined && split.port !== rp.port) return;
      const slot = root.slots[r]!;
      const sources = new Set<IdentityKey>(slot.access?.keys() ?? []);
      const ruleAccess = split.rules.map((rule) => rule.backends.map((b): BackendAccess => {
        const backend = services.byKey.get(b.service);
        const i = backend ? backend.info.ports.findIndex((p) => p.port === rp.port && p.protocol === rp.protocol) : -1;
        const bySource = i >= 0 ? backend!.slots[i]!.access : undefined;
        for (const s of bySource?.keys() ?? []) sources.add(s);
        return { svc: backend?.info, port: i >= 0 ? backend!.info.ports[i]! : null, sources: bySource };
      }));
      for (const source of [...sources].sort(byString)) {
        const rules = split.rules.map((rule, n) => ruleVerdict(rule, ruleAccess[n]!, source));
        rootEntry(slot, source).split = { split: split.split, rules };
      }
    });
  }
}

export function buildReachability(mesh: Mesh, index: MeshIndex, mode: 'smi' | 'permissive'): Reachability {
  const services = servicesOf(mesh);
  const servicesByIdentity = new Map<IdentityKey, ServiceKey[]>();
  const served = new Map<IdentityKey, ServiceSlots[]>();
  for (const s of services.byKey.values()) {
    for (const id of s.info.identities) {
      push(servicesByIdentity, id, s.info.key);
      push(served, id, s);
    }
  }
  const splits = splitsOf(mesh);
  for (const root of Object.keys(splits)) if (services.record[root]) services.record[root].splitRoot = true;
  const result: Reachability = {
    mode, services: services.record, servicesByIdentity: toRecord(servicesByIdentity), grants: [], outbound: {}, inbound: {}, splits,
  };
  if (mode === 'permissive') return result;

  const grants = collectGrants(mesh, index);
  result.grants = grants;
  expandGrants(grants, served);
  splitVerdicts(splits, services);

  // Slots come in output order (services by key, then port): each list is built sorted.
  const outbound = new Map<IdentityKey, PortAccess[]>();
  const inbound = new Map<IdentityKey, InboundPort[]>();
  for (const slot of services.ranked) {
    if (slot.inbound) for (const [id, ip] of slot.inbound) push(inbound, id, ip);
    if (slot.access) {
      for (const [source, grantIds] of slot.access) {
        push(outbound, source, slot.outbound?.get(source) ?? { service: slot.service, port: slot.port, grants: grantIds });
      }
    }
    if (slot.outbound) for (const [source, pa] of slot.outbound) if (!slot.access?.has(source)) push(outbound, source, pa);
  }
  result.outbound = toRecord(outbound);
  result.inbound = toRecord(inbound);
  return result;
}
