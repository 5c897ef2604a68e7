/**
 * Answers "may SOURCE reach SERVICE[:PORT] (with this request)?" over a
 * computed Reachability, with the chain of resources that decided it.
 * Used by `meshc why` and `meshc test`. Each question costs
 * O(grants of the source to that service + split backends), never a scan of the mesh.
 */
import { keyOf } from '../core/types.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { TrafficTarget } from '../model/types.ts';
import { describeRequest, matchMismatch, type HttpRequest } from './request.ts';
import { carriesHttp, tcpReason } from '../model/port-protocol.ts';
import { nearMatches } from '../core/suggest.ts';
import { identityKeyProblem, looksLikeWildcard } from './identity-name.ts';
import { workloadKey } from './workloads.ts';
import { Delivery } from './delivery.ts';
import { splitGoverns, type Grant, type IdentityKey, type PortAccess, type Reachability, type ReachPort, type ServiceKey } from './types.ts';
import { splitAnswer } from './query-split.ts';
import { grpcDelivered } from './query-grpc.ts';
import type { Target } from '../envoy/translate/ir.ts';
import { deniedBy, nearNamesHint, step, type QueryProblem, type SplitStep, type Verdict, type ViaStep, type WhyAnswer, type WhyQuery, type WhyResult } from './query-answer.ts';

export { deniedBy, MAX_LISTED, nearNamesHint, pct, step } from './query-answer.ts';
export type { Denial, DeliveryNote, QueryProblem, QueryProblemKind, SplitStep, Verdict, ViaStep, WhyAnswer, WhyQuery, WhyResult } from './query-answer.ts';

/** Suggestions for unknown 'namespace/name' keys also compare the names alone (a query may leave the namespace out or get it wrong). */
const NEAR_NAMES = { limit: 5, part: (key: string) => key.slice(key.indexOf('/') + 1) };

/** Shared lookups for many questions over one mesh. */
export class ReachQuery {
  private readonly outboundMaps = new Map<IdentityKey, Map<string, PortAccess>>();
  private identitiesCache?: Set<IdentityKey>;
  /** What compile delivers: the same decisions the IR builder reads. */
  readonly delivery: Delivery;

  /** `target`: whose configuration the answers are for, Envoy sidecars' or proxyless gRPC clients' (query-grpc.ts). */
  constructor(readonly reach: Reachability, readonly index: MeshIndex, clusterDomain = 'cluster.local', readonly target: Target = 'envoy') {
    this.delivery = new Delivery(reach, index, clusterDomain);
  }

  /** Every identity the mesh names: workloads' service accounts, ServiceAccount objects, TrafficTarget subjects. */
  identities(): Set<IdentityKey> {
    if (this.identitiesCache) return this.identitiesCache;
    const ids = new Set<IdentityKey>();
    for (const k of this.index.workloadsByIdentity.keys()) ids.add(k);
    for (const k of this.index.serviceAccounts.keys()) ids.add(k);
    for (const tt of this.index.mesh.trafficTargets) {
      ids.add(keyOf(tt.destination));
      for (const s of tt.sources) ids.add(keyOf(s));
    }
    return (this.identitiesCache = ids);
  }

  /** What is wrong with a source identity 'namespace/serviceaccount' (unknown, or no identity at all), if anything. */
  fromProblem(from: string): QueryProblem | undefined {
    const bad = identityKeyProblem(from);
    if (bad) {
      // '*' and the like: a TrafficTarget may even list it, but no caller can run as it (smi#18).
      const what = bad.field === 'name' ? 'ServiceAccount name' : 'namespace';
      const wildcard = looksLikeWildcard(bad.value);
      const note = wildcard ? '; SMI has no wildcard sources (smi-spec#51): ask about one ServiceAccount' : '';
      const value = JSON.stringify(bad.value);
      return { field: 'from', kind: 'invalid-identity', from, value, what, fault: bad.problem, wildcard, message: `'${from}' names no identity: ${value} is no ${what} (${bad.problem})${note}` };
    }
    if (!this.identities().has(from)) {
      // Never suggest a name that would be refused ('shop/*' for 'shop/x').
      const near = nearMatches(from, [...this.identities()].filter((k) => !identityKeyProblem(k)), NEAR_NAMES);
      return { field: 'from', kind: 'unknown-identity', from, near, message: `unknown identity '${from}' (no workload, ServiceAccount or TrafficTarget names it)${nearNamesHint(near)}` };
    }
    return undefined;
  }

