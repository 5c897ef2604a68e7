/**
 * Both ways: the bookstore mesh survives YAML → TypeScript DSL → YAML with
 * the same canonical model and the same compiled snapshots; the hand-written
 * bookstore DSL (fixtures/bookstore-ts) models the same mesh as the YAML.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMesh } from '../src/pipeline/check.ts';
import type { Mesh } from '../src/model/types.ts';
import { runCli, ROOT } from './helpers/cli.ts';
import { listFiles } from './helpers/compile.ts';
import { tempDir } from './helpers/temp.ts';

const CACHE = tempDir('meshc-dsl-cache-');
process.env.MESHC_CACHE_DIR = CACHE;
const env = { MESHC_CACHE_DIR: CACHE };
const work = tempDir('meshc-roundtrip-');

/** The model without source positions, every collection in a fixed order. */
function comparable(mesh: Mesh): unknown {
  const plain = JSON.parse(JSON.stringify(mesh, (k, v) => (k === 'origin' ? undefined : v))) as Record<string, unknown[]>;
  const id = (x: unknown) => {
    const o = x as { meta?: { kind: string; namespace: string; name: string }; ref?: unknown; kind?: string; value?: { metadata?: unknown } };
    return JSON.stringify(o.meta ? [o.meta.kind, o.meta.namespace, o.meta.name] : o.ref ?? [o.kind, o.value?.metadata]);
  };
  for (const k of Object.keys(plain)) {
    plain[k] = [...plain[k]!].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return plain;
}

async function model(paths: string[]): Promise<{ mesh: unknown; errors: string[] }> {
  const loaded = await loadMesh(paths, { cwd: ROOT });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.range?.file}:${d.range?.line} ${d.message}`);
  return { mesh: comparable(loaded.mesh), errors };
}

const yamlModel = model(['fixtures/bookstore']);

test('import: YAML → mesh.ts, which type-checks and models the same mesh', async () => {
  const out = join(work, 'mesh.ts');
  const r = runCli(['import', 'fixtures/bookstore', '--out', out], { env });
  assert.is(r.code, 0, r.stderr);
  assert.match(readFileSync(out, 'utf8'), /import \{ defineMesh \} from 'meshc';/);
  const a = await yamlModel;
  assert.equal(a.errors, []);
  const b = await model([out]);
  assert.equal(b.errors, []);
  assert.equal(b.mesh, a.mesh);
});

test('export: mesh.ts → SMI YAML in the latest versions, the same model again, deterministic', async () => {
  const out = join(work, 'exported.yaml');
  const r = runCli(['export', join(work, 'mesh.ts'), '--format', 'smi', '--out', out], { env });
  assert.is(r.code, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  for (const v of text.matchAll(/^apiVersion: (.*)$/gm)) {
    assert.ok(['v1', 'apps/v1', 'access.smi-spec.io/v1alpha3', 'specs.smi-spec.io/v1alpha4', 'split.smi-spec.io/v1alpha4', 'meshc.dev/v1alpha1'].includes(v[1]!), v[1]);
  }
  const c = await model([out]);
  assert.equal(c.errors, []);
  assert.equal(c.mesh, (await yamlModel).mesh);
  const again = runCli(['export', join(work, 'mesh.ts')], { env });
  assert.is(again.code, 0);
  assert.is(again.stdout, text, 'export is deterministic (stdout equals the --out file)');
});

test('the hand-written bookstore DSL models the same mesh as the YAML (tests aside)', async () => {
  const ts = await model(['fixtures/bookstore-ts/mesh.ts']);
  assert.equal(ts.errors, []);
  const yaml = await model(['fixtures/bookstore/apps', 'fixtures/bookstore/policy']);
  assert.equal(ts.mesh, yaml.mesh);
});

test('compile: YAML, the imported DSL and the exported YAML give byte-identical snapshots', () => {
  const dirs = ['yaml', 'ts', 'exported'].map((n) => join(work, `out-${n}`));
  const inputs = ['fixtures/bookstore', join(work, 'mesh.ts'), join(work, 'exported.yaml')];
  inputs.forEach((input, i) => {
    const r = runCli(['compile', input, '--out', dirs[i]!], { env });
    assert.is(r.code, 0, `compile ${input}: ${r.stdout}${r.stderr}`);
  });
  const files = listFiles(dirs[0]!);
  assert.ok(files.includes('manifest.json'));
  for (const dir of dirs.slice(1)) {
    assert.equal(listFiles(dir), files);
    for (const f of files) assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(dirs[0]!, f))), `${f} differs in ${dir}`);
  }
});

test('old SMI versions import into the latest: v1alpha1 TrafficTarget with a port, Quantity weights', async () => {
  const dir = tempDir('meshc-import-old-');
  writeFileSync(join(dir, 'old.yaml'), `apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: api-v2, namespace: shop}
spec: {selector: {app: api, version: v2}, ports: [{port: 8080}]}
---
apiVersion: specs.smi-spec.io/v1alpha1
kind: HTTPRouteGroup
metadata: {name: routes, namespace: shop}
matches:
  - name: all
    pathRegex: ".*"
    methods: ["*"]
---
apiVersion: access.smi-spec.io/v1alpha1
kind: TrafficTarget
metadata: {name: api, namespace: shop}
destination: {kind: ServiceAccount, name: api, namespace: shop, port: 8080}
specs:
  - kind: HTTPRouteGroup
    name: routes
    matches: [all]
sources:
  - kind: ServiceAccount
    name: web
    namespace: shop
