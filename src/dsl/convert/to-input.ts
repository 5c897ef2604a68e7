/**
 * The canonical model → a DSL mesh description (the argument of defineMesh).
 * Used by `meshc import` (printed as TypeScript) and `meshc export`
 * (rendered into the latest SMI versions), so both directions go through the
 * same model whatever version the input was written in.
 *
 * The model holds what meshc needs; fields it does not model (container
 * images, commands, environment, selectors) are taken from the raw object
 * when it is available. Names the mesh does not define become external(…),
 * so the generated file type-checks. Deterministic: namespaces and objects
 * sorted by name, lists in source order.
 */
import type { Origin } from '../../core/types.ts';
import { catalogMessage, type CatalogMessage } from '../../core/catalog/index.ts';
import type {
  HTTPRouteGroup, IdentitySubject, Mesh, ObjectMeta, Service, TCPRoute, TrafficSplit, TrafficTarget, UDPRoute, Workload,
} from '../../model/types.ts';
import { external } from '../api/index.ts';
import type { MeshInput } from '../api/types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Conversion {
  input: MeshInput;
  /** What the DSL cannot say exactly (reported as warnings). */
  problems: (CatalogMessage & { origin: Origin })[];
}

const byName = <T extends { meta: ObjectMeta }>(a: T, b: T) => (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0);
const key = (ns: string, name: string) => `${ns}/${name}`;

function metaFields(meta: ObjectMeta): Obj {
  const out: Obj = {};
  if (Object.keys(meta.labels).length > 0) out.labels = { ...meta.labels };
  if (Object.keys(meta.annotations).length > 0) out.annotations = { ...meta.annotations };
  return out;
}

