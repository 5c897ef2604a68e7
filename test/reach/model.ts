/**
 * Builds canonical model objects directly (no YAML), for unit tests of the
 * reachability engine in isolation. CLI tests go through YAML and the real builder.
 */
import { emptyMesh, type HTTPMatch, type Mesh, type ObjectMeta, type ServicePort } from '../../src/model/types.ts';

let doc = 0;
function meta(kind: string, ns: string, name: string, labels: Record<string, string> = {}): ObjectMeta {
  return { apiVersion: 'v1', kind, namespace: ns, name, labels, annotations: {}, origin: { doc: doc++, path: [] } };
}

export interface MeshSpec {
  services?: { ns: string; name: string; selector?: Record<string, string> | null; ports?: (number | Partial<ServicePort>)[] }[];
  workloads?: { ns: string; name: string; labels: Record<string, string>; sa?: string | null; ports?: { name?: string; port: number }[] }[];
  groups?: { ns: string; name: string; matches: Partial<HTTPMatch>[] }[];
  tcp?: { ns: string; name: string; ports: number[] }[];
  udp?: { ns: string; name: string; ports: number[] }[];
  targets?: { ns: string; name: string; dest: string; sources: string[]; rules: { kind: string; name: string; matches?: string[] }[] }[];
  splits?: { ns: string; name: string; service: string; backends: [string, number][]; matches?: string[] }[];
}

export function buildTestMesh(spec: MeshSpec): Mesh {
  const mesh = emptyMesh();
  for (const s of spec.services ?? []) {
    mesh.services.push({
      meta: meta('Service', s.ns, s.name),
      selector: s.selector === undefined ? { app: s.name } : s.selector,
      ports: (s.ports ?? [80]).map((p) => typeof p === 'number'
        ? { port: p, targetPort: p, protocol: 'TCP' as const }
        : { port: p.port!, targetPort: p.targetPort ?? p.port!, protocol: p.protocol ?? 'TCP', ...(p.name ? { name: p.name } : {}) }),
      type: 'ClusterIP',
    });
  }
  for (const w of spec.workloads ?? []) {
    mesh.workloads.push({
      meta: meta('Deployment', w.ns, w.name), workloadKind: 'Deployment', podLabels: w.labels,
      podSpecPath: ['spec', 'template', 'spec'], serviceAccountName: w.sa === undefined ? w.name : w.sa,
      probes: [],
      containerPorts: (w.ports ?? []).map((p) => ({ container: 'c', containerPort: p.port, protocol: 'TCP' as const, ...(p.name ? { name: p.name } : {}) })),
    });
  }
  for (const g of spec.groups ?? []) {
    mesh.httpRouteGroups.push({ meta: meta('HTTPRouteGroup', g.ns, g.name), matches: g.matches.map((m, i) => ({ name: m.name ?? `m${i}`, headers: m.headers ?? [], ...(m.pathRegex !== undefined ? { pathRegex: m.pathRegex } : {}), ...(m.methods ? { methods: m.methods } : {}) })) });
  }
  for (const t of spec.tcp ?? []) mesh.tcpRoutes.push({ meta: meta('TCPRoute', t.ns, t.name), ports: t.ports });
  for (const t of spec.udp ?? []) mesh.udpRoutes.push({ meta: meta('UDPRoute', t.ns, t.name), ports: t.ports });
  const subject = (s: string, ns: string) => {
    const [n, name] = s.includes('/') ? s.split('/') : [ns, s];
    return { kind: 'ServiceAccount', namespace: n, name, namespaceExplicit: s.includes('/') };
  };
  for (const t of spec.targets ?? []) {
    mesh.trafficTargets.push({
      meta: meta('TrafficTarget', t.ns, t.name), destination: subject(t.dest, t.ns),
      sources: t.sources.map((s) => subject(s, t.ns)), rules: t.rules.map((r) => ({ ...r })),
    });
  }
  for (const s of spec.splits ?? []) {
    mesh.trafficSplits.push({
      meta: meta('TrafficSplit', s.ns, s.name), service: s.service,
      backends: s.backends.map(([service, weight]) => ({ service, weight })),
      matches: (s.matches ?? []).map((name) => ({ kind: 'HTTPRouteGroup', name })), weightUnit: 'integer',
    });
  }
  return mesh;
}

/** The bookstore example as model objects (mirrors fixtures/bookstore). */
export function bookstoreSpec(): MeshSpec {
  return {
    services: [
      { ns: 'bookstore', name: 'bookstore', selector: { app: 'bookstore' }, ports: [14001] },
      { ns: 'bookstore', name: 'bookstore-v1', selector: { app: 'bookstore', version: 'v1' }, ports: [14001] },
      { ns: 'bookstore', name: 'bookstore-v2', selector: { app: 'bookstore', version: 'v2' }, ports: [14001] },
      { ns: 'bookwarehouse', name: 'bookwarehouse', ports: [14001] },
      { ns: 'bookwarehouse', name: 'mysql', ports: [3306] },
    ],
    workloads: [
      { ns: 'bookbuyer', name: 'bookbuyer', labels: { app: 'bookbuyer' } },
      { ns: 'bookthief', name: 'bookthief', labels: { app: 'bookthief' } },
      { ns: 'bookstore', name: 'bookstore-v1', labels: { app: 'bookstore', version: 'v1' }, sa: 'bookstore' },
      { ns: 'bookstore', name: 'bookstore-v2', labels: { app: 'bookstore', version: 'v2' } },
      { ns: 'bookwarehouse', name: 'bookwarehouse', labels: { app: 'bookwarehouse' } },
      { ns: 'bookwarehouse', name: 'mysql', labels: { app: 'mysql' } },
    ],
    groups: [
      { ns: 'bookstore', name: 'bookstore-service-routes', matches: [
        { name: 'books-bought', pathRegex: '/books-bought', methods: ['GET'], headers: [{ name: 'user-agent', value: '.*-http-client/.*' }, { name: 'client-app', value: 'bookbuyer' }] },
        { name: 'buy-a-book', pathRegex: '.*a-book.*new', methods: ['GET'] },
      ] },
      { ns: 'bookwarehouse', name: 'bookwarehouse-service-routes', matches: [{ name: 'restock-books', methods: ['POST'] }] },
    ],
    tcp: [{ ns: 'bookwarehouse', name: 'mysql', ports: [3306] }],
    targets: [
      { ns: 'bookstore', name: 'bookstore', dest: 'bookstore', sources: ['bookbuyer/bookbuyer'], rules: [{ kind: 'HTTPRouteGroup', name: 'bookstore-service-routes', matches: ['buy-a-book', 'books-bought'] }] },
      { ns: 'bookstore', name: 'bookstore-v2', dest: 'bookstore-v2', sources: ['bookbuyer/bookbuyer'], rules: [{ kind: 'HTTPRouteGroup', name: 'bookstore-service-routes', matches: ['buy-a-book', 'books-bought'] }] },
      { ns: 'bookwarehouse', name: 'bookwarehouse', dest: 'bookwarehouse', sources: ['bookstore/bookstore', 'bookstore/bookstore-v2'], rules: [{ kind: 'HTTPRouteGroup', name: 'bookwarehouse-service-routes', matches: ['restock-books'] }] },
      { ns: 'bookwarehouse', name: 'mysql', dest: 'mysql', sources: ['bookwarehouse'], rules: [{ kind: 'TCPRoute', name: 'mysql' }] },
    ],
    splits: [{ ns: 'bookstore', name: 'bookstore-split', service: 'bookstore', backends: [['bookstore-v1', 90], ['bookstore-v2', 10]] }],
  };
}
