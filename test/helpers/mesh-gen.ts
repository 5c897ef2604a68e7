// Generated small meshes for property tests (fuzz-agreement, fuzz-compile): identities, workloads (some
// sharing labels, some with Endpoints naming their pods), Services with HTTP, TCP and UDP ports (numbered
// and named target ports), TrafficTargets with HTTP and TCP rules, TrafficSplits (nested too), Gateway API
// mesh routes (GAMMA HTTPRoutes and GRPCRoutes on Services) and the permissive mode, as manifests.
import fc from 'fast-check';

export const NS = 'app';
export const IDENTITIES = ['a', 'b', 'c', 'd'];
const LABELS = ['web', 'api', 'db'];
const SERVICES = ['s1', 's2', 's3'];
const PORTS = [
  { port: 80, appProtocol: 'http' },
  { port: 8080, name: 'http' },
  { port: 9000, name: 'tcp-data' },
  { port: 9000, appProtocol: 'tcp' },
  { port: 5000, protocol: 'UDP' },
  { port: 7000, appProtocol: 'grpc', targetPort: 8080 },
  { port: 8443, name: 'http-alt', targetPort: 'web' },
  // TCP to the container port HTTP ports above also target: the pod's inbound chain for 8080 is then TCP.
  { port: 6000, name: 'tcp-raw', targetPort: 8080 },
];
/** Container ports: 8080 is named `web` (the named targetPort above). */
const CONTAINER_PORTS = [80, 8080, 9000];

type Doc = Record<string, unknown>;
const meta = (name: string) => ({ name, namespace: NS });

const workload = fc.record({
  identity: fc.constantFrom(...IDENTITIES),
  label: fc.constantFrom(...LABELS),
  track: fc.constantFrom('v1', 'v2'),
  containerPorts: fc.subarray(CONTAINER_PORTS),
  ip: fc.option(fc.integer({ min: 2, max: 250 }), { nil: undefined }),
  /** How its Endpoints name the pod: as Kubernetes names a Deployment's pods, a name no workload explains, or not at all. */
  podName: fc.constantFrom('deployment', 'unknown', 'none'),
});

const service = fc.record({
  name: fc.constantFrom(...SERVICES),
  selector: fc.oneof(fc.record({ app: fc.constantFrom(...LABELS) }), fc.record({ app: fc.constantFrom(...LABELS), track: fc.constantFrom('v1', 'v2') })),
  ports: fc.uniqueArray(fc.nat({ max: PORTS.length - 1 }), { minLength: 1, maxLength: 3, selector: (i) => PORTS[i]!.port }),
  clusterIP: fc.boolean(),
});

const target = fc.record({
  destination: fc.constantFrom(...IDENTITIES),
  sources: fc.subarray(IDENTITIES, { minLength: 1 }),
  rule: fc.constantFrom('http-all', 'http-get', 'tcp-all', 'tcp-9000', 'both'),
});

/** A Service of the mesh (an index into its Services), or mostly so: now and then a name that may be no Service. */
const serviceRef = fc.oneof({ weight: 5, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constantFrom(...SERVICES) });

