/**
 * Delivery: whether the compiled configuration can carry an edge reachability allows, and to which pods.
 * `meshc check` (rules/reach), `meshc why` (query.ts) and the IR builder (src/envoy/translate/ir-builder) all
 * read these decisions from here, so that what check and why say is what compile does:
 *
 * - which pods a caller's traffic reaches (`servedBy`): a Service whose pods run as several identities, of which
 *   the caller's grants admit only some, gets a cluster of the admitted pods only, when every endpoint address can
 *   be attributed to the identity of its pod; otherwise the cluster holds every pod and the others refuse the
 *   caller (MESH0630);
 * - which ports a caller's outbound listener cannot carry (`undelivered`): a TCP Service port matched by port
 *   alone (no ClusterIP, no known endpoint address) on a port that other Services the caller reaches also use
 *   (MESH0631; compile reports it as MESH0858);
 * - which TCP Service ports take every connection to their port number (`catchAll`, MESH0632);
 * - which HTTP grants admit nothing at the pods because another Service reaches the same target port as TCP, so
 *   the pods' one inbound chain for it is TCP (`httpRefusedAt`, MESH0633; compile reports MESH0857/MESH0859).
 *
 * The outbound side is the Envoy sidecar's (`compile --target envoy`); proxyless gRPC clients have no TCP
 * chains, and their own limits are compile findings (MESH0855, MESH0863).
 */
import type { MeshIndex } from '../model/index-lookup.ts';
import type { Workload } from '../model/types.ts';
import { compareText as cmp } from '../core/compare.ts';
import { portProtocol } from '../model/port-protocol.ts';
import { endpointSetsByService, resolveAddresses, targetPortOn, type ResolvedAddress } from './endpoints.ts';
import type { IdentityKey, Reachability, ReachPort, ServiceKey } from './types.ts';
import { identityOf, workloadKey } from './workloads.ts';

/** The pods a caller's cluster for one Service port holds. */
export interface ServedBy {
  /** Identities whose pods are in the cluster, sorted. */
  identities: IdentityKey[];
  /** Identities of the Service's pods left out of this caller's cluster (they do not admit it), sorted. */
  leftOut: IdentityKey[];
  /** Identities in the cluster whose pods do not admit the caller: endpoints cannot be told apart (MESH0630). */
  denying: IdentityKey[];
}

/** A port the caller's outbound listener cannot carry. */
export interface Undelivered {
  kind: 'tcp-port-ambiguous';
  /** What else uses the port: 'HTTP services' or 'TCP service NS/NAME'. */
  other: string;
}

/** One outbound candidate of a caller: a Service port the compiled listener would carry for it. */
export interface Candidate {
  service: ServiceKey;
  port: number;
  tcp: boolean;
  blind: boolean;
}

const spKey = (service: ServiceKey, port: number) => `${service}|${port}`;

/** What callers with no blind TCP candidate get from `decide` (never written to). */
const NONE_UNDELIVERED: ReadonlyMap<string, Undelivered> = new Map();
const NO_CATCH_ALL: ReadonlySet<string> = new Set();
const NOT_REFUSED: ReadonlyMap<IdentityKey, string> = new Map();

export class Delivery {
  private readonly endpointSets;
  private readonly addressCache = new Map<string, ResolvedAddress[] | null>();
  private readonly undeliveredCache = new Map<IdentityKey, ReadonlyMap<string, Undelivered>>();
  private readonly catchAllCache = new Map<IdentityKey, ReadonlySet<string>>();
  private permissiveCandidates?: Candidate[];
  /** Each caller's candidates and each Service port's blindness: several rules and the IR builder ask for them again. */
  private readonly candidateCache = new Map<IdentityKey, Candidate[]>();
  /** The candidate of each Service port (null: not proxied): the same for every caller, made once. */
  private readonly candidateOfPort = new Map<ReachPort, Candidate | null>();
  private readonly refusedCache = new Map<string, ReadonlyMap<IdentityKey, string>>();
  private tcpChainCache?: Map<Workload, Map<number, string>>;
  /** Workloads by key, the first of each key (as the IR builder takes them). */
  private readonly workloadsByKey = new Map<string, Workload>();

  constructor(readonly reach: Reachability, readonly index: MeshIndex, readonly clusterDomain: string) {
    this.endpointSets = endpointSetsByService(index.mesh.endpoints);
    for (const w of index.mesh.workloads) if (!this.workloadsByKey.has(workloadKey(w))) this.workloadsByKey.set(workloadKey(w), w);
  }

