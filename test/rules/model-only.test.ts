/**
 * Rules run on model objects the YAML schema normally keeps out (the schema
 * rejects such resources before they reach the model). These safety nets
 * still matter for other inputs (the TypeScript DSL builds models too), so
 * they are tested on hand-built models; positions come from a stub source.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emptyMesh, type Mesh, type ObjectMeta } from '../../src/model/types.ts';
import { MeshIndex } from '../../src/model/index-lookup.ts';
import { SourceSet } from '../../src/source/source-set.ts';
import { DiagnosticSink } from '../../src/core/diagnostics.ts';
import { makeRuleContext } from '../../src/rules/types.ts';
import { RULES } from '../../src/rules/registry.ts';
import { defaultConfig, type MeshcConfig } from '../../src/config/types.ts';

function lintModel(mesh: Mesh, config: Partial<MeshcConfig> = {}) {
  const sources = new SourceSet();
  // The stub reports the canonical path as the "file", so tests can assert where a finding points.
  sources.add({ file: 'model', index: 0, locate: (path) => ({ file: path.join('.'), line: 1, column: 1, endLine: 1, endColumn: 1 }) });
  const sink = new DiagnosticSink();
  const ctx = makeRuleContext(mesh, new MeshIndex(mesh), sources, { ...defaultConfig(), ...config }, sink);
  // Only the rules of MESH0200-0599 (reachability has its own tests).
  for (const rule of RULES) if (rule.codes.every((c) => c >= 'MESH0200' && c < 'MESH0600')) rule.run(ctx);
  return sink.items.map((d) => `${d.code} ${d.range!.file}`);
}

const meta = (kind: string, name: string, apiVersion = 'v1'): ObjectMeta => ({ apiVersion, kind, namespace: 'shop', name, labels: {}, annotations: {}, origin: { doc: 0, path: [] } });

test('weights that are not whole or are negative are errors, and then the sum is not judged', () => {
  const mesh = emptyMesh();
  mesh.services.push({ meta: meta('Service', 'root'), selector: { app: 'r' }, ports: [], type: 'ClusterIP' });
  mesh.services.push({ meta: meta('Service', 'a'), selector: { app: 'a' }, ports: [], type: 'ClusterIP' });
  mesh.services.push({ meta: meta('Service', 'b'), selector: { app: 'b' }, ports: [], type: 'ClusterIP' });
  mesh.trafficSplits.push({
    meta: meta('TrafficSplit', 's', 'split.smi-spec.io/v1alpha4'), service: 'root', matches: [], weightUnit: 'integer',
    backends: [{ service: 'a', weight: 1.5 }, { service: 'b', weight: -200 }],
  });
  assert.equal(lintModel(mesh), ['MESH0408 spec.backends.0.weight', 'MESH0408 spec.backends.1.weight']);
});

test('objects rejected by validation count as present: no "not found" cascade', () => {
  const mesh = emptyMesh();
  mesh.serviceAccounts.push({ meta: meta('ServiceAccount', 'api') });
  mesh.rejected.push({ ref: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'shop', name: 'web' }, origin: { doc: 0, path: [] } });
  mesh.rejected.push({ ref: { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', namespace: 'shop', name: 'g' }, origin: { doc: 0, path: [] } });
  mesh.trafficTargets.push({
    meta: meta('TrafficTarget', 't', 'access.smi-spec.io/v1alpha3'),
    destination: { kind: 'ServiceAccount', name: 'api', namespace: 'shop', namespaceExplicit: true },
    rules: [{ kind: 'HTTPRouteGroup', name: 'g', matches: ['anything'] }],
    sources: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop', namespaceExplicit: true }],
  });
  assert.equal(lintModel(mesh), []);
});

test('a workload index answers selectors without scanning every workload (10,000 services x 10,000 workloads)', () => {
  const mesh = emptyMesh();
  for (let i = 0; i < 10_000; i++) {
    mesh.services.push({ meta: meta('Service', `s${i}`), selector: { app: `a${i}`, 'app.kubernetes.io/part-of': 'shop' }, ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }], type: 'ClusterIP' });
    mesh.workloads.push({
      meta: meta('Deployment', `d${i}`), workloadKind: 'Deployment', podLabels: { app: `a${i === 5 ? 'x' : i}`, 'app.kubernetes.io/part-of': 'shop' },
      podSpecPath: ['spec', 'template', 'spec'], serviceAccountName: `d${i}`, containerPorts: [{ container: 'c', name: 'http', containerPort: 8080, protocol: 'TCP' }], probes: [],
    });
  }
  assert.equal(lintModel(mesh), ['MESH0501 spec.selector']);
});

test.run();
