/**
 * The DSL's `namespaces` section rendered (render.ts renderMesh): each
 * namespace's service accounts, services, workloads, routes, traffic targets,
 * identity bindings and traffic splits become SMI and Kubernetes documents in
 * the latest versions, each field recorded against the literal it came from.
 */
import {
  API_VERSIONS, copy, Doc, entries, isObj, meta, name, structuredCopy, tagOf, unknownField, wrongShape,
  type Emit, type Entry, type Obj, type OutPath, type Problem, type SourceRef,
} from './render-doc.ts';

const NAMESPACE_FIELDS = [
  'declare', 'labels', 'annotations', 'serviceAccounts', 'services', 'deployments', 'statefulSets', 'daemonSets',
  'replicaSets', 'pods', 'httpRouteGroups', 'tcpRoutes', 'udpRoutes', 'trafficTargets', 'identityBindings', 'trafficSplits',
];

const WORKLOAD_KINDS: [string, string][] = [
  ['deployments', 'Deployment'], ['statefulSets', 'StatefulSet'], ['daemonSets', 'DaemonSet'], ['replicaSets', 'ReplicaSet'], ['pods', 'Pod'],
];

export function renderNamespace(ns: string, spec: unknown, nsRef: SourceRef | null, emit: Emit, problem: Problem): void {
  if (!isObj(spec)) {
    problem(wrongShape(`namespace ${ns}`, 'an object (its service accounts, services, workloads and policy)', spec), nsRef);
    return;
  }
  const lit = tagOf(spec);
  const ref = (prop: string): SourceRef | null => (lit === undefined ? null : { lit, prop });
  for (const k of Object.keys(spec)) {
    if (!NAMESPACE_FIELDS.includes(k)) problem(unknownField(k, `namespace ${ns}`, NAMESPACE_FIELDS), lit === undefined ? null : { lit, prop: k, key: true });
  }

  if (spec.declare !== false) {
    const doc = new Doc({});
    const m: Obj = { name: ns };
    doc.at([], nsRef);
    doc.at(['metadata'], nsRef);
    doc.at(['metadata', 'name'], nsRef);
    for (const k of ['labels', 'annotations']) {
      if (spec[k] !== undefined) {
        m[k] = structuredCopy(spec[k]);
        doc.field(['metadata', k], spec, k);
      }
    }
    Object.assign(doc.value, { apiVersion: 'v1', kind: 'Namespace', metadata: m });
    emit(doc);
  }

  for (const e of entries(spec.serviceAccounts, `namespace ${ns}: serviceAccounts`, ref('serviceAccounts'), problem, true)) {
    const doc = new Doc({});
    Object.assign(doc.value, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(doc, e, ns, nsRef) });
    emit(doc);
  }

  for (const e of entries(spec.services, `namespace ${ns}: services`, ref('services'), problem)) {
    const doc = new Doc({});
    const body: Obj = {};
    if (isObj(e.value)) {
      copy(doc, body, ['spec'], e.value, ['type', 'clusterIP', 'selector', 'ports', 'externalName']);
      doc.at(['spec'], e.valueRef);
    } else problem(wrongShape(`Service ${ns}/${e.name}`, 'an object', e.value), e.valueRef);
    Object.assign(doc.value, { apiVersion: 'v1', kind: 'Service', metadata: meta(doc, e, ns, nsRef), spec: body });
    emit(doc);
  }

  for (const [field, kind] of WORKLOAD_KINDS) {
    for (const e of entries(spec[field], `namespace ${ns}: ${field}`, ref(field), problem)) {
      if (!isObj(e.value)) {
        problem(wrongShape(`${kind} ${ns}/${e.name}`, 'an object', e.value), e.valueRef);
        continue;
      }
      emit(renderWorkload(kind, e, ns, nsRef));
    }
  }

  for (const e of entries(spec.httpRouteGroups, `namespace ${ns}: httpRouteGroups`, ref('httpRouteGroups'), problem)) {
    const doc = new Doc({});
    const body: Obj = {};
    doc.at(['spec'], e.valueRef);
    if (isObj(e.value)) {
      const matchesRef = tagOf(e.value) === undefined ? null : { lit: tagOf(e.value)!, prop: 'matches' };
      doc.at(['spec', 'matches'], matchesRef);
      const matches: Obj[] = [];
      entries(e.value.matches, `HTTPRouteGroup ${ns}/${e.name}: matches`, matchesRef, problem).forEach((m, i) => {
        const out: Obj = { name: m.name };
        doc.at(['spec', 'matches', i], m.valueRef);
        doc.at(['spec', 'matches', i, 'name'], m.keyRef);
        if (isObj(m.value)) copy(doc, out, ['spec', 'matches', i], m.value, ['pathRegex', 'methods', 'headers']);
        else problem(wrongShape(`match ${m.name}`, 'an object (pathRegex, methods, headers)', m.value), m.valueRef);
        matches.push(out);
      });
      body.matches = matches;
    } else problem(wrongShape(`HTTPRouteGroup ${ns}/${e.name}`, 'an object with matches', e.value), e.valueRef);
    Object.assign(doc.value, { apiVersion: API_VERSIONS.specs, kind: 'HTTPRouteGroup', metadata: meta(doc, e, ns, nsRef), spec: body });
    emit(doc);
  }

  for (const [field, kind] of [['tcpRoutes', 'TCPRoute'], ['udpRoutes', 'UDPRoute']] as const) {
    for (const e of entries(spec[field], `namespace ${ns}: ${field}`, ref(field), problem)) {
      const doc = new Doc({});
      const matches: Obj = { ports: [] };
      doc.at(['spec'], e.valueRef);
      doc.at(['spec', 'matches'], e.valueRef);
      if (isObj(e.value)) copy(doc, matches, ['spec', 'matches'], e.value, ['ports']);
      else problem(wrongShape(`${kind} ${ns}/${e.name}`, 'an object (ports)', e.value), e.valueRef);
      Object.assign(doc.value, { apiVersion: API_VERSIONS.specs, kind, metadata: meta(doc, e, ns, nsRef), spec: { matches } });
      emit(doc);
    }
  }

  for (const e of entries(spec.identityBindings, `namespace ${ns}: identityBindings`, ref('identityBindings'), problem)) {
    const doc = new Doc({});
    const schemes: Obj = {};
    doc.at(['spec'], e.valueRef);
    doc.at(['spec', 'schemes'], e.valueRef);
    if (isObj(e.value)) {
      if (e.value.podLabelSelector !== undefined) {
        schemes.podLabelSelector = { matchLabels: structuredCopy(e.value.podLabelSelector) };
        doc.field(['spec', 'schemes', 'podLabelSelector'], e.value, 'podLabelSelector');
        doc.field(['spec', 'schemes', 'podLabelSelector', 'matchLabels'], e.value, 'podLabelSelector');
      }
      copy(doc, schemes, ['spec', 'schemes'], e.value, ['serviceAccount', 'spiffeIdentities']);
    } else problem(wrongShape(`IdentityBinding ${ns}/${e.name}`, 'an object', e.value), e.valueRef);
    Object.assign(doc.value, { apiVersion: API_VERSIONS.accessDraft, kind: 'IdentityBinding', metadata: meta(doc, e, ns, nsRef), spec: { schemes } });
    emit(doc);
  }

  for (const e of entries(spec.trafficTargets, `namespace ${ns}: trafficTargets`, ref('trafficTargets'), problem)) {
    emit(renderTrafficTarget(e, ns, nsRef, problem));
  }

  for (const e of entries(spec.trafficSplits, `namespace ${ns}: trafficSplits`, ref('trafficSplits'), problem)) {
    emit(renderTrafficSplit(e, ns, nsRef, problem));
  }
}