  /** Validates names; returns an error with near matches for unknown ones. */
  resolve(q: WhyQuery): { ok: true; ports: ReachPort[] } | { ok: false; error: string; problems: QueryProblem[] } {
    const problems: QueryProblem[] = [];
    const failed = () => ({ ok: false as const, error: problems.map((p) => p.message).join('\n'), problems });
    const fromProblem = this.fromProblem(q.from);
    if (fromProblem) problems.push(fromProblem);
    const svc = this.reach.services[q.to];
    if (!svc) {
      const near = nearMatches(q.to, Object.keys(this.reach.services), NEAR_NAMES);
      problems.push({ field: 'to', kind: 'unknown-service', to: q.to, near, message: `unknown service '${q.to}'${nearNamesHint(near)}` });
      return failed();
    }
    if (q.port !== undefined && !svc.ports.some((p) => p.port === q.port)) {
      const ports = svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none';
      problems.push({ field: 'port', kind: 'unknown-port', to: q.to, port: q.port, ports, message: `service '${q.to}' has no port ${q.port}; its ports: ${ports}` });
    }
    if (svc.ports.length === 0) problems.push({ field: 'to', kind: 'no-ports', to: q.to, message: `service '${q.to}' declares no ports` });
    if (problems.length) return failed();
    return { ok: true, ports: q.port === undefined ? svc.ports : svc.ports.filter((p) => p.port === q.port) };
  }

  /** The answer; without a port, the first port (in Service order) that admits the traffic, else the first port. */
  why(q: WhyQuery): WhyResult {
    const r = this.resolve(q);
    if (!r.ok) return r;
    let first: WhyAnswer | undefined;
    for (const port of r.ports) {
      const a = this.delivered(q, port, this.answerFor(q, port));
      if (a.allowed) return { ok: true, answer: a };
      first ??= a;
    }
    return { ok: true, answer: first! };
  }

  private access(source: IdentityKey, service: ServiceKey, port: number): PortAccess | undefined {
    let m = this.outboundMaps.get(source);
    if (!m) {
      m = new Map((this.reach.outbound[source] ?? []).map((pa) => [`${pa.service}|${pa.port}`, pa]));
      this.outboundMaps.set(source, m);
    }
    return m.get(`${service}|${port}`);
  }

  private answerFor(q: WhyQuery, port: ReachPort): WhyAnswer {
    const split = this.reach.splits[q.to];
    if (splitGoverns(split, port.port)) {
      const a = splitAnswer(this, q, port, split);
      if (a) return a;
    }
    const v = this.direct(q.from, q.to, port, q.request);
    return { allowed: v.allowed, reason: v.reason, ...(v.denial ? { denial: v.denial } : {}), ...(v.delivery ? { delivery: v.delivery } : {}), port: port.port, via: v.via };
  }

  /**
   * The answer, corrected by what the caller's outbound listener can carry (MESH0631) or catches (MESH0632); for
   * proxyless gRPC clients, by what their configuration holds (MESH0855, MESH0863).
   */
  private delivered(q: WhyQuery, port: ReachPort, a: WhyAnswer): WhyAnswer {
    const p = `${q.to}:${port.port}`;
    // Before the verdict: an ExternalName Service has no pods, and this says more than 'no workload serves it'.
    if (this.reach.mode === 'permissive' && this.delivery.outsideMesh(q.to)) {
      const note = `${q.to} is an ExternalName Service for ${this.index.services.get(q.to)!.externalName}, outside the mesh: no proxy forwards connections to it (no sidecar answers mTLS there, and meshc compiles no egress)`;
      return { ...a, allowed: false, denial: 'not-delivered', reason: `${q.from} → ${p}: ${note} (MESH0634)`, delivery: { code: 'MESH0634', note } };
    }
    if (this.target === 'grpc') return grpcDelivered(this.delivery, q, port, a);
    if (!a.allowed) return a;
    const u = this.delivery.undelivered(q.from, q.to, port.port);
    if (u) {
      const note = `${p} is TCP with no known ClusterIP or endpoint address, and port ${port.port} also carries ${u.other} for ${q.from}: its outbound listener cannot tell them apart, so compile leaves ${p} out of it`;
      return { ...a, allowed: false, denial: 'not-delivered', reason: `${a.reason}; but ${note} (MESH0631)`, delivery: { code: 'MESH0631', note } };
    }
    if (this.delivery.catchAll(q.from, q.to, port.port)) {
      const note = `${p} is TCP with no known ClusterIP or endpoint address: ${q.from}'s outbound listener matches it by port alone, so every connection it opens to port ${port.port}, to any address, goes to ${q.to}`;
      return { ...a, reason: `${a.reason}; note: ${note} (MESH0632)`, delivery: { code: 'MESH0632', note } };
    }
    return a;
  }

