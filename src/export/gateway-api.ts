/**
 * `meshc export --format gateway-api`: the mesh as SMI YAML (latest
 * versions) with every TrafficSplit replaced by the Gateway API HTTPRoute
 * (GAMMA) that routes the same: a producer route on the root Service, one
 * rule with the weighted backendRefs; for a split with `matches`, a rule
 * with those matches and a last catch-all rule that keeps sending other
 * requests to the root Service itself (SMI's behaviour; a GAMMA route
 * would otherwise answer 404). TrafficTargets and HTTPRouteGroups stay:
 * Gateway API has no authorization (docs/guide-gamma.md).
 */
import { parseAllDocuments } from 'yaml';
import { DiagnosticSink, sortDiagnostics } from '../core/diagnostics.ts';
import type { MeshcConfig } from '../config/types.ts';
import { exportMesh, type Converted } from '../dsl/convert/index.ts';
import { printYaml } from '../dsl/convert/print-yaml.ts';
import { loadMesh } from '../pipeline/check.ts';
import { GATEWAY } from '../schema/kinds.ts';
import type { HTTPMatch, HTTPRouteGroup, Mesh, TrafficSplit } from '../model/types.ts';
import { splitRootKey } from '../reach/compute.ts';

type Obj = Record<string, unknown>;

const META = /[\\^$.|?*+()[\]{}]/;
/** The literal a regex stands for, when it is one (escapes undone), else undefined. */
function literalOf(regex: string): string | undefined {
  let out = '';
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i]!;
    if (c === '\\' && i + 1 < regex.length && META.test(regex[i + 1]!)) out += regex[++i];
    else if (META.test(c)) return undefined;
    else out += c;
  }
  return out;
}

/** pathRegex → the Gateway path match that means the same (see gamma-lower.ts for the way back). */
function pathMatch(regex: string | undefined): Obj | undefined {
  if (regex === undefined) return undefined;
  if (regex.endsWith('(/.*)?$')) {
    const prefix = literalOf(regex.slice(0, -'(/.*)?$'.length));
    if (prefix !== undefined && prefix.startsWith('/')) return { type: 'PathPrefix', value: prefix };
  }
  if (regex.endsWith('$')) {
    const exact = literalOf(regex.slice(0, -1));
    if (exact !== undefined && exact.startsWith('/')) return { type: 'Exact', value: exact };
  }
  return { type: 'RegularExpression', value: regex };
}

function routeMatches(m: HTTPMatch): Obj[] {
  const base: Obj = {};
  const path = pathMatch(m.pathRegex);
  if (path) base.path = path;
  if (m.headers.length > 0) {
    base.headers = m.headers.map((h) => {
      const lit = literalOf(h.value);
      return lit !== undefined ? { type: 'Exact', name: h.name, value: lit } : { type: 'RegularExpression', name: h.name, value: h.value };
    });
  }
  const methods = m.methods && !m.methods.includes('*') ? m.methods : [];
  return methods.length === 0 ? [base] : methods.map((method) => ({ ...base, method }));
}

function routeFor(split: TrafficSplit, mesh: Mesh, groups: Map<string, HTTPRouteGroup>, sink: DiagnosticSink): Obj {
  const ns = split.meta.namespace;
  // The root as OSM resolves it: `httpbin.httpbin.svc.cluster.local` in namespace httpbin is the Service httpbin, and a
  // parentRef names the Service itself (a name with dots is no Service name: the route would attach to nothing).
  const rootName = splitRootKey(split).slice(ns.length + 1);
  const root = mesh.services.find((s) => s.meta.namespace === ns && s.meta.name === rootName);
  const port = root && root.ports.length === 1 ? root.ports[0]!.port : undefined;
  if (port === undefined) {
    sink.report('MESH1310', { split: `${ns}/${split.meta.name}`, service: `${ns}/${rootName}`, reason: root ? `has ${root.ports.length} ports` : 'is not in the input' }, null);
  }
  const ref = (name: string, weight?: number): Obj => ({ name, ...(port !== undefined ? { port } : {}), ...(weight !== undefined ? { weight } : {}) });
  const backendRefs = split.backends.map((b) => ref(b.service, b.weight));
  const matches = split.matches.flatMap((m) => groups.get(`${ns}/${m.name}`)?.matches ?? []).flatMap(routeMatches);
  const rules: Obj[] = split.matches.length === 0 ? [{ backendRefs }] : [{ matches, backendRefs }, { backendRefs: [ref(rootName)] }];
  return {
    apiVersion: `${GATEWAY}/v1`, kind: 'HTTPRoute',
    metadata: { name: split.meta.name, namespace: ns },
    spec: { parentRefs: [{ group: '', kind: 'Service', name: rootName }], rules },
  };
}

export async function exportGatewayApi(paths: string[], config: MeshcConfig, cwd: string, options?: Parameters<typeof exportMesh>[3]): Promise<Converted> {
  const smi = await exportMesh(paths, config, cwd, options);
  if (smi.text === undefined) return smi;
  const loaded = await loadMesh(paths, { ...config, cwd });
  const sink = new DiagnosticSink();
  const groups = new Map(loaded.mesh.httpRouteGroups.map((g) => [`${g.meta.namespace}/${g.meta.name}`, g]));
  // A split OSM ignores (a second one for the same root) is left out, as reachability leaves it out.
  const seen = new Set<string>();
  const routes: Obj[] = [];
  for (const s of [...loaded.mesh.trafficSplits].sort((a, b) => (`${a.meta.namespace}/${a.meta.name}` < `${b.meta.namespace}/${b.meta.name}` ? -1 : 1))) {
    const root = splitRootKey(s);
    // A split lowered from a Gateway API route: the route itself is kept as written (below).
    if (s.synthesizedFrom || seen.has(root)) continue;
    seen.add(root);
    routes.push(routeFor(s, loaded.mesh, groups, sink));
  }
  const synthesizedGroups = new Set(loaded.mesh.httpRouteGroups.filter((g) => g.synthesizedFrom).map((g) => `${g.meta.namespace}/${g.meta.name}`));
  const kept = parseAllDocuments(smi.text).map((d) => d.toJS() as Obj).filter((o) => {
    if (!o || o.kind === 'TrafficSplit') return false;
    // The SMI export passes the Gateway API objects through; they are written once, below.
    if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${GATEWAY}/`)) return false;
    const meta = (o.metadata ?? {}) as Obj;
    return !(o.kind === 'HTTPRouteGroup' && synthesizedGroups.has(`${meta.namespace}/${meta.name}`));
  });
  // Gateway API objects of the input are Gateway API already: kept as written.
  const written = [...loaded.mesh.gammaRoutes, ...loaded.mesh.referenceGrants]
    .map((o) => loaded.sources.valueAt({ doc: o.meta.origin.doc, path: o.meta.origin.path }) as Obj | undefined)
    .filter((o): o is Obj => o !== undefined && o !== null && typeof o === 'object');
  const objects = [...kept, ...written, ...routes];
  const text = printYaml(objects, [`Generated by meshc export --format gateway-api from ${smi.files.join(', ') || 'no files'}.`,
    'TrafficSplits as gateway.networking.k8s.io/v1 HTTPRoutes (GAMMA); access stays SMI (access.smi-spec.io/v1alpha3, specs.smi-spec.io/v1alpha4).']);
  return { text, diagnostics: sortDiagnostics([...smi.diagnostics, ...sink.items]), files: smi.files, objects: objects.length };
}
