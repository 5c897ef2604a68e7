// Generated small meshes for property tests (fuzz-agreement, fuzz-compile, fuzz-diff): two namespaces with
// identities, workloads (some sharing labels, some with Endpoints naming their pods), Services with HTTP, TCP
// and UDP ports (numbered and named target ports), TrafficTargets with HTTP and TCP rules and sources from
// either namespace, TrafficSplits (nested too), Gateway API mesh routes (HTTPRoutes and GRPCRoutes on
// Services, backends across namespaces with or without a ReferenceGrant) and the permissive mode, as manifests.
import fc from 'fast-check';

/** Two namespaces: most objects in the first, some in the second, and references across them. */
export const NAMESPACES = ['app', 'other'];
export const IDENTITIES = ['a', 'b', 'c', 'd'];
/** Every ServiceAccount of the mesh, 'namespace/name'. */
export const IDENTITY_KEYS = NAMESPACES.flatMap((ns) => IDENTITIES.map((id) => `${ns}/${id}`));
const namespace = fc.constantFrom('app', 'app', 'app', 'app', 'app', 'other');
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
const meta = (name: string, ns: string) => ({ name, namespace: ns });

const workload = fc.record({
  ns: namespace,
  identity: fc.constantFrom(...IDENTITIES),
  label: fc.constantFrom(...LABELS),
  track: fc.constantFrom('v1', 'v2'),
  containerPorts: fc.subarray(CONTAINER_PORTS),
  ip: fc.option(fc.integer({ min: 2, max: 250 }), { nil: undefined }),
  /** How its Endpoints name the pod: as Kubernetes names a Deployment's pods, a name no workload explains, or not at all. */
  podName: fc.constantFrom('deployment', 'unknown', 'none'),
});

const service = fc.record({
  ns: namespace,
  name: fc.constantFrom(...SERVICES),
  selector: fc.oneof(fc.record({ app: fc.constantFrom(...LABELS) }), fc.record({ app: fc.constantFrom(...LABELS), track: fc.constantFrom('v1', 'v2') })),
  ports: fc.uniqueArray(fc.nat({ max: PORTS.length - 1 }), { minLength: 1, maxLength: 3, selector: (i) => PORTS[i]!.port }),
  clusterIP: fc.boolean(),
});