  /** Why a backend that takes traffic denies the caller (excluded backends never get here: they have identities). */
  /** @internal */
  deniedClause(d: SplitStep, from: IdentityKey): string {
    const ids = this.reach.services[d.backend]?.identities ?? [];
    const owner = ids.length === 1 ? `whose identity ${ids[0]}` : `whose identities (${ids.join(', ')})`;
    return `${owner} ${ids.length === 1 ? 'does' : 'do'} not allow ${from}${d.denial === 'request-not-admitted' ? ' for this request' : ''}`;
  }

  /** @internal */
  serviceStep(service: ServiceKey, port: ReachPort, note: string): ViaStep {
    const svc = this.index.services.get(service)!;
    const i = svc.ports.findIndex((p) => p.port === port.port && p.protocol === port.protocol);
    return step(svc.meta, i >= 0 ? ['spec', 'ports', i] : [], `${service}:${port.port}/${port.protocol}: ${note}`);
  }

  /** Access to a service's own workloads (no split). */
  direct(from: IdentityKey, service: ServiceKey, port: ReachPort, req: HttpRequest | undefined): Verdict {
    const svc = this.reach.services[service];
    const portName = `${service}:${port.port}`;
    if (svc.identities.length === 0) {
      return deniedBy('no-workloads', `no workload serves ${service}: its selector matches no pod`, [this.serviceStep(service, port, 'selects no workload')]);
    }
    const ran = `runs as ${svc.identities.join(', ')}`;
    if (this.reach.mode === 'permissive') {
      return {
        allowed: true, reason: `permissive mode: every identity may reach every service, so ${from} may reach ${portName}`,
        via: [this.serviceStep(service, port, ran), ...this.workloadSteps(service, svc.identities[0])],
      };
    }
    const grantIds = this.access(from, service, port.port)?.grants ?? [];
    const grants = grantIds.map((id) => this.reach.grants[id]);
    const mismatches: { grant: Grant; why: string[] }[] = [];
    // The first grant admitting the request decides the explanation; every admitting grant counts for whose pods admit it.
    let first: { g: Grant; matchIndex: number | undefined } | undefined;
    // An HTTP grant whose destination's pods serve the port through a TCP chain (MESH0633).
    let refused: { g: Grant; matchIndex: number } | undefined;
    const admitting = new Set<IdentityKey>();
    for (const g of grants) {
      if (g.protocol !== 'http') {
        if (req && port.protocol === 'UDP') continue;
        first ??= { g, matchIndex: undefined };
        admitting.add(g.destination);
        continue;
      }
      const why: string[] = [];
      const hit = (g.http ?? []).find((m) => matchMismatch(m, req) === null);
      if (hit && !this.delivery.grantTakesEffect(g.id, service, port.port)) {
        refused ??= { g, matchIndex: hit.index };
        continue;
      }
      if (hit) {
        first ??= { g, matchIndex: hit.index };
        admitting.add(g.destination);
        continue;
      }
      for (const m of g.http ?? []) why.push(`match ${m.name}: ${matchMismatch(m, req)}`);
      mismatches.push({ grant: g, why });
    }
    if (first) return this.servedVerdict(from, service, port, grantIds, admitting, this.allowedBy(from, service, port, first.g, first.matchIndex, svc.identities), req);
    if (refused && mismatches.length === 0) return this.refusedAtTcpChain(from, service, port, refused.g, refused.matchIndex, svc.identities);
    const svcStep = this.serviceStep(service, port, ran);
    if (mismatches.length > 0) {
      const via: ViaStep[] = [];
      for (const { grant } of mismatches) via.push(...this.grantSteps(grant, from, undefined));
      via.push(svcStep);
      const detail = mismatches.map(({ grant, why }) => `TrafficTarget ${grant.trafficTarget} admits only routes of ${keyOf(grant.route)} (${why.join('; ')})`).join('; ');
      return deniedBy('request-not-admitted', `no route admitted for ${from} on ${portName} matches ${describeRequest(req)}: ${detail}`, via);
    }
    // Denied: explain with the TrafficTargets that name the destination identities.
    const listing: TrafficTarget[] = [];
    for (const id of svc.identities) {
      for (const tt of this.index.targetsByDestination.get(id) ?? []) {
        if (tt.sources.some((s) => keyOf(s) === from && s.kind === 'ServiceAccount')) listing.push(tt);
      }
    }
    if (listing.length > 0) {
      const via = listing.map((tt) => step(tt.meta, ['spec', 'rules'], `lists ${from} as a source`));
      via.push(svcStep);
      const names = `${listing.map((tt) => `TrafficTarget ${keyOf(tt.meta)}`).join(', ')} ${listing.length === 1 ? 'lists' : 'list'} ${from}`;
      // HTTP rules cannot apply on a port compiled as plain TCP: say so, with the fix (MESH0607 in check).
      if (port.protocol === 'TCP' && !carriesHttp(port) && listing.some((tt) => tt.rules.some((r) => r.kind === 'HTTPRouteGroup'))) {
        return deniedBy(
          'http-rule-on-tcp-port',
          `${names}, but ${listing.length === 1 ? 'its' : 'their'} HTTPRouteGroup rules cannot apply to port ${port.port} of ${service}, which is plain TCP by ${tcpReason(port)} (no HTTP request can be inspected there); no TCPRoute rule admits it`,
          via,
        );
      }
      return deniedBy('no-rule-for-port', `${names}, but no rule admits ${port.protocol} port ${port.port} of ${service}`, via);
    }
    const count = svc.identities.reduce((n, id) => n + (this.index.targetsByDestination.get(id)?.length ?? 0), 0);
    return deniedBy(
      'not-a-source',
      `no TrafficTarget with destination ${svc.identities.join(' or ')} lists ${from} as a source (SMI denies by default; ${count} TrafficTarget(s) name that destination)`,
      [svcStep, ...this.workloadSteps(service, svc.identities[0])],
    );
  }