function renderContainers(doc: Doc, path: OutPath, containers: unknown): unknown {
  if (!Array.isArray(containers)) return structuredCopy(containers);
  return containers.map((c, i) => {
    if (!isObj(c)) return structuredCopy(c);
    const out: Obj = {};
    copy(doc, out, [...path, i], c, ['name', 'image', 'command', 'args', 'ports', 'livenessProbe', 'readinessProbe', 'startupProbe']);
    if (c.env !== undefined) {
      doc.field([...path, i, 'env'], c, 'env');
      if (isObj(c.env)) {
        const lit = tagOf(c.env);
        out.env = Object.keys(c.env).map((k, j) => {
          if (lit !== undefined) {
            doc.at([...path, i, 'env', j], { lit, prop: k, key: true });
            doc.at([...path, i, 'env', j, 'name'], { lit, prop: k, key: true });
            doc.at([...path, i, 'env', j, 'value'], { lit, prop: k });
          }
          return { name: k, value: structuredCopy((c.env as Obj)[k]) };
        });
      } else out.env = structuredCopy(c.env);
    }
    return out;
  });
}

function renderWorkload(kind: string, e: Entry, ns: string, nsRef: SourceRef | null): Doc {
  const doc = new Doc({});
  const w = e.value as Obj;
  const lit = tagOf(w);
  const ref = (prop: string): SourceRef | null => (lit === undefined ? null : { lit, prop });
  if (kind === 'Pod') {
    const podSpec: Obj = {};
    doc.at(['spec'], e.valueRef);
    copy(doc, podSpec, ['spec'], w, ['serviceAccount'], { serviceAccount: 'serviceAccountName' });
    if (w.containers !== undefined) {
      doc.field(['spec', 'containers'], w, 'containers');
      podSpec.containers = renderContainers(doc, ['spec', 'containers'], w.containers);
    }
    const value: Obj = { apiVersion: 'v1', kind, metadata: meta(doc, e, ns, nsRef), spec: podSpec };
    if (w.podIP !== undefined) {
      value.status = { podIP: structuredCopy(w.podIP) };
      doc.field(['status', 'podIP'], w, 'podIP');
    }
    Object.assign(doc.value, value);
    return doc;
  }
  const spec: Obj = {};
  doc.at(['spec'], e.valueRef);
  copy(doc, spec, ['spec'], w, kind === 'DaemonSet' ? [] : ['replicas']);
  if (kind === 'StatefulSet') copy(doc, spec, ['spec'], w, ['serviceName']);
  const selector = w.selector ?? w.podLabels;
  spec.selector = { matchLabels: structuredCopy(selector ?? {}) };
  const selectorKey = w.selector !== undefined ? 'selector' : 'podLabels';
  doc.field(['spec', 'selector'], w, selectorKey);
  doc.field(['spec', 'selector', 'matchLabels'], w, selectorKey);
  const templateMeta: Obj = {};
  doc.at(['spec', 'template'], e.valueRef);
  doc.at(['spec', 'template', 'metadata'], ref('podLabels') ?? e.valueRef);
  copy(doc, templateMeta, ['spec', 'template', 'metadata'], w, ['podLabels', 'podAnnotations'], { podLabels: 'labels', podAnnotations: 'annotations' });
  const podSpec: Obj = {};
  doc.at(['spec', 'template', 'spec'], e.valueRef);
  copy(doc, podSpec, ['spec', 'template', 'spec'], w, ['serviceAccount'], { serviceAccount: 'serviceAccountName' });
  if (w.containers !== undefined) {
    doc.field(['spec', 'template', 'spec', 'containers'], w, 'containers');
    podSpec.containers = renderContainers(doc, ['spec', 'template', 'spec', 'containers'], w.containers);
  }
  spec.template = { metadata: templateMeta, spec: podSpec };
  Object.assign(doc.value, { apiVersion: 'apps/v1', kind, metadata: meta(doc, e, ns, nsRef), spec });
  return doc;
}