  /** Endpoint addresses of a Service port with the identity of each pod, or null when unknown (cached). */
  addresses(service: ServiceKey, port: number): ResolvedAddress[] | null {
    const k = spKey(service, port);
    if (this.addressCache.has(k)) return this.addressCache.get(k)!;
    const rs = this.reach.services[service];
    const rp = rs?.ports.find((p) => p.port === port);
    let out: ResolvedAddress[] | null = null;
    if (rs && rp) {
      const workloads = rs.workloads.map((k) => this.workloadsByKey.get(k)!).filter((w) => w !== undefined);
      const sp = this.index.services.get(service)?.ports.find((p) => p.port === port);
      out = resolveAddresses(rp, sp, this.endpointSets.get(service), workloads);
    }
    this.addressCache.set(k, out);
    return out;
  }

  /**
   * Whose pods a caller admitted by `grantIds` (reachability grant ids) reaches on a Service port. Every identity
   * of the Service when the grants admit all of them (or in permissive mode); the admitted ones only when every
   * endpoint address is attributed to its pod's identity; else every identity, the others refusing the caller.
   */
  servedBy(service: ServiceKey, port: number, grantIds: number[]): ServedBy {
    const all = this.reach.services[service]?.identities ?? [];
    if (this.reach.mode === 'permissive' || all.length <= 1) return { identities: all, leftOut: [], denying: [] };
    const admitted = new Set(grantIds.filter((id) => this.grantTakesEffect(id, service, port)).map((id) => this.reach.grants[id].destination));
    const denied = all.filter((id) => !admitted.has(id));
    if (denied.length === 0 || denied.length === all.length) return { identities: all, leftOut: [], denying: [] };
    const addresses = this.addresses(service, port);
    if (addresses !== null && addresses.every((a) => a.identity !== null)) {
      return { identities: all.filter((id) => admitted.has(id)), leftOut: denied, denying: [] };
    }
    return { identities: all, leftOut: [], denying: denied };
  }

  /**
   * The identities behind a Service port whose pods' inbound chain for its target port is TCP although the port
   * is HTTP: another Service reaches that target port as TCP, and one chain serves a target port (TCP wins). HTTP
   * grants admit nothing there. Each with the TCP Service that decides it.
   */
  httpRefusedAt(service: ServiceKey, port: number): ReadonlyMap<IdentityKey, string> {
    const chains = this.tcpChains();
    if (chains.size === 0) return NOT_REFUSED; // no TCP Service port at all: every inbound chain is the port's own
    const k = spKey(service, port);
    const cached = this.refusedCache.get(k);
    if (cached) return cached;
    const out = new Map<IdentityKey, string>();
    const rs = this.reach.services[service];
    const rp = rs?.ports.find((p) => p.port === port);
    if (rs && rp && portProtocol(rp) !== 'tcp' && portProtocol(rp) !== 'none') {
      const sp = this.index.services.get(service)?.ports.find((p) => p.port === port);
      for (const wk of rs.workloads) {
        const w = this.workloadsByKey.get(wk);
        const byPort = w && chains.get(w);
        if (!byPort) continue;
        const tp = targetPortOn(rp, sp, w);
        const tcp = tp === null ? undefined : byPort.get(tp);
        if (tcp !== undefined && !out.has(identityOf(w))) out.set(identityOf(w), tcp);
      }
    }
    this.refusedCache.set(k, out);
    return out;
  }

  /** Whether a grant admits anything at its destination's pods on this Service port (an HTTP grant needs an HTTP chain). */
  grantTakesEffect(grantId: number, service: ServiceKey, port: number): boolean {
    const g = this.reach.grants[grantId];
    return g.protocol !== 'http' || !this.httpRefusedAt(service, port).has(g.destination);
  }

  /** Workload (the first of its key) → target port → the first TCP Service port (`ns/svc:port`) delivering to it. */
  private tcpChains(): Map<Workload, Map<number, string>> {
    if (this.tcpChainCache) return this.tcpChainCache;
    const out = new Map<Workload, Map<number, string>>();
    for (const rs of Object.values(this.reach.services)) {
      const svc = this.index.services.get(rs.key);
      for (const rp of rs.ports) {
        if (portProtocol(rp) !== 'tcp') continue;
        const sp = svc?.ports.find((p) => p.port === rp.port);
        for (const wk of rs.workloads) {
          const w = this.workloadsByKey.get(wk);
          const tp = w ? targetPortOn(rp, sp, w) : null;
          if (tp === null) continue;
          let byPort = out.get(w!);
          if (!byPort) out.set(w!, (byPort = new Map()));
          if (!byPort.has(tp)) byPort.set(tp, `${rs.key}:${rp.port}`);
        }
      }
    }
    return (this.tcpChainCache = out);
  }

  /** Whether a TCP Service port is matched by its port number alone: no ClusterIP, no known endpoint address. */
  blind(service: ServiceKey, rp: ReachPort): boolean {
    if (portProtocol(rp) !== 'tcp') return false;
    const svc = this.index.services.get(service);
    if (svc?.clusterIP && svc.clusterIP !== 'None') return false;
    if (svc?.clusterIP === 'None') return (this.addresses(service, rp.port) ?? []).length === 0;
    return true;
  }