  private allowedBy(from: IdentityKey, service: ServiceKey, port: ReachPort, g: Grant, matchIndex: number | undefined, identities: IdentityKey[]): Verdict {
    const via = [...this.grantSteps(g, from, matchIndex), this.serviceStep(service, port, `runs as ${identities.join(', ')}`), ...this.workloadSteps(service, g.destination)];
    const route = matchIndex === undefined
      ? `${g.route.kind} ${keyOf(g.route)}${g.ports === 'all' ? ' (all ports)' : ` (ports ${(g.ports as number[]).join(', ')})`}`
      : `HTTPRouteGroup ${keyOf(g.route)} match ${(g.http ?? []).find((m) => m.index === matchIndex)!.name}`;
    const reason = `TrafficTarget ${g.trafficTarget} allows ${from} to reach ${service}:${port.port} (identity ${g.destination}) through ${route}`;
    return { allowed: true, reason, via };
  }

  /** HTTP rules admit the caller, but the destination's pods serve the port through a TCP chain (MESH0633): denied. */
  private refusedAtTcpChain(from: IdentityKey, service: ServiceKey, port: ReachPort, g: Grant, matchIndex: number, identities: IdentityKey[]): Verdict {
    const v = this.allowedBy(from, service, port, g, matchIndex, identities);
    const tcp = this.delivery.httpRefusedAt(service, port.port).get(g.destination)!;
    const note = `the pods running as ${g.destination} serve the target port of ${service}:${port.port} through one TCP chain, since Service port ${tcp} reaches the same target port as TCP: HTTP rules admit nothing there`;
    return { allowed: false, denial: 'http-rule-on-tcp-port', via: v.via, reason: `${v.reason}; but ${note} (MESH0633)`, delivery: { code: 'MESH0633', note } };
  }

