/**
 * The state one `buildMeshIR` run shares between its parts (inbound, outbound,
 * split targets, clusters, findings): the inputs, lookups built once from them,
 * the clusters created so far and the findings collected so far. Everything
 * else in ir-builder/ is a function of this context.
 */
import type { ObjectMeta, Service, Workload } from '../../../model/types.ts';
import type { MeshIndex } from '../../../model/index-lookup.ts';
import type { Path } from '../../../core/types.ts';
import type { Grant, Reachability, ServiceKey } from '../../../reach/types.ts';
import { Delivery } from '../../../reach/delivery.ts';
import type { ClusterIR, TranslateOptions } from '../ir.ts';
import { splitKey } from '../names.ts';
import { portProtocol, type PortProtocol } from '../protocol.ts';

export interface Reporter {
  report(code: string, args: Record<string, unknown>, at?: { meta: ObjectMeta; path?: Path }): void;
}

/** A port protocol that compiles to something (`none` ports are skipped). */
export type Proto = Exclude<PortProtocol, 'none'>;

export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** `namespace/Kind/name`: a workload's key in reachability and in findings. */
export const wKey = (w: Workload) => `${w.meta.namespace}/${w.workloadKind}/${w.meta.name}`;

/** A report location, or none when the object is not in the input. */
export const at = (meta: ObjectMeta | undefined, path?: Path) => (meta ? { meta, path } : undefined);

export const servicePortOf = (svc: Service | undefined, port: number) => svc?.ports.find((p) => p.port === port);

/** The proxies affected by one finding, reported once after the walk. */
export class Tally<T> {
  readonly items = new Map<string, { value: T; nodes: Set<string> }>();
  constructor(private readonly current: () => string) {}
  add(key: string, value: T): void {
    const e = this.items.get(key);
    if (e) e.nodes.add(this.current());
    else this.items.set(key, { value, nodes: new Set([this.current()]) });
  }
  sorted(): { key: string; value: T; nodes: number }[] {
    return [...this.items.entries()].sort(([a], [b]) => cmp(a, b)).map(([key, e]) => ({ key, value: e.value, nodes: e.nodes.size }));
  }
}

/** Findings collected during the walk over the proxies, reported after it (findings.ts) so each names its proxy count. */
export class Findings {
  readonly grpcNoEndpoints: Tally<{ service: ServiceKey; port: number }>;
  readonly grpcTcp: Tally<{ service: ServiceKey; port: number }>;
  readonly dropped: Tally<{ split: string; backend: string; reason: string }>;
  readonly ambiguous: Tally<{ service: ServiceKey; port: number; other: string }>;
  readonly outsideMesh: Tally<{ service: ServiceKey; host: string }>;
  /** Gateway API RequestMirrors left out of a client's routes (MESH1213). */
  readonly mirrorLeftOut: Tally<{ split: string; route: string; rule: number; filter: number; mirror: string; reason: string }>;
  /** Gateway API route features proxyless gRPC clients do not honour (MESH1214). */
  readonly grpcPolicyDropped: Tally<{ split: string; route: string; rule: number; what: string }>;
  /** HTTP rules on a port compiled as TCP, by `grant|service|port`. */
  readonly httpOnTcp = new Map<string, { g: Grant; service: ServiceKey; port: number; why: string }>();
  /** TrafficSplits whose weight overflow (MESH0861) is already reported: it is reported when found, once. */
  readonly overflowReported = new Set<string>();

  constructor(current: () => string) {
    this.grpcNoEndpoints = new Tally(current);
    this.grpcTcp = new Tally(current);
    this.dropped = new Tally(current);
    this.ambiguous = new Tally(current);
    this.outsideMesh = new Tally(current);
    this.mirrorLeftOut = new Tally(current);
    this.grpcPolicyDropped = new Tally(current);
  }
}

export class BuildContext {
  readonly mesh: MeshIndex['mesh'];
  readonly permissive: boolean;
  /** Proxyless gRPC clients: no inbound side, no TCP, endpoints must be IP addresses. */
  readonly grpc: boolean;
  /** Workloads by `wKey`, first of each key. */
  readonly workloadsByKey = new Map<string, Workload>();
  /** The Services (reachability keys) that select each workload (`wKey`). */
  readonly servicesByWorkload = new Map<string, ServiceKey[]>();
  /** Which pods each caller's clusters hold and which ports its listener cannot carry (shared with check and why). */
  readonly delivery: Delivery;
  /** Clusters created so far, shared by name between proxies. */
  readonly clusters = new Map<string, ClusterIR>();
  /** The id of the proxy being built: findings count the proxies they affect. */
  currentNode = '';
  readonly findings = new Findings(() => this.currentNode);

  constructor(
    readonly index: MeshIndex,
    readonly reach: Reachability,
    readonly options: TranslateOptions,
    readonly reporter: Reporter,
  ) {
    this.mesh = index.mesh;
    this.permissive = reach.mode === 'permissive';
    this.grpc = options.target === 'grpc';
    for (const w of this.mesh.workloads) if (!this.workloadsByKey.has(wKey(w))) this.workloadsByKey.set(wKey(w), w);
    for (const rs of Object.values(reach.services)) {
      for (const wk of rs.workloads) {
        const list = this.servicesByWorkload.get(wk);
        if (list) list.push(rs.key);
        else this.servicesByWorkload.set(wk, [rs.key]);
      }
    }
    this.delivery = new Delivery(reach, index, options.clusterDomain);
  }

  /** The compiled protocol of a Service port, or null (no such port, or a port that compiles to nothing). */
  protoOf(svc: ServiceKey, port: number): Proto | null {
    const p = this.reach.services[svc]?.ports.find((x) => x.port === port);
    if (!p) return null;
    const proto = portProtocol(p);
    return proto === 'none' ? null : proto;
  }

  modelService(key: ServiceKey): Service | undefined {
    return this.index.services.get(key);
  }

  /** The metadata of an object named by its `namespace/name` key, to place a finding on it. */
  metaOfKey(kind: 'Service' | 'TrafficSplit' | 'TrafficTarget', key: string): ObjectMeta | undefined {
    if (kind === 'Service') return this.index.services.get(key)?.meta;
    const [ns, name] = splitKey(key);
    const list = kind === 'TrafficSplit' ? this.mesh.trafficSplits : this.mesh.trafficTargets;
    return list.find((o) => o.meta.namespace === ns && o.meta.name === name)?.meta;
  }
}