  /** Why the caller's outbound listener cannot carry this Service port, or undefined when it can. */
  undelivered(caller: IdentityKey, service: ServiceKey, port: number): Undelivered | undefined {
    const decided = this.decide(caller);
    return decided.size === 0 ? undefined : decided.get(spKey(service, port));
  }

  /** Whether the caller's outbound listener sends every connection to this port number, to any address, to this Service. */
  catchAll(caller: IdentityKey, service: ServiceKey, port: number): boolean {
    this.decide(caller);
    const set = this.catchAllCache.get(caller)!;
    return set.size > 0 && set.has(spKey(service, port));
  }

  /** The Service ports the caller's outbound listener would carry (before any is left out). */
  candidates(caller: IdentityKey): readonly Candidate[] {
    const make = (service: ServiceKey, rp: ReachPort) => this.candidateOf(service, rp);
    if (this.reach.mode === 'permissive') {
      if (this.permissiveCandidates) return this.permissiveCandidates;
      const out: Candidate[] = [];
      for (const rs of Object.values(this.reach.services)) {
        if (this.outsideMesh(rs.key)) continue;
        for (const rp of rs.ports) {
          const c = make(rs.key, rp);
          if (c) out.push(c);
        }
      }
      return (this.permissiveCandidates = out);
    }
    const cached = this.candidateCache.get(caller);
    if (cached) return cached;
    const out: Candidate[] = [];
    for (const pa of this.reach.outbound[caller] ?? []) {
      const ports = this.reach.services[pa.service]?.ports;
      if (!ports) continue;
      for (const rp of ports) {
        if (rp.port !== pa.port) continue;
        const c = this.candidateOf(pa.service, rp);
        if (c) out.push(c);
        break; // the first port of that number, as the compiled listener takes it
      }
    }
    this.candidateCache.set(caller, out);
    return out;
  }

  /** The candidate of one Service port (null: not proxied), the same for every caller: made once. */
  private candidateOf(service: ServiceKey, rp: ReachPort): Candidate | null {
    let c = this.candidateOfPort.get(rp);
    if (c === undefined) {
      const proto = portProtocol(rp);
      c = proto === 'none' ? null : { service, port: rp.port, tcp: proto === 'tcp', blind: this.blind(service, rp) };
      this.candidateOfPort.set(rp, c);
    }
    return c;
  }

  /**
   * An ExternalName Service for a host outside the cluster, which permissive mode leaves out of every outbound
   * listener (MESH0867): it has no sidecar to answer mTLS, and meshc compiles no egress.
   */
  outsideMesh(service: ServiceKey): boolean {
    const external = this.index.services.get(service)?.externalName;
    if (external === undefined || this.reach.splits[service]) return false;
    return !external.toLowerCase().replace(/\.$/, '').endsWith(`.svc.${this.clusterDomain}`.toLowerCase());
  }

  /** Groups the caller's candidates by port: a blind TCP port beside any other Service on that port is left out. */
  private decide(caller: IdentityKey): ReadonlyMap<string, Undelivered> {
    const cached = this.undeliveredCache.get(caller);
    if (cached) return cached;
    const candidates = this.candidates(caller);
    if (!candidates.some((c) => c.blind)) {
      // Nothing matched by port alone: nothing left out, no catch-all (the common case; see below).
      this.undeliveredCache.set(caller, NONE_UNDELIVERED);
      this.catchAllCache.set(caller, NO_CATCH_ALL);
      return NONE_UNDELIVERED;
    }
    const byPort = new Map<number, Candidate[]>();
    for (const c of candidates) {
      const list = byPort.get(c.port);
      if (list) list.push(c);
      else byPort.set(c.port, [c]);
    }
    const out = new Map<string, Undelivered>();
    const catchAll = new Set<string>();
    for (const list of byPort.values()) {
      list.sort((a, b) => cmp(a.service, b.service));
      const blind = list.filter((c) => c.blind);
      const http = list.some((c) => !c.tcp);
      // One blind TCP port and no HTTP: its chain matches the port alone and takes whatever the chains with
      // destination addresses (ClusterIPs, pod IPs) of other TCP Services on that port do not.
      if (blind.length === 1 && !http) catchAll.add(spKey(blind[0].service, blind[0].port));
      if (blind.length === 0 || (blind.length === 1 && !http)) continue;
      for (const c of blind) {
        const other = http ? 'HTTP services' : `TCP service ${list.find((o) => o !== c && o.tcp)!.service}`;
        out.set(spKey(c.service, c.port), { kind: 'tcp-port-ambiguous', other });
      }
    }
    this.undeliveredCache.set(caller, out);
    this.catchAllCache.set(caller, catchAll);
    return out;
  }
}
