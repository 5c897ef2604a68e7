/**
 * Model + reachability → per-proxy IR. Every policy decision of the compiler
 * is made here (see ir.ts for the shapes and docs/guide-compile.md for the
 * semantics):
 *
 * - one proxy per Deployment, StatefulSet, DaemonSet and bare Pod, running as
 *   its ServiceAccount identity;
 * - inbound: one entry per target port the workload serves, with one RBAC
 *   policy per admitting TrafficTarget rule (sources → SPIFFE principals);
 * - outbound: only the (service, port) pairs reachability says the identity
 *   may reach; TrafficSplit roots route to the backends this identity may
 *   reach, with their exact relative weights (reduced by the GCD);
 * - clusters are created once per Service port and shared by name.
 */
import type { ObjectMeta, Service, Workload } from '../../model/types.ts';
import type { MeshIndex } from '../../model/index-lookup.ts';
import type { Path } from '../../core/types.ts';
import type { Grant, PortAccess, Reachability, ReachPort, ServiceKey } from '../../reach/types.ts';
import { endpointSetsByService, resolveEndpoints, targetPortOn } from './endpoints.ts';
import type {
  ClusterIR, HttpMatchIR, InboundPortIR, MeshIR, OutboundPortIR, OutboundRouteIR, ProxyIR, RbacPolicyIR, TranslateOptions, WeightedTarget,
} from './ir.ts';
import { matchIR, matchKey, reduceWeights, UINT32_MAX } from './matches.ts';
import {
  NameRegistry, nodeDir, nodeId, serviceFqdn, serviceHostnames, spiffeId, splitKey, upstreamClusterName,
} from './names.ts';
import { isHttpLike, portProtocol, type PortProtocol } from './protocol.ts';

export interface Reporter {
  report(code: string, args: Record<string, unknown>, at?: { meta: ObjectMeta; path?: Path }): void;
}

/** Workload kinds that run a proxy of their own (a ReplicaSet's pods belong to its Deployment). */
export const PROXY_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']);

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const wKey = (w: Workload) => `${w.meta.namespace}/${w.workloadKind}/${w.meta.name}`;

type Proto = Exclude<PortProtocol, 'none'>;