const target = fc.record({
  ns: namespace,
  destination: fc.constantFrom(...IDENTITIES),
  /** Sources: ServiceAccounts of the target's namespace, now and then of the other one. */
  sources: fc.uniqueArray(fc.record({ id: fc.constantFrom(...IDENTITIES), foreign: fc.constantFrom(false, false, false, true) }), { minLength: 1, maxLength: 3, selector: (x) => `${x.id}/${x.foreign}` }),
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
  /** A ReferenceGrant lets the route send to backends in the other namespace (else MESH1202). */
  granted: fc.boolean(),
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
  services: fc.uniqueArray(service, { minLength: 1, maxLength: 3, selector: (s) => `${s.ns}/${s.name}` }),
  targets: fc.array(target, { maxLength: 4 }),
  // Mostly one split at most (two may nest or cycle: MESH0411/MESH0412), and one route at most.
  splits: fc.oneof({ weight: 3, arbitrary: fc.array(split, { maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(split, { minLength: 2, maxLength: 2 }) }),
  routes: fc.oneof({ weight: 4, arbitrary: fc.array(gammaRoute, { maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(gammaRoute, { minLength: 2, maxLength: 2 }) }),
  permissive: fc.boolean(),
});

export type GeneratedMesh = typeof generatedMesh extends fc.Arbitrary<infer T> ? T : never;

type Svc = { ns: string; name: string };
const keyOf = (s: Svc) => `${s.ns}/${s.name}`;

function workloadDocs(m: GeneratedMesh): Doc[] {
  return m.workloads.map((w, i) => {
    const labels = { app: w.label, track: w.track };
    const ports = w.containerPorts.map((p) => ({ containerPort: p, ...(p === 8080 ? { name: 'web' } : {}) }));
    return {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(`w${i}`, w.ns),
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: w.identity, containers: [{ name: 'app', image: 'example/app:1', ports }] } } },
    };
  });
}

/** A Service, its ports, and Endpoints naming the pods behind it (workloads of its namespace that have an address). */
function serviceDocs(m: GeneratedMesh, s: GeneratedMesh['services'][number], i: number, portIndexes: number[]): Doc[] {
  // The API server requires a name on each port of a multi-port Service (MESH0507): an unnamed one gets a name that
  // says nothing about its protocol (its appProtocol or protocol field does), and Endpoints use the same names.
  const ports = portIndexes.map((p) => PORTS[p]!).map((p, _, all) => (all.length > 1 && !p.name ? { ...p, name: `p${p.port}` } : p));
  const docs: Doc[] = [{
    apiVersion: 'v1', kind: 'Service', metadata: meta(s.name, s.ns),
    spec: { ...(s.clusterIP ? { clusterIP: `10.96.0.${10 + i}` } : {}), selector: s.selector, ports },
  }];
  const behind = m.workloads.map((w, wi) => ({ w, wi }))
    .filter(({ w }) => w.ns === s.ns && w.ip !== undefined && Object.entries(s.selector).every(([k, v]) => (k === 'app' ? w.label : w.track) === v));
  if (behind.length === 0) return docs;
  docs.push({
    apiVersion: 'v1', kind: 'Endpoints', metadata: meta(s.name, s.ns),
    subsets: [{
      addresses: behind.map(({ w, wi }) => ({
        ip: `10.1.0.${w.ip}`,
        ...(w.podName === 'none' ? {} : { targetRef: { kind: 'Pod', name: w.podName === 'deployment' ? `w${wi}-5d8f7c9b4-abcde` : `other-${wi}`, namespace: s.ns } }),
      })),
      ports: ports.map((p) => ({ port: typeof p.targetPort === 'number' ? p.targetPort : p.targetPort === 'web' ? 8080 : p.port, ...(p.name ? { name: p.name } : {}), ...(p.protocol ? { protocol: p.protocol } : {}) })),
    }],
  });
  return docs;
}

const RULES: Record<string, Doc[]> = {
  'http-all': [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['all'] }],
  'http-get': [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['get'] }],
  'tcp-all': [{ kind: 'TCPRoute', name: 'tcp-all' }],
  'tcp-9000': [{ kind: 'TCPRoute', name: 'tcp-9000' }],
  both: [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['all'] }, { kind: 'TCPRoute', name: 'tcp-all' }],
};

/** Each namespace's ServiceAccounts and the route groups TrafficTargets name. */
function namespaceDocs(ns: string): Doc[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    ...IDENTITIES.map((id) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(id, ns) })),
    { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: meta('routes', ns), spec: { matches: [{ name: 'all', pathRegex: '.*' }, { name: 'get', methods: ['GET'] }] } },
    { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: meta('tcp-all', ns), spec: { matches: { ports: [] } } },
    { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: meta('tcp-9000', ns), spec: { matches: { ports: [9000] } } },
  ];
}

const MATCHES: Record<string, Doc[] | undefined> = {
  none: undefined,
  prefix: [{ path: { type: 'PathPrefix', value: '/api' } }],
  header: [{ headers: [{ name: 'x-canary', value: 'true' }] }],
  exact: [{ path: { type: 'Exact', value: '/' }, method: 'GET' }],
};
/** GRPCRoute matches: the gRPC service and method, a header; `prefix` and `exact` stand for a service, a method. */
const GRPC_MATCHES: Record<string, Doc[] | undefined> = {
  none: undefined,
  prefix: [{ method: { service: 'shop.Catalog' } }],
  header: [{ headers: [{ name: 'x-canary', value: 'true' }] }],
  exact: [{ method: { service: 'shop.Catalog', method: 'Get' } }],
};

