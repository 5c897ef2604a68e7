/** The Kubernetes kinds meshc reads, reduced to the fields it uses. */
import { isIP } from 'node:net';
import type { Path } from '../core/types.ts';
import { formatPath } from '../schema/text.ts';
import { asList, asObj, asString, buildMeta, issue, stringMap, type ModelContext, type Obj } from './context.ts';
import type {
  ContainerPort, EndpointAddress, EndpointPort, EndpointSet, Namespace, Probe, ProbeKind, Service, ServiceAccount, ServicePort, Workload, WorkloadKind,
} from './types.ts';

type Protocol = 'TCP' | 'UDP' | 'SCTP';

/**
 * An address that is no IP literal (of the family the object declares) is
 * refused by an API server; compile could only drop it, leaving a Service
 * with fewer (or no) endpoints than the file shows. Reported, not dropped silently.
 */
function checkIP(ctx: ModelContext, ip: string, path: Path, family?: 4 | 6): boolean {
  const got = isIP(ip);
  if (got !== 0 && (family === undefined || got === family)) return true;
  const reason = got === 0 ? 'not an IP address (IPv4 such as 10.1.2.3 or IPv6 such as fd00::1)'
    : `an IPv${got} address in an EndpointSlice whose addressType is IPv${family}`;
  issue(ctx, 'MESH0112', { path: formatPath(path), value: JSON.stringify(ip), reason }, path);
  return false;
}
const protocol = (v: unknown): Protocol => (v === 'UDP' || v === 'SCTP' ? v : 'TCP');

export function buildNamespace(ctx: ModelContext): Namespace {
  return { meta: buildMeta(ctx) };
}

export function buildServiceAccount(ctx: ModelContext): ServiceAccount {
  return { meta: buildMeta(ctx) };
}

export function buildService(ctx: ModelContext): Service {
  const spec = asObj(ctx.raw.value.spec) ?? {};
  const ports = asList(spec.ports).map((raw): ServicePort => {
    const p = asObj(raw) ?? {};
    const port = typeof p.port === 'number' ? p.port : 0;
    const out: ServicePort = { port, targetPort: typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : port, protocol: protocol(p.protocol) };
    if (typeof p.name === 'string') out.name = p.name;
    if (typeof p.appProtocol === 'string') out.appProtocol = p.appProtocol;
    return out;
  });
  const service: Service = {
    meta: buildMeta(ctx),
    selector: asObj(spec.selector) ? stringMap(spec.selector) : null,
    ports,
    type: asString(spec.type) ?? 'ClusterIP',
  };
  if (typeof spec.clusterIP === 'string') service.clusterIP = spec.clusterIP;
  if (typeof spec.externalName === 'string') service.externalName = spec.externalName;
  return service;
}

function containerPorts(podSpec: Obj): ContainerPort[] {
  return asList(podSpec.containers).flatMap((c) => {
    const container = asObj(c) ?? {};
    return asList(container.ports).map((raw): ContainerPort => {
      const p = asObj(raw) ?? {};
      const out: ContainerPort = { container: asString(container.name) ?? '', containerPort: typeof p.containerPort === 'number' ? p.containerPort : 0, protocol: protocol(p.protocol) };
      if (typeof p.name === 'string') out.name = p.name;
      return out;
    });
  });
}

const PROBE_KINDS: ProbeKind[] = ['liveness', 'readiness', 'startup'];

function probeOf(raw: Obj, kind: ProbeKind, container: string, containerIndex: number): Probe {
  const timeout = raw.timeoutSeconds;
  const out: Probe = { kind, container, containerIndex, handler: null, timeoutSeconds: typeof timeout === 'number' && timeout >= 1 ? Math.floor(timeout) : 1 };
  const portOf = (h: Obj) => (typeof h.port === 'number' || typeof h.port === 'string' ? h.port : undefined);
  const http = asObj(raw.httpGet);
  const grpc = asObj(raw.grpc);
  const tcp = asObj(raw.tcpSocket);
  if (http) {
    out.handler = asString(http.scheme)?.toUpperCase() === 'HTTPS' ? 'https' : 'http';
    out.port = portOf(http);
    out.path = asString(http.path) || '/';
    if (asString(http.host)) out.host = asString(http.host);
  } else if (grpc) {
    out.handler = 'grpc';
    out.port = portOf(grpc);
    if (asString(grpc.service)) out.grpcService = asString(grpc.service);
  } else if (tcp) {
    out.handler = 'tcp';
    out.port = portOf(tcp);
    if (asString(tcp.host)) out.host = asString(tcp.host);
  } else if (asObj(raw.exec)) out.handler = 'exec';
  return out;
}

function probes(podSpec: Obj): Probe[] {
  return asList(podSpec.containers).flatMap((c, i) => {
    const container = asObj(c) ?? {};
    const name = asString(container.name) ?? '';
    return PROBE_KINDS.flatMap((kind) => {
      const raw = asObj(container[`${kind}Probe`]);
      return raw ? [probeOf(raw, kind, name, i)] : [];
    });
  });
}