/** The proxies affected by one finding, reported once after the walk. */
class Tally<T> {
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

/**
 * A controller-managed Pod (`kubectl get all` output) whose controller is in the input too: a Deployment, StatefulSet
 * or DaemonSet of its namespace and ServiceAccount whose pod-template labels it carries. It runs that workload's
 * proxy, not one of its own. A controlled Pod without its controller in the input still gets a node.
 */
function replicaOfInput(w: Workload, controllersByNs: Map<string, Workload[]>): boolean {
  if (w.workloadKind !== 'Pod' || !w.controlled) return false;
  return (controllersByNs.get(w.meta.namespace) ?? []).some((c) => {
    if ((c.serviceAccountName ?? 'default') !== (w.serviceAccountName ?? 'default')) return false;
    const labels = Object.entries(c.podLabels);
    return labels.length > 0 && labels.every(([k, v]) => w.podLabels[k] === v);
  });
}

export function buildMeshIR(index: MeshIndex, reach: Reachability, options: TranslateOptions, reporter: Reporter): MeshIR {
  const mesh = index.mesh;
  const permissive = reach.mode === 'permissive';
  const grpc = options.target === 'grpc';
  const workloadsByKey = new Map<string, Workload>();
  for (const w of mesh.workloads) if (!workloadsByKey.has(wKey(w))) workloadsByKey.set(wKey(w), w);
  const servicesByWorkload = new Map<string, ServiceKey[]>();
  for (const rs of Object.values(reach.services)) {
    for (const wk of rs.workloads) {
      const list = servicesByWorkload.get(wk);
      if (list) list.push(rs.key);
      else servicesByWorkload.set(wk, [rs.key]);
    }
  }
  const endpointSets = endpointSetsByService(mesh.endpoints);
  const clusters = new Map<string, ClusterIR>();
  const protoOf = (svc: ServiceKey, port: number): Proto | null => {
    const p = reach.services[svc]?.ports.find((x) => x.port === port);
    if (!p) return null;
    const proto = portProtocol(p);
    return proto === 'none' ? null : proto;
  };
  const modelService = (key: ServiceKey): Service | undefined => index.services.get(key);
  const servicePortOf = (svc: Service | undefined, port: number) => svc?.ports.find((p) => p.port === port);

  // ---------------------------------------------------------------- clusters (shared)
  function clusterFor(svcKey: ServiceKey, port: number): ClusterIR | null {
    const name = upstreamClusterName(svcKey, port);
    const cached = clusters.get(name);
    if (cached) return cached;
    const rs = reach.services[svcKey];
    const rp = rs?.ports.find((p) => p.port === port);
    const proto = rp ? portProtocol(rp) : 'none';
    if (!rs || !rp || proto === 'none') return null;
    const svc = modelService(svcKey);
    const workloads = rs.workloads.map((k) => workloadsByKey.get(k)).filter((w): w is Workload => !!w);
    const localities = resolveEndpoints(rp, servicePortOf(svc, port), endpointSets.get(svcKey), workloads);
    const headless = svc?.clusterIP === 'None';
    const fqdn = serviceFqdn(svcKey, options.clusterDomain);
    const c: ClusterIR = {
      name, service: svcKey, port, protocol: proto, localities,
      dns: { host: fqdn, port: headless && rp.targetPort !== null ? rp.targetPort : port },
      sni: fqdn,
      peerIds: rs.identities.map((id) => spiffeId(options.trustDomain, id)).sort(cmp),
    };
    clusters.set(name, c);
    return c;
  }

  /**
   * For proxyless gRPC clients: the denied share of a split backend goes to a
   * cluster without endpoints (the call fails with UNAVAILABLE), since no
   * server-side RBAC would refuse it at the backend.
   */
  function deniedCluster(svcKey: ServiceKey, port: number): ClusterIR | null {
    const real = clusterFor(svcKey, port);
    if (!real) return null;
    const name = `denied|${real.name}`;
    const cached = clusters.get(name);
    if (cached) return cached;
    const c: ClusterIR = { ...real, name, localities: [], peerIds: [] };
    clusters.set(name, c);
    return c;
  }

  // ---------------------------------------------------------------- findings
  let currentNode = '';
  const current = () => currentNode;
  const grpcNoEndpoints = new Tally<{ service: ServiceKey; port: number }>(current);
  const grpcTcp = new Tally<{ service: ServiceKey; port: number }>(current);
  const dropped = new Tally<{ split: string; backend: string; reason: string }>(current);
  const ambiguous = new Tally<{ service: ServiceKey; port: number; other: string }>(current);
  const outsideMesh = new Tally<{ service: ServiceKey; host: string }>(current);
  const clusterSuffix = `.svc.${options.clusterDomain}`.toLowerCase();
  const inCluster = (host: string) => host.toLowerCase().replace(/\.$/, '').endsWith(clusterSuffix);
  const httpOnTcp = new Map<string, { g: Grant; service: ServiceKey; port: number; why: string }>();
  const overflowReported = new Set<string>();
  const nodeIds = new NameRegistry();
  const nodeDirs = new NameRegistry();

  const metaOfKey = (kind: 'Service' | 'TrafficSplit' | 'TrafficTarget', key: string): ObjectMeta | undefined => {
    if (kind === 'Service') return index.services.get(key)?.meta;
    const [ns, name] = splitKey(key);
    const list = kind === 'TrafficSplit' ? mesh.trafficSplits : mesh.trafficTargets;
    return list.find((o) => o.meta.namespace === ns && o.meta.name === name)?.meta;
  };
  const at = (meta: ObjectMeta | undefined, path?: Path) => (meta ? { meta, path } : undefined);

  /** Grants that really admit traffic on a port of this protocol (HTTP rules need an HTTP port). */
  function effective(ids: number[], proto: Proto, service: ServiceKey, port: number): number[] {
    return ids.filter((id) => {
      const g = reach.grants[id];
      if (g.protocol === 'tcp') return true;
      if (g.protocol === 'http') {
        if (isHttpLike(proto)) return true;
        // Reachability grants HTTP rules only on HTTP/gRPC Service ports (MESH0607 in check); what is left here is a
        // target port that another Service of the workload reaches as TCP, so its one inbound chain is TCP (MESH0857).
        const rp = reach.services[service]?.ports.find((p) => p.port === port);
        const why = rp && isHttpLike(portProtocol(rp)) ? 'another Service reaches the same target port as TCP, see MESH0857'
          : rp?.appProtocol !== undefined ? `appProtocol ${rp.appProtocol}` : `port name ${rp?.name ?? ''}`;
        httpOnTcp.set(`${id}|${service}|${port}`, { g, service, port, why });
      }
      return false;
    });
  }

  // ---------------------------------------------------------------- inbound
  function inboundOf(w: Workload, identity: string): InboundPortIR[] {
    const grantsBySp = new Map<string, number[]>();
    for (const ip of reach.inbound[identity] ?? []) grantsBySp.set(`${ip.service}|${ip.port}`, ip.grants);
    const byTarget = new Map<number, { service: ServiceKey; port: number; proto: Proto; grants: number[] }[]>();
    for (const svcKey of [...(servicesByWorkload.get(wKey(w)) ?? [])].sort(cmp)) {
      const rs = reach.services[svcKey];
      const svc = modelService(svcKey);
      for (const rp of rs.ports) {
        const proto = portProtocol(rp);
        if (proto === 'none') continue;
        const tp = targetPortOn(rp, servicePortOf(svc, rp.port), w);
        if (tp === null) continue;
        let list = byTarget.get(tp);
        if (!list) byTarget.set(tp, (list = []));
        list.push({ service: svcKey, port: rp.port, proto, grants: grantsBySp.get(`${svcKey}|${rp.port}`) ?? [] });
      }
    }
    const out: InboundPortIR[] = [];
    for (const tp of [...byTarget.keys()].sort((a, b) => a - b)) {
      const sps = byTarget.get(tp)!;
      const protos = [...new Set(sps.map((s) => s.proto))].sort(cmp);
      const proto: Proto = protos.includes('tcp') ? 'tcp' : protos.includes('grpc') ? 'grpc' : 'http';
      if (protos.length > 1) {
        reporter.report('MESH0857', { workload: wKey(w), targetPort: tp, protocols: protos.join(', '), chosen: proto }, at(w.meta));
      }
      const policies: RbacPolicyIR[] = [];
      const seen = new Set<number>();
      for (const sp of sps) {
        for (const id of effective(sp.grants, proto, sp.service, sp.port)) {
          if (seen.has(id)) continue;
          seen.add(id);
          const g = reach.grants[id];
          const principals = [...new Set(g.sources.map((s) => s.identity))].sort(cmp);
          if (principals.length === 0) continue;
          if (g.protocol === 'tcp') policies.push({ name: `${g.trafficTarget}#${g.rule}`, principals, permissions: 'all' });
          else if (g.http && g.http.length > 0) {
            policies.push({ name: `${g.trafficTarget}#${g.rule}`, principals, permissions: g.http.map((m) => matchIR(m.group, m)) });
          }
        }
      }
      let routes: InboundPortIR['routes'] = 'all';
      if (!permissive && !policies.some((p) => p.permissions === 'all')) {
        const distinct = new Map<string, HttpMatchIR>();
        for (const p of policies) for (const m of p.permissions as HttpMatchIR[]) if (!distinct.has(matchKey(m))) distinct.set(matchKey(m), m);
        routes = [...distinct.values()].sort((a, b) => cmp(a.name, b.name));
      }
      out.push({
        targetPort: tp, protocol: proto,
        services: sps.map((s) => ({ service: s.service, port: s.port })),
        policies: permissive ? [] : policies.sort((a, b) => cmp(a.name, b.name)),
        routes,
      });
    }
    return out;
  }

  // ---------------------------------------------------------------- outbound
  /** A cluster a route may name for this node, or null (recorded as a finding). */
  function usableCluster(svcKey: ServiceKey, port: number): ClusterIR | null {
    const c = clusterFor(svcKey, port);
    if (c && grpc && c.localities === null) {
      grpcNoEndpoints.add(`${svcKey}|${port}`, { service: svcKey, port });
      return null;
    }
    return c;
  }

  function splitTargets(rootKey: ServiceKey, port: number, pa: PortAccess | undefined): WeightedTarget[] | null {
    const split = reach.splits[rootKey];
    const chosen: { cluster: string; weight: number }[] = [];
    split.backends.forEach((b, i) => {
      if (b.weight <= 0) return;
      let bport: number | null;
      let reason: string | undefined;
      if (permissive) {
        const rootPort = reach.services[rootKey].ports.find((p) => p.port === port)!;
        const bs = reach.services[b.service];
        bport = bs?.ports.find((p) => p.port === port && p.protocol === rootPort.protocol)?.port ?? null;
        if (!bs) reason = 'its Service does not exist';
        else if (bport === null) reason = `it has no port ${port}`;
        else if (bs.identities.length === 0) reason = 'no workload serves it';
      } else {
        const v = pa?.split?.backends[i];
        bport = v?.port ?? null;
        if (v && !v.allowed && !v.excluded && bport !== null) {
          // The backend's identity does not admit these clients: its share keeps its weight and is denied at the
          // backend (inbound RBAC; a cluster without endpoints for proxyless gRPC clients, which get no server-side
          // RBAC from meshc), so that share fails as `why` and `meshc test` say (MESH0606), instead of being
          // silently moved onto the backends they may reach.
          const c = grpc ? deniedCluster(b.service, bport) : clusterFor(b.service, bport);
          if (c) {
            chosen.push({ cluster: c.name, weight: b.weight });
            return;
          }
        }
        if (!v || !v.allowed) {
          reason = {
            'no-grant': 'no TrafficTarget admits these clients to it',
            'no-port': `it has no port ${port}`,
            'no-workloads': 'no workload serves it',
            'missing-service': 'its Service does not exist',
          }[v?.denied ?? 'no-grant'];
        } else {
          const bproto = protoOf(b.service, bport!);
          if (!bproto || effective(v.grants, bproto, b.service, bport!).length === 0) reason = 'only HTTP rules admit these clients, but the port is TCP';
        }
      }
      if (!reason && bport !== null && !usableCluster(b.service, bport)) reason = 'its endpoint addresses are unknown (gRPC clients need IP addresses)';
      if (reason || bport === null) {
        dropped.add(`${split.split}|${b.service}|${reason}`, { split: split.split, backend: b.service, reason: reason ?? 'unknown' });
        return;
      }
      chosen.push({ cluster: upstreamClusterName(b.service, bport), weight: b.weight });
    });
    if (chosen.length === 0) return [];
    const reduced = reduceWeights(chosen.map((c) => c.weight));
    const sum = reduced.reduce((s, w) => s + w, 0);
    if (sum > UINT32_MAX) {
      if (!overflowReported.has(split.split)) {
        overflowReported.add(split.split);
        reporter.report('MESH0861', { split: split.split, sum }, at(metaOfKey('TrafficSplit', split.split), ['spec', 'backends']));
      }
      return null;
    }
    return chosen.map((c, i) => ({ cluster: c.cluster, weight: reduced[i] }));
  }

  function outboundEntry(node: { namespace: string }, svcKey: ServiceKey, rp: ReachPort, pa: PortAccess | undefined): OutboundPortIR | null {
    const proto = portProtocol(rp);
    if (proto === 'none') return null;
    if (grpc && proto === 'tcp') {
      grpcTcp.add(`${svcKey}|${rp.port}`, { service: svcKey, port: rp.port });
      return null;
    }
    const direct = permissive || (pa !== undefined && effective(pa.grants, proto, svcKey, rp.port).length > 0);
    const rootTarget = (): WeightedTarget[] => {
      if (!direct) return [];
      const c = usableCluster(svcKey, rp.port);
      return c ? [{ cluster: c.name, weight: 1 }] : [];
    };
    const routes: OutboundRouteIR[] = [];
    const split = reach.splits[svcKey];
    if (split) {
      const targets = splitTargets(svcKey, rp.port, pa);
      if (targets === null) return null;
      if (split.matches.length > 0) {
        if (isHttpLike(proto) && targets.length > 0) {
          for (const groupKey of split.matches) {
            const group = index.httpRouteGroups.get(groupKey);
            for (const m of group?.matches ?? []) routes.push({ match: matchIR(groupKey, m), targets });
          }
        }
        const root = rootTarget();
        if (root.length > 0) routes.push({ targets: root });
      } else if (targets.length > 0) {
        routes.push({ targets });
      }
    } else {
      const root = rootTarget();
      if (root.length > 0) routes.push({ targets: root });
    }
    if (routes.length === 0) return null;
    const svc = modelService(svcKey);
    const clusterIP = svc?.clusterIP && svc.clusterIP !== 'None' ? svc.clusterIP : undefined;
    let destinationIPs: string[] = [];
    if (clusterIP) destinationIPs = [clusterIP];
    else if (svc?.clusterIP === 'None') {
      const c = clusterFor(svcKey, rp.port);
      destinationIPs = [...new Set((c?.localities ?? []).flatMap((l) => l.endpoints.map((e) => e.ip)))].sort(cmp);
    }
    return {
      service: svcKey, port: rp.port, protocol: proto,
      hostnames: serviceHostnames(svcKey, rp.port, options.clusterDomain, node.namespace, clusterIP),
      routes, destinationIPs,
    };
  }

  /** Drops TCP entries whose chain could match only on the port when that port is shared. */
  function disambiguate(entries: OutboundPortIR[]): OutboundPortIR[] {
    const byPort = new Map<number, OutboundPortIR[]>();
    for (const e of entries) {
      const list = byPort.get(e.port);
      if (list) list.push(e);
      else byPort.set(e.port, [e]);
    }
    const drop = new Set<OutboundPortIR>();
    for (const [, list] of byPort) {
      const blind = list.filter((e) => e.protocol === 'tcp' && e.destinationIPs.length === 0);
      const http = list.some((e) => e.protocol !== 'tcp');
      if (blind.length === 0 || (blind.length === 1 && !http)) continue;
      for (const e of blind) {
        const other = http ? 'HTTP services' : `TCP service ${list.find((o) => o !== e && o.protocol === 'tcp')!.service}`;
        ambiguous.add(`${e.service}|${e.port}`, { service: e.service, port: e.port, other });
        drop.add(e);
      }
    }
    return entries.filter((e) => !drop.has(e));
  }

  function outboundOf(w: Workload, identity: string): OutboundPortIR[] {
    const out: OutboundPortIR[] = [];
    const node = { namespace: w.meta.namespace };
    if (permissive) {
      for (const rs of Object.values(reach.services)) {
        // An ExternalName Service for a host outside the cluster has no sidecar to answer mTLS, and meshc compiles no
        // egress. (An alias of an in-cluster name, or a Service whose pods are not in the input, may well be meshed.)
        const external = modelService(rs.key)?.externalName;
        if (external !== undefined && !inCluster(external) && !reach.splits[rs.key]) {
          outsideMesh.add(rs.key, { service: rs.key, host: external });
          continue;
        }
        for (const rp of rs.ports) {
          const e = outboundEntry(node, rs.key, rp, undefined);
          if (e) out.push(e);
        }
      }
    } else {
      for (const pa of reach.outbound[identity] ?? []) {
        const rp = reach.services[pa.service]?.ports.find((p) => p.port === pa.port);
        if (!rp) continue;
        const e = outboundEntry(node, pa.service, rp, pa);
        if (e) out.push(e);
      }
    }
    out.sort((a, b) => a.port - b.port || cmp(a.service, b.service));
    return grpc ? out : disambiguate(out);
  }

  // ---------------------------------------------------------------- proxy ports
  const proxyPorts = new Map<number, { flag: string; what: string }>([
    [options.ports.inbound, { flag: 'inbound-port', what: 'inbound listener' }],
    [options.ports.outbound, { flag: 'outbound-port', what: 'outbound listener' }],
    [options.ports.stats, { flag: 'stats-port', what: 'Prometheus listener' }],
    [options.ports.admin, { flag: 'admin-port', what: 'admin interface on 127.0.0.1' }],
  ]);

  /**
   * A port the application listens on that the sidecar also takes (MESH0866): one of the two cannot bind it, and
   * the inbound chain would forward callers back into Envoy (its admin API, for the admin port).
   */
  function reportPortClashes(w: Workload, inbound: InboundPortIR[]): void {
    const seen = new Set<number>();
    for (const ip of inbound) {
      const role = proxyPorts.get(ip.targetPort);
      if (!role) continue;
      seen.add(ip.targetPort);
      const first = ip.services[0];
      const svc = modelService(first.service);
      const i = svc ? svc.ports.findIndex((p) => p.port === first.port) : -1;
      reporter.report('MESH0866', { workload: wKey(w), port: ip.targetPort, via: `target port of service ${first.service} port ${first.port}`, ...role },
        svc && i >= 0 ? at(svc.meta, ['spec', 'ports', i, 'targetPort']) : at(w.meta, w.podSpecPath));
    }
    for (const cp of w.containerPorts) {
      const role = proxyPorts.get(cp.containerPort);
      if (!role || cp.protocol !== 'TCP' || seen.has(cp.containerPort)) continue;
      seen.add(cp.containerPort);
      reporter.report('MESH0866', { workload: wKey(w), port: cp.containerPort, via: `container port of container ${cp.container}`, ...role },
        at(w.meta, [...w.podSpecPath, 'containers']));
    }
  }

  // ---------------------------------------------------------------- nodes
  const nodes: ProxyIR[] = [];
  let edges = 0;
  const controllersByNs = new Map<string, Workload[]>();
  for (const w of workloadsByKey.values()) {
    if (w.workloadKind === 'Pod' || !PROXY_KINDS.has(w.workloadKind)) continue;
    const list = controllersByNs.get(w.meta.namespace);
    if (list) list.push(w);
    else controllersByNs.set(w.meta.namespace, [w]);
  }
  const proxies = [...workloadsByKey.values()].filter((w) => PROXY_KINDS.has(w.workloadKind) && !replicaOfInput(w, controllersByNs));
  for (const w of proxies.sort((a, b) => cmp(wKey(a), wKey(b)))) {
    const id = nodeId(w.meta.namespace, w.workloadKind, w.meta.name);
    const dir = nodeDir(w.meta.namespace, w.workloadKind, w.meta.name);
    const clashId = nodeIds.claim(id, wKey(w));
    // Lower-cased: on case-insensitive file systems (macOS, Windows) `Shop_…` and `shop_…` are one directory.
    const clashDir = nodeDirs.claim(dir.toLowerCase(), wKey(w));
    if (clashId || clashDir) {
      reporter.report('MESH0853', { what: clashId ? 'node id' : 'node directory', name: clashId ? id : dir, first: clashId ?? clashDir, second: wKey(w) }, at(w.meta, ['metadata', 'name']));
      continue;
    }
    if (Buffer.byteLength(dir) > 255) {
      reporter.report('MESH0865', { name: dir, workload: wKey(w), bytes: Buffer.byteLength(dir) }, at(w.meta, ['metadata', 'name']));
      continue;
    }
    const identity = `${w.meta.namespace}/${w.serviceAccountName ?? 'default'}`;
    currentNode = id;
    const outbound = outboundOf(w, identity);
    edges += outbound.length;
    const inbound = grpc ? [] : inboundOf(w, identity);
    if (!grpc) reportPortClashes(w, inbound);
    nodes.push({
      id, dir, workload: { kind: w.workloadKind, namespace: w.meta.namespace, name: w.meta.name }, identity,
      spiffeId: spiffeId(options.trustDomain, identity),
      inbound,
      outbound,
    });
  }
  if (proxies.length === 0) reporter.report('MESH0860', {});

  checkNameCollisions(nodes, options, index, reporter, Object.keys(reach.services));

  for (const { value, nodes: n } of grpcNoEndpoints.sorted()) {
    reporter.report('MESH0855', { service: value.service, port: value.port, nodes: n }, at(metaOfKey('Service', value.service), ['spec', 'ports']));
  }
  for (const { value, nodes: n } of grpcTcp.sorted()) {
    reporter.report('MESH0863', { service: value.service, port: value.port, nodes: n }, at(metaOfKey('Service', value.service), ['spec', 'ports']));
  }
  for (const { value, nodes: n } of dropped.sorted()) {
    const meta = metaOfKey('TrafficSplit', value.split);
    reporter.report('MESH0856', { split: value.split, backend: value.backend, nodes: n, reason: value.reason }, at(meta, ['spec', 'backends']));
  }
  for (const { value, nodes: n } of ambiguous.sorted()) {
    reporter.report('MESH0858', { service: value.service, port: value.port, other: value.other, nodes: n }, at(metaOfKey('Service', value.service), ['spec', 'ports']));
  }
  for (const { value, nodes: n } of outsideMesh.sorted()) {
    reporter.report('MESH0867', { service: value.service, host: value.host, nodes: n }, at(modelService(value.service)?.meta, ['spec', 'externalName']));
  }
  for (const k of [...httpOnTcp.keys()].sort(cmp)) {
    const { g, service, port, why } = httpOnTcp.get(k)!;
    reporter.report('MESH0859', { trafficTarget: g.trafficTarget, rule: g.rule, service, port, why }, at(metaOfKey('TrafficTarget', g.trafficTarget), ['spec', 'rules', g.rule]));
  }
  return { options, nodes, clusters, edges };
}

/**
 * Names that several objects would share once translated: the Service DNS
 * name (SNI, gRPC listener names) and the virtual-host domains of each
 * outbound RouteConfiguration (Envoy rejects a domain used twice).
 */
function checkNameCollisions(nodes: ProxyIR[], options: TranslateOptions, index: MeshIndex, reporter: Reporter, services: ServiceKey[]): void {
  const reported = new Set<string>();
  const report = (what: string, name: string, first: string, second: string) => {
    const key = `${what}|${name}`;
    if (reported.has(key)) return;
    reported.add(key);
    const meta = index.services.get(second)?.meta;
    reporter.report('MESH0853', { what, name, first: `Service ${first}`, second: `Service ${second}` }, meta ? { meta, path: ['metadata', 'name'] } : undefined);
  };
  const fqdns = new NameRegistry();
  for (const svc of services) {
    const fqdn = serviceFqdn(svc, options.clusterDomain);
    const clash = fqdns.claim(fqdn.toLowerCase(), svc);
    if (clash) report('service DNS name', fqdn, clash, svc);
  }
  if (options.target === 'grpc') return;
  for (const n of nodes) {
    const byPort = new Map<number, NameRegistry>();
    for (const o of n.outbound) {
      if (o.protocol === 'tcp') continue;
      let domains = byPort.get(o.port);
      if (!domains) byPort.set(o.port, (domains = new NameRegistry()));
      for (const h of o.hostnames) {
        const c = domains.claim(h, o.service);
        if (c) report('virtual-host domain', h, c, o.service);
      }
    }
  }
}