function sameLabels(a: unknown, b: Record<string, string>): boolean {
  if (!isObj(a)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

const WORKLOAD_FIELD: Record<string, string> = {
  Deployment: 'deployments', StatefulSet: 'statefulSets', DaemonSet: 'daemonSets', ReplicaSet: 'replicaSets', Pod: 'pods',
};

export function modelToInput(mesh: Mesh, rawOf: (origin: Origin) => Obj | undefined): Conversion {
  const problems: Conversion['problems'] = [];
  const namespaces = new Map<string, Obj>();
  const nsOf = (name: string): Obj => {
    let ns = namespaces.get(name);
    if (!ns) namespaces.set(name, (ns = { declare: false }));
    return ns;
  };
  const record = (ns: string, field: string): Obj => {
    const n = nsOf(ns);
    return (n[field] ??= {}) as Obj;
  };

  // Every namespace that appears becomes a key first: references check against them.
  for (const n of mesh.namespaces) {
    const ns = nsOf(n.meta.name);
    delete ns.declare;
    Object.assign(ns, metaFields(n.meta));
  }
  // What meshc lowered from Gateway API routes is no object of the input: the routes themselves pass through (below).
  // As SMI, one TrafficSplit per route rule would not even be valid (one split per root) nor mean the same.
  const fromGateway = (o: { synthesizedFrom?: { kind: string } }) => o.synthesizedFrom?.kind === 'HTTPRoute' || o.synthesizedFrom?.kind === 'GRPCRoute';
  const routeGroups = mesh.httpRouteGroups.filter((g) => !fromGateway(g));
  const splits = mesh.trafficSplits.filter((t) => !fromGateway(t));
  const objects: { meta: ObjectMeta }[] = [
    ...mesh.serviceAccounts, ...mesh.services, ...mesh.workloads, ...routeGroups, ...mesh.tcpRoutes, ...mesh.udpRoutes,
    ...mesh.trafficTargets, ...mesh.identityBindings, ...splits,
  ];
  for (const o of objects) if (o.meta.namespace) nsOf(o.meta.namespace);

  const sas = new Set(mesh.serviceAccounts.map((s) => key(s.meta.namespace, s.meta.name)));
  const services = new Set(mesh.services.map((s) => key(s.meta.namespace, s.meta.name)));
  const bindings = new Set(mesh.identityBindings.map((s) => key(s.meta.namespace, s.meta.name)));
  const groups = new Map(routeGroups.map((g) => [key(g.meta.namespace, g.meta.name), new Set(g.matches.map((m) => m.name))]));
  const udp = new Set(mesh.udpRoutes.map((r) => key(r.meta.namespace, r.meta.name)));
  // Routes meshc synthesised from old TrafficTarget ports get a real, valid name.
  const tcpNames = new Map<string, string>();
  const taken = new Set(mesh.tcpRoutes.filter((r) => !r.synthesizedFrom).map((r) => key(r.meta.namespace, r.meta.name)));
  for (const r of mesh.tcpRoutes) {
    let name = r.meta.name;
    if (r.synthesizedFrom) {
      const base = name.replace(/:/g, '-');
      name = base;
      for (let i = 2; taken.has(key(r.meta.namespace, name)); i++) name = `${base}-${i}`;
      taken.add(key(r.meta.namespace, name));
    }
    tcpNames.set(key(r.meta.namespace, r.meta.name), name);
  }

  const saRef = (ns: string, name: string | null): unknown => {
    if (name === null) return undefined;
    return sas.has(key(ns, name)) || name === 'default' ? name : external(name);
  };

  for (const sa of [...mesh.serviceAccounts].sort(byName)) {
    const fields = metaFields(sa.meta);
    const rec = record(sa.meta.namespace, 'serviceAccounts');
    rec[sa.meta.name] = fields;
  }
  // Service accounts without metadata read better as a list.
  for (const ns of namespaces.values()) {
    const rec = ns.serviceAccounts as Obj | undefined;
    if (rec && Object.values(rec).every((v) => isObj(v) && Object.keys(v).length === 0)) ns.serviceAccounts = Object.keys(rec);
  }

  for (const s of [...mesh.services].sort(byName)) record(s.meta.namespace, 'services')[s.meta.name] = service(s);

  for (const w of [...mesh.workloads].sort(byName)) {
    record(w.meta.namespace, WORKLOAD_FIELD[w.workloadKind]!)[w.meta.name] = workload(w, rawOf(w.meta.origin), saRef(w.meta.namespace, w.serviceAccountName));
  }

  for (const g of [...routeGroups].sort(byName)) record(g.meta.namespace, 'httpRouteGroups')[g.meta.name] = routeGroup(g, problems);

  for (const r of [...mesh.tcpRoutes].sort((a, b) => byName({ meta: { ...a.meta, name: tcpNames.get(key(a.meta.namespace, a.meta.name))! } }, { meta: { ...b.meta, name: tcpNames.get(key(b.meta.namespace, b.meta.name))! } }))) {
    record(r.meta.namespace, 'tcpRoutes')[tcpNames.get(key(r.meta.namespace, r.meta.name))!] = portRoute(r);
  }
  for (const r of [...mesh.udpRoutes].sort(byName)) record(r.meta.namespace, 'udpRoutes')[r.meta.name] = portRoute(r);

  for (const b of [...mesh.identityBindings].sort(byName)) {
    const out: Obj = metaFields(b.meta);
    if (b.podLabelSelector) out.podLabelSelector = { ...b.podLabelSelector };
    if (b.serviceAccount !== undefined) out.serviceAccount = b.serviceAccount;
    if (b.spiffeIdentities) out.spiffeIdentities = [...b.spiffeIdentities];
    record(b.meta.namespace, 'identityBindings')[b.meta.name] = out;
  }

  const subject = (s: IdentitySubject, here: string, origin: Origin): unknown => {
    if (s.kind !== 'ServiceAccount' && s.kind !== 'IdentityBinding') {
      problems.push({ ...catalogMessage('MESH0920', { kind: JSON.stringify(s.kind), namespace: s.namespace, name: s.name }), origin });
    }
    if (s.kind !== 'ServiceAccount') {
      const known = s.kind === 'IdentityBinding' && bindings.has(key(s.namespace, s.name));
      const out: Obj = { kind: s.kind, name: known ? s.name : external(s.name) };
      if (s.namespaceExplicit) out.namespace = s.namespace;
      return out;
    }
    const known = sas.has(key(s.namespace, s.name)) || (s.name === 'default' && namespaces.has(s.namespace));
    if (!s.namespaceExplicit) return { name: known ? s.name : external(s.name) };
    if (!known) return external(`${s.namespace}/${s.name}`);
    return s.namespace === here ? s.name : `${s.namespace}/${s.name}`;
  };

  for (const t of [...mesh.trafficTargets].sort(byName)) {
    record(t.meta.namespace, 'trafficTargets')[t.meta.name] = trafficTarget(t, (x, here) => subject(x, here, t.meta.origin), groups, tcpNames, udp, problems);
  }
  for (const s of [...splits].sort(byName)) record(s.meta.namespace, 'trafficSplits')[s.meta.name] = trafficSplit(s, services, groups);

  const input: Obj = {};
  if (namespaces.size > 0) {
    input.namespaces = Object.fromEntries([...namespaces.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  const resources = passedThrough(mesh, rawOf);
  if (resources.length > 0) input.resources = resources;
  return { input: input as MeshInput, problems };
}

/**
 * Objects the DSL has no words for, as written: Endpoints, EndpointSlices, ReachabilityTests, OSM kinds, Gateway API
 * routes and ReferenceGrants, … (each once, in input order per kind).
 */
function passedThrough(mesh: Mesh, rawOf: (origin: Origin) => Obj | undefined): Obj[] {
  const resources: Obj[] = [];
  const seen = new Set<string>();
  const osm = [...mesh.meshConfigs, ...mesh.egresses, ...mesh.ingressBackends, ...mesh.upstreamTrafficSettings, ...mesh.retries];
  const gateway = [...mesh.gammaRoutes, ...mesh.referenceGrants];
  for (const origin of [...mesh.endpoints.map((e) => e.meta.origin), ...osm.map((o) => o.meta.origin), ...gateway.map((o) => o.meta.origin), ...mesh.extra.map((e) => e.origin)]) {
    const id = JSON.stringify([origin.doc, origin.path]);
    if (seen.has(id)) continue;
    seen.add(id);
    const raw = rawOf(origin);
    if (raw) resources.push(raw);
  }
  return resources;
}

function service(s: Service): Obj {
  const out: Obj = metaFields(s.meta);
  if (s.type !== 'ClusterIP') out.type = s.type;
  if (s.clusterIP !== undefined) out.clusterIP = s.clusterIP;
  if (s.selector) out.selector = { ...s.selector };
  out.ports = s.ports.map((p) => {
    const port: Obj = {};
    if (p.name !== undefined) port.name = p.name;
    port.port = p.port;
    if (p.targetPort !== p.port) port.targetPort = p.targetPort;
    if (p.protocol !== 'TCP') port.protocol = p.protocol;
    if (p.appProtocol !== undefined) port.appProtocol = p.appProtocol;
    return port;
  });
  if (s.externalName !== undefined) out.externalName = s.externalName;
  return out;
}

function containers(w: Workload, raw: Obj | undefined): Obj[] {
  const spec = isObj(raw?.spec) ? (raw!.spec as Obj) : {};
  const podSpec = w.workloadKind === 'Pod' ? spec : isObj(spec.template) && isObj((spec.template as Obj).spec) ? ((spec.template as Obj).spec as Obj) : undefined;
  const rawContainers = podSpec && Array.isArray(podSpec.containers) ? podSpec.containers.filter(isObj) : undefined;
  if (rawContainers) {
    // The model lists container ports container by container, in order: take each
    // container's own by position, not by name (a name may be missing or repeated).
    let next = 0;
    return rawContainers.map((c) => {
      const out: Obj = { name: typeof c.name === 'string' ? c.name : '' };
      for (const k of ['image', 'command', 'args']) if (c[k] !== undefined) out[k] = c[k];
      // Probes after ports, as a pod spec lists them: compile rewrites them to the sidecar's probe listeners.
      const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'].filter((k) => isObj(c[k]));
      const count = Array.isArray(c.ports) ? c.ports.length : 0;
      const ports = w.containerPorts.slice(next, next + count);
      next += count;
      if (ports.length > 0) out.ports = ports.map(containerPort);
      for (const k of probes) out[k] = c[k];
      if (Array.isArray(c.env) && c.env.length > 0) {
        const plain = c.env.every((e) => isObj(e) && typeof e.name === 'string' && typeof e.value === 'string' && Object.keys(e).length === 2);
        out.env = plain ? Object.fromEntries(c.env.map((e) => [(e as Obj).name, (e as Obj).value])) : c.env;
      }
      return out;
    });
  }
  const names = [...new Set(w.containerPorts.map((p) => p.container))];
  return names.map((name) => ({ name, ports: w.containerPorts.filter((p) => p.container === name).map(containerPort) }));
}

function containerPort(p: Workload['containerPorts'][number]): Obj {
  const out: Obj = {};
  if (p.name !== undefined) out.name = p.name;
  out.containerPort = p.containerPort;
  if (p.protocol !== 'TCP') out.protocol = p.protocol;
  return out;
}

function workload(w: Workload, raw: Obj | undefined, serviceAccount: unknown): Obj {
  const out: Obj = metaFields(w.meta);
  if (w.workloadKind === 'Pod') {
    if (serviceAccount !== undefined) out.serviceAccount = serviceAccount;
    out.containers = containers(w, raw);
    if (w.podIP !== undefined) out.podIP = w.podIP;
    return out;
  }
  if (w.replicas !== undefined) out.replicas = w.replicas;
  const spec = isObj(raw?.spec) ? (raw!.spec as Obj) : {};
  if (w.workloadKind === 'StatefulSet' && typeof spec.serviceName === 'string') out.serviceName = spec.serviceName;
  if (serviceAccount !== undefined) out.serviceAccount = serviceAccount;
  const matchLabels = isObj(spec.selector) ? (spec.selector as Obj).matchLabels : undefined;
  if (isObj(matchLabels) && !sameLabels(matchLabels, w.podLabels)) out.selector = { ...matchLabels };
  out.podLabels = { ...w.podLabels };
  const templateMeta = isObj(spec.template) && isObj((spec.template as Obj).metadata) ? ((spec.template as Obj).metadata as Obj) : {};
  if (isObj(templateMeta.annotations) && Object.keys(templateMeta.annotations).length > 0) out.podAnnotations = { ...templateMeta.annotations };
  out.containers = containers(w, raw);
  return out;
}

function routeGroup(g: HTTPRouteGroup, problems: Conversion['problems']): Obj {
  const out: Obj = metaFields(g.meta);
  const matches: Obj = {};
  for (const m of g.matches) {
    if (m.name in matches) {
      problems.push({ ...catalogMessage('MESH0912', { namespace: g.meta.namespace, name: g.meta.name, match: JSON.stringify(m.name) }), origin: g.meta.origin });
      continue;
    }
    const match: Obj = {};
    if (m.pathRegex !== undefined) match.pathRegex = m.pathRegex;
    if (m.methods !== undefined) match.methods = [...m.methods];
    if (m.headers.length > 0) match.headers = Object.fromEntries(m.headers.map((h) => [h.name, h.value]));
    matches[m.name] = match;
  }
  out.matches = matches;
  return out;
}

function portRoute(r: TCPRoute | UDPRoute): Obj {
  const out: Obj = metaFields(r.meta);
  if ('synthesizedFrom' in r && r.synthesizedFrom) out.annotations = { ...(out.annotations as Obj), 'meshc.dev/synthesized-from': `TrafficTarget ${r.synthesizedFrom.namespace}/${r.synthesizedFrom.name}` };
  if (r.ports.length > 0) out.ports = [...r.ports];
  return out;
}

function trafficTarget(t: TrafficTarget, subject: (s: IdentitySubject, here: string) => unknown, groups: Map<string, Set<string>>, tcpNames: Map<string, string>, udp: Set<string>, problems: Conversion['problems']): Obj {
  const ns = t.meta.namespace;
  const out: Obj = metaFields(t.meta);
  out.destination = subject(t.destination, ns);
  out.rules = t.rules.map((r) => {
    if ((r.kind === 'TCPRoute' || r.kind === 'UDPRoute') && r.matches !== undefined) {
      problems.push({ ...catalogMessage('MESH0921', { namespace: ns, name: t.meta.name, kind: r.kind, rule: r.name }), origin: t.meta.origin });
    }
    if (r.kind === 'HTTPRouteGroup') {
      const matches = groups.get(key(ns, r.name));
      const rule: Obj = { kind: r.kind, name: matches ? r.name : external(r.name) };
      if (r.matches !== undefined) rule.matches = r.matches.map((m) => (!matches || matches.has(m) ? m : external(m)));
      return rule;
    }
    if (r.kind === 'TCPRoute') {
      const name = tcpNames.get(key(ns, r.name));
      return { kind: r.kind, name: name ?? external(r.name) };
    }
    if (r.kind === 'UDPRoute') return { kind: r.kind, name: udp.has(key(ns, r.name)) ? r.name : external(r.name) };
    const rule: Obj = { kind: r.kind, name: r.name };
    if (r.matches !== undefined) rule.matches = [...r.matches];
    return rule;
  });
  out.sources = t.sources.map((s) => subject(s, ns));
  return out;
}

function trafficSplit(s: TrafficSplit, services: Set<string>, groups: Map<string, Set<string>>): Obj {
  const ns = s.meta.namespace;
  const svc = (name: string) => (services.has(key(ns, name)) ? name : external(name));
  const out: Obj = metaFields(s.meta);
  out.service = svc(s.service);
  out.backends = s.backends.map((b) => ({ service: svc(b.service), weight: b.weight }));
  if (s.matches.length > 0) {
    out.matches = s.matches.map((m) => {
      const match: Obj = { kind: m.kind, name: groups.has(key(ns, m.name)) ? m.name : external(m.name) };
      if (m.apiGroup !== undefined) match.apiGroup = m.apiGroup;
      return match;
    });
  }
  return out;
}