const split = fc.record({
  root: serviceRef,
  backends: fc.array(fc.record({ service: serviceRef, weight: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 3 }),
  /** The backends get the root's ports (else a backend without one of them takes no traffic there: MESH0414). */
  alignPorts: fc.boolean(),
});

/** A backendRef of a generated route: a Service of the mesh (or a name), or the route's parent. */
interface RouteBackend { service: number | string; weight: number | undefined }

/** Backends of a route rule: often the parent itself (its pods, GEP-1294), which has every port the route applies to. */
const routeBackends: fc.Arbitrary<RouteBackend[]> = fc.oneof(
  { weight: 14, arbitrary: fc.array(fc.record({ service: fc.oneof(fc.constant('parent'), serviceRef), weight: fc.constantFrom(undefined, undefined, 1, 50, 0) }), { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constant<RouteBackend[]>([]) },
);

/** A Gateway API mesh route (GAMMA) on a Service, optionally on one of its ports. */
const gammaRoute = fc.record({
  kind: fc.constantFrom('HTTPRoute', 'HTTPRoute', 'GRPCRoute'),
  parent: serviceRef,
  port: fc.constantFrom(undefined, 80, 8080, 9000, 7000),
  rules: fc.array(fc.record({
    match: fc.constantFrom('none', 'prefix', 'header', 'exact'),
    // Now and then a rule without backendRefs (MESH1232) or with weights 0 (MESH1203); mostly routes that compile.
    backends: routeBackends,
  }), { minLength: 1, maxLength: 3 }),
});

export const generatedMesh = fc.record({
  workloads: fc.array(workload, { minLength: 1, maxLength: 5 }),
  services: fc.uniqueArray(service, { minLength: 1, maxLength: 3, selector: (s) => s.name }),
  targets: fc.array(target, { maxLength: 4 }),
  // Mostly one split at most (two may nest or cycle: MESH0411/MESH0412), and one route at most.
  splits: fc.oneof({ weight: 3, arbitrary: fc.array(split, { maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(split, { minLength: 2, maxLength: 2 }) }),
  routes: fc.oneof({ weight: 4, arbitrary: fc.array(gammaRoute, { maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(gammaRoute, { minLength: 2, maxLength: 2 }) }),
  permissive: fc.boolean(),
});

export type GeneratedMesh = typeof generatedMesh extends fc.Arbitrary<infer T> ? T : never;

/** The generated mesh as manifests. */
export function manifests(m: GeneratedMesh): Doc[] {
  const docs: Doc[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }];
  for (const id of IDENTITIES) docs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(id) });
  m.workloads.forEach((w, i) => {
    const labels = { app: w.label, track: w.track };
    docs.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(`w${i}`),
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { serviceAccountName: w.identity, containers: [{ name: 'app', image: 'example/app:1', ports: w.containerPorts.map((p) => ({ containerPort: p, ...(p === 8080 ? { name: 'web' } : {}) })) }] } },
      },
    });
  });
  const serviceName = (ref: number | string) => (typeof ref === 'string' ? ref : m.services[ref % m.services.length]!.name);
  // Splits: one per root; backends named once; with alignPorts, each backend Service takes its root's ports.
  const splits = new Map<string, { backends: Map<string, number>; alignPorts: boolean }>();
  for (const sp of m.splits) {
    const root = serviceName(sp.root);
    if (splits.has(root)) continue;
    splits.set(root, { backends: new Map(sp.backends.map((b) => [serviceName(b.service), b.weight])), alignPorts: sp.alignPorts });
  }
  const portsOf = new Map(m.services.map((s) => [s.name, s.ports]));
  for (const [root, sp] of splits) {
    if (!sp.alignPorts || !portsOf.has(root)) continue;
    for (const b of sp.backends.keys()) if (portsOf.has(b) && b !== root) portsOf.set(b, portsOf.get(root)!);
  }
  m.services.forEach((s, i) => {
    const ports = portsOf.get(s.name)!.map((p) => PORTS[p]!);
    docs.push({
      apiVersion: 'v1', kind: 'Service', metadata: meta(s.name),
      spec: { ...(s.clusterIP ? { clusterIP: `10.96.0.${10 + i}` } : {}), selector: s.selector, ports },
    });
    // Endpoints naming the pods behind the Service, for workloads that have an address.
    const behind = m.workloads.map((w, wi) => ({ w, wi })).filter(({ w }) => w.ip !== undefined && Object.entries(s.selector).every(([k, v]) => (k === 'app' ? w.label : w.track) === v));
    if (behind.length > 0) {
      docs.push({
        apiVersion: 'v1', kind: 'Endpoints', metadata: meta(s.name),
        subsets: [{
          addresses: behind.map(({ w, wi }) => ({
            ip: `10.1.0.${w.ip}`,
            ...(w.podName === 'none' ? {} : { targetRef: { kind: 'Pod', name: w.podName === 'deployment' ? `w${wi}-5d8f7c9b4-abcde` : `other-${wi}`, namespace: NS } }),
          })),
          ports: ports.map((p) => ({ port: typeof p.targetPort === 'number' ? p.targetPort : p.targetPort === 'web' ? 8080 : p.port, ...(p.name ? { name: p.name } : {}), ...(p.protocol ? { protocol: p.protocol } : {}) })),
        }],
      });
    }
  });
  docs.push(
    { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: meta('routes'), spec: { matches: [{ name: 'all', pathRegex: '.*' }, { name: 'get', methods: ['GET'] }] } },
    { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: meta('tcp-all'), spec: { matches: { ports: [] } } },
    { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: meta('tcp-9000'), spec: { matches: { ports: [9000] } } },
  );
  const rules: Record<string, Doc[]> = {
    'http-all': [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['all'] }],
    'http-get': [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['get'] }],
    'tcp-all': [{ kind: 'TCPRoute', name: 'tcp-all' }],
    'tcp-9000': [{ kind: 'TCPRoute', name: 'tcp-9000' }],
    both: [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['all'] }, { kind: 'TCPRoute', name: 'tcp-all' }],
  };
  m.targets.forEach((t, i) => docs.push({
    apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', metadata: meta(`t${i}`),
    spec: {
      destination: { kind: 'ServiceAccount', name: t.destination, namespace: NS },
      sources: t.sources.map((s) => ({ kind: 'ServiceAccount', name: s, namespace: NS })),
      rules: rules[t.rule],
    },
  }));
  [...splits].forEach(([root, sp], i) => docs.push({
    apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: meta(`split${i}`),
    spec: { service: root, backends: [...sp.backends].map(([service, weight]) => ({ service, weight })) },
  }));
  const MATCHES: Record<string, Doc[] | undefined> = {
    none: undefined,
    prefix: [{ path: { type: 'PathPrefix', value: '/api' } }],
    header: [{ headers: [{ name: 'x-canary', value: 'true' }] }],
    exact: [{ path: { type: 'Exact', value: '/' }, method: 'GET' }],
  };
  // GRPCRoute matches: the gRPC service and method, a header; `prefix` and `exact` stand for a service, a method.
  const GRPC_MATCHES: Record<string, Doc[] | undefined> = {
    none: undefined,
    prefix: [{ method: { service: 'shop.Catalog' } }],
    header: [{ headers: [{ name: 'x-canary', value: 'true' }] }],
    exact: [{ method: { service: 'shop.Catalog', method: 'Get' } }],
  };
  m.routes.forEach((r, i) => docs.push({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: r.kind, metadata: meta(`route${i}`),
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: serviceName(r.parent), ...(r.port !== undefined ? { port: r.port } : {}) }],
      rules: r.rules.map((rule) => ({
        ...((r.kind === 'GRPCRoute' ? GRPC_MATCHES : MATCHES)[rule.match] ? { matches: (r.kind === 'GRPCRoute' ? GRPC_MATCHES : MATCHES)[rule.match] } : {}),
        backendRefs: rule.backends.map((b) => ({
          name: b.service === 'parent' ? serviceName(r.parent) : serviceName(b.service), port: r.port ?? 80, ...(b.weight !== undefined ? { weight: b.weight } : {}),
        })),
      })),
    },
  }));
  return docs;
}

/** The manifests as one YAML stream (JSON documents). */
export const manifestText = (m: GeneratedMesh): string => manifests(m).map((d) => JSON.stringify(d)).join('\n---\n');