/** 'name' → same namespace (explicit), 'ns/name', or the SMI object form (namespace as written). */
function renderSubject(doc: Doc, path: OutPath, s: unknown, ns: string, ref: SourceRef | null): Obj {
  doc.at(path, ref);
  const v = name(s);
  if (typeof v === 'string') {
    const slash = v.indexOf('/');
    return slash >= 0
      ? { kind: 'ServiceAccount', name: v.slice(slash + 1), namespace: v.slice(0, slash) }
      : { kind: 'ServiceAccount', name: v, namespace: ns };
  }
  if (!isObj(v)) return structuredCopy(v) as Obj;
  doc.mirror(path, v);
  const out = structuredCopy(v) as Obj;
  if (out.kind === undefined) out.kind = 'ServiceAccount';
  // Key order as in SMI manifests.
  const { kind, name: n, namespace, ...rest } = out;
  return { kind, name: n, ...(namespace !== undefined ? { namespace } : {}), ...rest };
}

function renderTrafficTarget(e: Entry, ns: string, nsRef: SourceRef | null, problem: Problem): Doc {
  const doc = new Doc({});
  const body: Obj = {};
  doc.at(['spec'], e.valueRef);
  const t = e.value;
  let draft = false;
  if (isObj(t)) {
    const lit = tagOf(t);
    const ref = (prop: string | number, of: unknown = t): SourceRef | null => {
      const l = tagOf(of);
      return l === undefined ? null : { lit: l, prop };
    };
    if (t.destination !== undefined) body.destination = renderSubject(doc, ['spec', 'destination'], t.destination, ns, ref('destination'));
    if (t.rules !== undefined) {
      body.rules = structuredCopy(t.rules);
      doc.field(['spec', 'rules'], t, 'rules');
    }
    if (t.sources !== undefined) {
      doc.at(['spec', 'sources'], ref('sources'));
      body.sources = Array.isArray(t.sources)
        ? t.sources.map((s, i) => renderSubject(doc, ['spec', 'sources', i], s, ns, ref(i, t.sources)))
        : structuredCopy(t.sources);
    }
    const subjects = [body.destination, ...(Array.isArray(body.sources) ? body.sources : [])];
    draft = subjects.some((s) => isObj(s) && s.kind === 'IdentityBinding');
    for (const k of Object.keys(t)) {
      if (!['labels', 'annotations', 'destination', 'rules', 'sources'].includes(k)) {
        problem(unknownField(k, `TrafficTarget ${ns}/${e.name}`, ['destination', 'rules', 'sources', 'labels', 'annotations']), lit === undefined ? null : { lit, prop: k, key: true });
      }
    }
  } else problem(wrongShape(`TrafficTarget ${ns}/${e.name}`, 'an object (destination, rules, sources)', t), e.valueRef);
  Object.assign(doc.value, {
    apiVersion: draft ? API_VERSIONS.accessDraft : API_VERSIONS.access, kind: 'TrafficTarget', metadata: meta(doc, e, ns, nsRef), spec: body,
  });
  return doc;
}