/** A route on its parent Service, with a ReferenceGrant for its backends in the other namespace when it has one. */
function routeDocs(r: GeneratedMesh['routes'][number], i: number, service: (ref: number | string, ns: string) => Svc): Doc[] {
  const parent = service(r.parent, NAMESPACES[0]!);
  const matches = (r.kind === 'GRPCRoute' ? GRPC_MATCHES : MATCHES);
  const foreign = new Set<string>();
  const docs: Doc[] = [{
    apiVersion: 'gateway.networking.k8s.io/v1', kind: r.kind, metadata: meta(`route${i}`, parent.ns),
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: parent.name, ...(r.port !== undefined ? { port: r.port } : {}) }],
      rules: r.rules.map((rule) => ({
        ...(matches[rule.match] ? { matches: matches[rule.match] } : {}),
        backendRefs: rule.backends.map((b) => {
          const to = b.service === 'parent' ? parent : service(b.service, parent.ns);
          if (to.ns !== parent.ns) foreign.add(to.ns);
          return { name: to.name, ...(to.ns !== parent.ns ? { namespace: to.ns } : {}), port: r.port ?? 80, ...(b.weight !== undefined ? { weight: b.weight } : {}) };
        }),
      })),
    },
  }];
  if (r.granted) {
    for (const ns of foreign) {
      docs.push({
        apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: meta(`from-${parent.ns}-route${i}`, ns),
        spec: { from: [{ group: 'gateway.networking.k8s.io', kind: r.kind, namespace: parent.ns }], to: [{ group: '', kind: 'Service' }] },
      });
    }
  }
  return docs;
}

/** The generated mesh as manifests. */
export function manifests(m: GeneratedMesh): Doc[] {
  // A reference to a Service: one of the mesh's, or a name in the namespace of whatever refers to it.
  const service = (ref: number | string, ns: string): Svc => (typeof ref === 'string' ? { ns, name: ref } : m.services[ref % m.services.length]!);
  // Splits: one per root, in the root's namespace; backends are names there; with alignPorts each backend takes the root's ports.
  const splits = new Map<string, { root: Svc; backends: Map<string, number>; alignPorts: boolean }>();
  for (const sp of m.splits) {
    const root = service(sp.root, NAMESPACES[0]!);
    if (splits.has(keyOf(root))) continue;
    splits.set(keyOf(root), { root, backends: new Map(sp.backends.map((b) => [service(b.service, root.ns).name, b.weight])), alignPorts: sp.alignPorts });
  }
  const portsOf = new Map(m.services.map((s) => [keyOf(s), s.ports]));
  for (const [key, sp] of splits) {
    if (!sp.alignPorts || !portsOf.has(key)) continue;
    for (const b of sp.backends.keys()) {
      const bk = `${sp.root.ns}/${b}`;
      if (portsOf.has(bk) && bk !== key) portsOf.set(bk, portsOf.get(key)!);
    }
  }
  return [
    ...NAMESPACES.flatMap(namespaceDocs),
    ...workloadDocs(m),
    ...m.services.flatMap((s, i) => serviceDocs(m, s, i, portsOf.get(keyOf(s))!)),
    ...m.targets.map((t, i) => ({
      apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', metadata: meta(`t${i}`, t.ns),
      spec: {
        destination: { kind: 'ServiceAccount', name: t.destination, namespace: t.ns },
        sources: t.sources.map((x) => ({ kind: 'ServiceAccount', name: x.id, namespace: x.foreign ? NAMESPACES.find((n) => n !== t.ns)! : t.ns })),
        rules: RULES[t.rule],
      },
    })),
    ...[...splits.values()].map((sp, i) => ({
      apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: meta(`split${i}`, sp.root.ns),
      spec: { service: sp.root.name, backends: [...sp.backends].map(([svc, weight]) => ({ service: svc, weight })) },
    })),
    ...m.routes.flatMap((r, i) => routeDocs(r, i, service)),
  ];
}

/** The manifests as one YAML stream (JSON documents). */
export const manifestText = (m: GeneratedMesh): string => manifests(m).map((d) => JSON.stringify(d)).join('\n---\n');