---
apiVersion: split.smi-spec.io/v1alpha1
kind: TrafficSplit
metadata: {name: api, namespace: shop}
spec:
  service: api
  backends:
    - service: api
      weight: 1
    - service: api-v2
      weight: 500m
`);
  const r = runCli(['import', 'old.yaml', '--out', 'mesh.ts'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  const text = readFileSync(join(dir, 'mesh.ts'), 'utf8');
  assert.match(text, /tcpRoutes: \{/);
  assert.match(text, /'api-port-8080'/);
  const checked = runCli(['check', 'mesh.ts'], { cwd: dir, env });
  assert.is(checked.code, 0, checked.stdout + checked.stderr);
  const exported = runCli(['export', 'mesh.ts'], { cwd: dir, env });
  assert.is(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /apiVersion: access\.smi-spec\.io\/v1alpha3/);
  assert.match(exported.stdout, /apiVersion: split\.smi-spec\.io\/v1alpha4/);
  assert.match(exported.stdout, /weight: 1000\n[\s\S]*weight: 500\n/);
});

test('import refuses to overwrite, and writes nothing for an input with errors', () => {
  const dir = tempDir('meshc-import-refuse-');
  writeFileSync(join(dir, 'mesh.ts'), '// mine\n');
  writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: "http"}]}\n');
  const exists = runCli(['import', 'bad.yaml', '--out', 'mesh.ts'], { cwd: dir, env });
  assert.is(exists.code, 2);
  assert.match(exists.stderr, /exists/);
  assert.is(readFileSync(join(dir, 'mesh.ts'), 'utf8'), '// mine\n');
  const bad = runCli(['import', 'bad.yaml', '--out', 'new.ts'], { cwd: dir, env });
  assert.is(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /bad\.yaml:4/);
  assert.match(bad.stderr, /nothing written/);
  const exp = runCli(['export', 'bad.yaml'], { cwd: dir, env });
  assert.is(exp.code, 1);
  assert.is(exp.stdout, '');
});

test('names the input refers to but does not define become external(), so the file type-checks', () => {
  const dir = tempDir('meshc-import-ext-');
  writeFileSync(join(dir, 'tt.yaml'), `apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: HTTPRouteGroup, name: routes-elsewhere, matches: [all]}]
  sources: [{kind: ServiceAccount, name: web, namespace: front}]
`);
  const r = runCli(['import', 'tt.yaml', '--out', 'mesh.ts'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  const text = readFileSync(join(dir, 'mesh.ts'), 'utf8');
  assert.match(text, /import \{ defineMesh, external \} from 'meshc';/);
  assert.match(text, /external\('routes-elsewhere'\)/);
  assert.match(text, /external\('front\/web'\)/);
  const checked = runCli(['check', '--format', 'json', 'mesh.ts'], { cwd: dir, env });
  const codes = (JSON.parse(checked.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
  assert.not.ok(codes.some((c) => c.startsWith('MESH09')), codes.join(', '));
});

test('what the DSL cannot say exactly is a warning (MESH0912), and the file is still written', () => {
  const dir = tempDir('meshc-import-loss-');
  writeFileSync(join(dir, 'g.yaml'), `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, namespace: a}
spec:
  matches:
    - {name: m, pathRegex: /a, methods: [GET]}
    - {name: m, pathRegex: /b, methods: [GET]}
`);
  const r = runCli(['import', 'g.yaml', '--out', 'mesh.ts'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /g\.yaml:1:1: warning MESH0912 HTTPRouteGroup a\/g has two matches named "m"; the DSL keeps the first/);
  assert.match(readFileSync(join(dir, 'mesh.ts'), 'utf8'), /m: \{ pathRegex: '\/a', methods: \['GET'\] \}/);
});

test('container ports and service accounts in every form survive YAML → TS → YAML (no name, a repeated name, serviceAccount)', async () => {
  const dir = tempDir('meshc-import-containers-');
  writeFileSync(join(dir, 'w.yaml'), `apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccount: api
      containers:
        - image: api:1
          ports: [{containerPort: 8080, name: http}]
        - name: side
          image: side:1
          ports: [{containerPort: 9090, protocol: UDP}]
        - name: side
          image: side:2
          ports: [{containerPort: 9091}]
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop, labels: {app: p}}
spec:
  serviceAccountName: ""
  serviceAccount: api
  containers:
    - name: c
      ports: [{containerPort: 7000}]
`);
  const r = runCli(['import', 'w.yaml', '--out', 'mesh.ts'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  const text = readFileSync(join(dir, 'mesh.ts'), 'utf8');
  assert.match(text, /\{ name: '', image: 'api:1', ports: \[\{ name: 'http', containerPort: 8080 \}\] \}/);
  assert.match(text, /\{ name: 'side', image: 'side:1', ports: \[\{ containerPort: 9090, protocol: 'UDP' \}\] \}/);
  assert.match(text, /\{ name: 'side', image: 'side:2', ports: \[\{ containerPort: 9091 \}\] \}/);
  const yaml = await model([join(dir, 'w.yaml')]);
  const ts = await model([join(dir, 'mesh.ts')]);
  assert.equal(ts.errors, []);
  assert.equal(ts.mesh, yaml.mesh);
  const exported = runCli(['export', 'mesh.ts', '--out', 'out.yaml'], { cwd: dir, env });
  assert.is(exported.code, 0, exported.stderr);
  assert.equal((await model([join(dir, 'out.yaml')])).mesh, yaml.mesh);
});

test.run();