function renderTrafficSplit(e: Entry, ns: string, nsRef: SourceRef | null, problem: Problem): Doc {
  const doc = new Doc({});
  const body: Obj = {};
  doc.at(['spec'], e.valueRef);
  const s = e.value;
  if (isObj(s)) {
    const lit = tagOf(s);
    copy(doc, body, ['spec'], s, ['service']);
    if (s.backends !== undefined && s.weights !== undefined) {
      problem({ code: 'MESH0923', args: { namespace: ns, name: e.name } }, lit === undefined ? null : { lit, prop: 'weights', key: true });
    }
    if (s.backends !== undefined) copy(doc, body, ['spec'], s, ['backends']);
    else if (s.weights !== undefined) {
      doc.field(['spec', 'backends'], s, 'weights');
      if (isObj(s.weights)) {
        const wl = tagOf(s.weights);
        body.backends = Object.keys(s.weights).map((svc, i) => {
          if (wl !== undefined) {
            doc.at(['spec', 'backends', i], { lit: wl, prop: svc, key: true });
            doc.at(['spec', 'backends', i, 'service'], { lit: wl, prop: svc, key: true });
            doc.at(['spec', 'backends', i, 'weight'], { lit: wl, prop: svc });
          }
          return { service: svc, weight: structuredCopy((s.weights as Obj)[svc]) };
        });
      } else body.backends = structuredCopy(s.weights);
    }
    copy(doc, body, ['spec'], s, ['matches']);
    for (const k of Object.keys(s)) {
      if (!['labels', 'annotations', 'service', 'backends', 'weights', 'matches'].includes(k)) {
        problem(unknownField(k, `TrafficSplit ${ns}/${e.name}`, ['service', 'backends', 'weights', 'matches', 'labels', 'annotations']), lit === undefined ? null : { lit, prop: k, key: true });
      }
    }
  } else problem(wrongShape(`TrafficSplit ${ns}/${e.name}`, 'an object (service, backends or weights)', s), e.valueRef);
  Object.assign(doc.value, { apiVersion: API_VERSIONS.split, kind: 'TrafficSplit', metadata: meta(doc, e, ns, nsRef), spec: body });
  return doc;
}