  /**
   * An allowed verdict against the pods the caller's traffic reaches (src/reach/delivery.ts, as compile builds its
   * cluster): allowed when all of them admit it, denied when pods of another identity are among them (MESH0630).
   */
  private servedVerdict(from: IdentityKey, service: ServiceKey, port: ReachPort, grantIds: number[], admitting: Set<IdentityKey>, v: Verdict, req: HttpRequest | undefined): Verdict {
    const all = this.reach.services[service].identities;
    if (all.length <= 1) return v;
    const served = this.delivery.servedBy(service, port.port, grantIds);
    const refusing = served.identities.filter((id) => !admitting.has(id));
    const list = (ids: IdentityKey[]) => ids.join(', ');
    if (refusing.length === 0) {
      if (served.leftOut.length === 0) return v;
      return { ...v, reason: `${v.reason}; only the pods running as ${list(served.identities)} receive this traffic (its cluster holds only their endpoints; the pods running as ${list(served.leftOut)} do not admit ${from})` };
    }
    const unknown = served.denying.length > 0;
    const why = unknown
      ? `their endpoints cannot be told apart (no Endpoints/EndpointSlices naming each address's pod), so part of this traffic reaches pods running as ${list(refusing)}, which do not admit ${from}`
      : `pods running as ${list(refusing)} serve it too (they admit other traffic of ${from}) but do not admit ${describeRequest(req)}`;
    const note = `${service}:${port.port} is served by pods running as ${list(all)}; ${why}`;
    return {
      allowed: false, denial: 'pods-deny-caller', via: v.via,
      reason: `${v.reason}; but ${note}${unknown ? ' (MESH0630)' : ''}`,
      ...(unknown ? { delivery: { code: 'MESH0630' as const, note } } : {}),
    };
  }

  private grantSteps(g: Grant, from: IdentityKey, matchIndex: number | undefined): ViaStep[] {
    const tt = this.index.trafficTargets.get(g.trafficTarget)!;
    const src = g.sources.find((s) => s.identity === from);
    const steps = [step(tt.meta, src ? ['spec', 'sources', src.index] : ['spec', 'sources'], `source ${from}, destination ${g.destination}`)];
    steps.push(step(tt.meta, ['spec', 'rules', g.rule], `rule ${g.route.kind} ${keyOf(g.route)}`));
    const { kind } = g.route;
    const key = keyOf(g.route);
    if (kind === 'HTTPRouteGroup') {
      const group = this.index.httpRouteGroups.get(key);
      if (group && matchIndex !== undefined) steps.push(step(group.meta, ['spec', 'matches', matchIndex], `match ${group.matches[matchIndex].name}`));
      else if (group) steps.push(step(group.meta, ['spec', 'matches'], 'matches'));
    } else {
      const route = kind === 'TCPRoute' ? this.index.tcpRoutes.get(key) : this.index.udpRoutes.get(key);
      if (route && !(kind === 'TCPRoute' && (route as { synthesizedFrom?: unknown }).synthesizedFrom)) {
        steps.push(step(route.meta, ['spec', 'matches', 'ports'], g.ports === 'all' ? 'all ports' : `ports ${(g.ports as number[]).join(', ')}`));
      }
    }
    return steps;
  }

  private workloadSteps(service: ServiceKey, identity: IdentityKey): ViaStep[] {
    const behind = new Set(this.reach.services[service].workloads);
    const wl = this.index.workloadsByIdentity.get(identity)?.find((w) => behind.has(workloadKey(w)));
    if (!wl) return [];
    const path = wl.serviceAccountName === null ? wl.podSpecPath : [...wl.podSpecPath, 'serviceAccountName'];
    return [step(wl.meta, path, `runs as ${identity}`)];
  }
}
