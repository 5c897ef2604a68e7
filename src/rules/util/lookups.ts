/**
 * Indexes the rules share on top of MeshIndex, built lazily once per mesh:
 * name tables per kind (for "exists elsewhere" hints and suggestions) and a
 * label index that matches Service selectors to workloads without scanning
 * every workload for every Service.
 */
import type { MeshIndex } from '../../model/index-lookup.ts';
import { selectorMatches } from '../../model/index-lookup.ts';
import type { HTTPRouteGroup, Mesh, Service, Workload } from '../../model/types.ts';

type Named = { meta: { kind?: string; namespace: string; name: string } };

/** The SMI and Kubernetes kinds rules refer to by name. */
const COLLECTIONS: Record<string, (m: Mesh) => Named[]> = {
  Service: (m) => m.services,
  ServiceAccount: (m) => m.serviceAccounts,
  HTTPRouteGroup: (m) => m.httpRouteGroups,
  // Includes routes synthesised from v1alpha1/v1alpha2 destination.port: the upgraded rules name them.
  TCPRoute: (m) => m.tcpRoutes,
  UDPRoute: (m) => m.udpRoutes,
  IdentityBinding: (m) => m.identityBindings,
  TrafficSplit: (m) => m.trafficSplits,
  UpstreamTrafficSetting: (m) => m.upstreamTrafficSettings,
  IngressBackend: (m) => m.ingressBackends,
  Egress: (m) => m.egresses,
  Retry: (m) => m.retries,
  MeshConfig: (m) => m.meshConfigs,
};

const SEP = '\u0000';
const EMPTY: ReadonlySet<string> = new Set();

interface LabelIndex {
  all: Workload[];
  byPair: Map<string, Workload[]>;
}

export class Lookups {
  private byKind = new Map<string, Map<string, Set<string>>>();
  private labels?: Map<string, LabelIndex>;
  private matchNameSets = new WeakMap<HTTPRouteGroup, Set<string>>();
  private portSets = new WeakMap<Service, Set<string>>();
  private selections = new Map<Service, readonly Workload[]>();

  constructor(readonly mesh: Mesh, readonly index: MeshIndex) {}

  /** namespace → names of that kind (declared or rejected by validation). */
  private table(kind: string): Map<string, Set<string>> {
    let t = this.byKind.get(kind);
    if (t) return t;
    t = new Map();
    const add = (namespace: string, name: string) => {
      let names = t!.get(namespace);
      if (!names) t!.set(namespace, (names = new Set()));
      names.add(name);
    };
    for (const o of COLLECTIONS[kind]?.(this.mesh) ?? []) add(o.meta.namespace, o.meta.name);
    for (const r of this.mesh.rejected) if (r.ref.kind === kind) add(r.ref.namespace, r.ref.name);
    this.byKind.set(kind, t);
    return t;
  }

  /** True when the input holds an object of this kind (modelled, or present but rejected by validation). */
  exists(kind: string, namespace: string, name: string): boolean {
    return this.table(kind).get(namespace)?.has(name) ?? false;
  }

  /** True when the input holds no object of that kind at all. */
  noneOf(kind: string): boolean {
    return this.table(kind).size === 0;
  }

  /** Names of that kind in a namespace (for "did you mean"). */
  names(kind: string, namespace: string): ReadonlySet<string> {
    return this.table(kind).get(namespace) ?? EMPTY;
  }

  /** Namespaces other than `except` holding an object of this kind and name, sorted. */
  otherNamespaces(kind: string, name: string, except: string): string[] {
    const found: string[] = [];
    for (const [namespace, names] of this.table(kind)) if (namespace !== except && names.has(name)) found.push(namespace);
    return found.sort();
  }

  private labelIndex(): Map<string, LabelIndex> {
    if (this.labels) return this.labels;
    const labels = new Map<string, LabelIndex>();
    for (const w of this.mesh.workloads) {
      let entry = labels.get(w.meta.namespace);
      if (!entry) labels.set(w.meta.namespace, (entry = { all: [], byPair: new Map() }));
      entry.all.push(w);
      for (const [k, v] of Object.entries(w.podLabels)) {
        const pair = `${k}${SEP}${v}`;
        const list = entry.byPair.get(pair);
        if (list) list.push(w);
        else entry.byPair.set(pair, [w]);
      }
    }
    this.labels = labels;
    return labels;
  }

  /** Workloads in a namespace. */
  workloadsIn(namespace: string): readonly Workload[] {
    return this.labelIndex().get(namespace)?.all ?? [];
  }

  /**
   * Workloads whose pod labels match a Service selector, in input order.
   * Kubernetes semantics: every selector pair must be present with an equal
   * value; an empty or absent selector selects nothing.
   */
  workloadsSelectedBy(namespace: string, selector: Record<string, string> | null): Workload[] {
    if (!selector) return [];
    const pairs = Object.entries(selector);
    if (pairs.length === 0) return [];
    const entry = this.labelIndex().get(namespace);
    if (!entry) return [];
    let smallest: Workload[] | undefined;
    for (const [k, v] of pairs) {
      const list = entry.byPair.get(`${k}${SEP}${v}`);
      if (!list) return [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return smallest!.filter((w) => selectorMatches(selector, w.podLabels));
  }

  /** The workloads a Service selects (workloadsSelectedBy), once per Service: several rules ask. Read only. */
  workloadsOf(service: Service): readonly Workload[] {
    let selected = this.selections.get(service);
    if (!selected) this.selections.set(service, (selected = this.workloadsSelectedBy(service.meta.namespace, service.selector)));
    return selected;
  }

  /** Match names of an HTTPRouteGroup. */
  matchNames(group: HTTPRouteGroup): Set<string> {
    let names = this.matchNameSets.get(group);
    if (!names) this.matchNameSets.set(group, (names = new Set(group.matches.map((m) => m.name))));
    return names;
  }

  /** A Service's ports as `port/PROTOCOL` keys. */
  servicePorts(service: Service): Set<string> {
    let ports = this.portSets.get(service);
    if (!ports) this.portSets.set(service, (ports = new Set(service.ports.map((p) => portKey(p.port, p.protocol)))));
    return ports;
  }
}

export const portKey = (port: number, protocol: string) => `${port}/${protocol}`;

const cache = new WeakMap<Mesh, Lookups>();

/** The shared lookups of a mesh (built on first use). */
export function lookups(mesh: Mesh, index: MeshIndex): Lookups {
  let l = cache.get(mesh);
  if (!l) cache.set(mesh, (l = new Lookups(mesh, index)));
  return l;
}