export function buildWorkload(ctx: ModelContext): Workload {
  const kind = ctx.target.kind as WorkloadKind;
  const value = ctx.raw.value;
  const meta = buildMeta(ctx);
  const spec = asObj(value.spec) ?? {};
  const isPod = kind === 'Pod';
  const template = asObj(spec.template) ?? {};
  const podSpec = isPod ? spec : (asObj(template.spec) ?? {});
  const account = asString(podSpec.serviceAccountName) || asString(podSpec.serviceAccount) || null;
  const workload: Workload = {
    meta,
    workloadKind: kind,
    podLabels: isPod ? { ...meta.labels } : stringMap(asObj(template.metadata)?.labels),
    podSpecPath: isPod ? ['spec'] : ['spec', 'template', 'spec'],
    serviceAccountName: account,
    containerPorts: containerPorts(podSpec),
    probes: probes(podSpec),
  };
  if (!isPod && kind !== 'DaemonSet' && typeof spec.replicas === 'number') workload.replicas = spec.replicas;
  const podIP = isPod ? asString(asObj(value.status)?.podIP) : undefined;
  if (podIP && checkIP(ctx, podIP, ['status', 'podIP'])) workload.podIP = podIP;
  if (isPod && asList(asObj(value.metadata)?.ownerReferences).some((r) => asObj(r)?.controller === true)) workload.controlled = true;
  return workload;
}

function endpointPort(raw: unknown): EndpointPort | undefined {
  const p = asObj(raw) ?? {};
  if (typeof p.port !== 'number') return undefined; // EndpointSlice: a null port means "every port"; nothing to address
  const out: EndpointPort = { port: p.port, protocol: protocol(p.protocol) };
  if (typeof p.name === 'string' && p.name !== '') out.name = p.name;
  return out;
}

function podName(targetRef: unknown): string | undefined {
  const ref = asObj(targetRef);
  return ref && ref.kind === 'Pod' ? asString(ref.name) : undefined;
}

/** Endpoints: one EndpointSet per subset, ready addresses first. */
export function buildEndpoints(ctx: ModelContext): EndpointSet[] {
  const subsets = asList(ctx.raw.value.subsets);
  const one = (subset: Obj | undefined, i: number): EndpointSet => {
    const ready = asList(subset?.addresses);
    const notReady = asList(subset?.notReadyAddresses);
    const address = (raw: unknown, isReady: boolean, j: number): EndpointAddress => {
      const a = asObj(raw) ?? {};
      const out: EndpointAddress = { ip: asString(a.ip) ?? '', ready: isReady };
      if (typeof a.ip === 'string') checkIP(ctx, a.ip, ['subsets', i, isReady ? 'addresses' : 'notReadyAddresses', isReady ? j : j - ready.length, 'ip']);
      if (typeof a.nodeName === 'string') out.nodeName = a.nodeName;
      const pod = podName(a.targetRef);
      if (pod) out.podName = pod;
      return out;
    };
    const rewrites: [Path, Path][] = subset
      ? [[['addresses'], ['subsets', i, 'addresses']], [['ports'], ['subsets', i, 'ports']],
        ...notReady.map((_, j): [Path, Path] => [['addresses', ready.length + j], ['subsets', i, 'notReadyAddresses', j]])]
      : [];
    const meta = buildMeta(ctx, rewrites);
    return {
      meta,
      serviceName: meta.name,
      addresses: [...ready.map((a, j) => address(a, true, j)), ...notReady.map((a, j) => address(a, false, ready.length + j))],
      ports: asList(subset?.ports).map(endpointPort).filter((p): p is EndpointPort => p !== undefined),
    };
  };
  return subsets.length === 0 ? [one(undefined, 0)] : subsets.map((s, i) => one(asObj(s) ?? {}, i));
}

/** EndpointSlice → one EndpointSet for the Service named by its kubernetes.io/service-name label. */
export function buildEndpointSlice(ctx: ModelContext): EndpointSet | undefined {
  const value = ctx.raw.value;
  const labels = stringMap(asObj(value.metadata)?.labels);
  const serviceName = labels['kubernetes.io/service-name'];
  if (!Object.prototype.hasOwnProperty.call(labels, 'kubernetes.io/service-name') || !serviceName) {
    issue(ctx, 'MESH0119', {}, asObj(asObj(value.metadata)?.labels) ? ['metadata', 'labels'] : ['metadata'], true);
    return undefined;
  }
  if (value.addressType === 'FQDN') return undefined; // host names, not addresses meshc can route to
  const addresses: EndpointAddress[] = [];
  const rewrites: [Path, Path][] = [];
  asList(value.endpoints).forEach((raw, e) => {
    const ep = asObj(raw) ?? {};
    const topology = stringMap(ep.topology);
    const ready = asObj(ep.conditions)?.ready;
    asList(ep.addresses).forEach((ip, a) => {
      if (typeof ip !== 'string') return;
      checkIP(ctx, ip, ['endpoints', e, 'addresses', a], value.addressType === 'IPv6' ? 6 : value.addressType === 'IPv4' ? 4 : undefined);
      rewrites.push([['addresses', addresses.length], ['endpoints', e, 'addresses', a]]);
      const out: EndpointAddress = { ip, ready: ready !== false }; // an unknown (null) condition counts as ready
      const zone = asString(ep.zone) ?? topology['topology.kubernetes.io/zone'];
      const nodeName = asString(ep.nodeName) ?? topology['kubernetes.io/hostname'];
      if (zone) out.zone = zone;
      if (nodeName) out.nodeName = nodeName;
      const pod = podName(ep.targetRef);
      if (pod) out.podName = pod;
      addresses.push(out);
    });
  });
  return {
    meta: buildMeta(ctx, rewrites),
    serviceName,
    addresses,
    ports: asList(value.ports).map(endpointPort).filter((p): p is EndpointPort => p !== undefined),
  };
}
