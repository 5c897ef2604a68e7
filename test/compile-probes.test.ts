/**
 * Kubelet probes under a sidecar whose inbound listener requires mTLS: HTTP, HTTPS and gRPC probes are rewritten to
 * plaintext probe listeners (15901-15903) and probe-patch.yaml says how; what cannot be rewritten, and ports that
 * clash with the probe listeners, are diagnostics. The full output of a fixture is in test/golden/probes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { compileTo, diagnosticLines, readManifest, tempDir } from './helpers/compile.ts';
import type { CompileOptions, CompileResult } from '../src/pipeline/compile.ts';

const deploy = (name: string, containers: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n${containers}`;

async function compileYaml(docs: string[], options: Partial<CompileOptions> = {}): Promise<{ r: CompileResult; out: string; cleanup(): void }> {
  const tmp = tempDir();
  const file = join(tmp.dir, 'mesh.yaml');
  writeFileSync(file, docs.join('---\n'));
  const out = join(tmp.dir, 'out');
  const r = await compileTo([file], out, options);
  return { r, out, cleanup: tmp.cleanup };
}

const lines = (r: CompileResult, code: string) => diagnosticLines(r).filter((l) => l.includes(code)).map((l) => l.replace(/^.*?mesh\.yaml/, 'mesh.yaml'));

test('the probe patch: a strategic-merge patch per workload, named in the manifest, that kubectl can apply', async () => {
  const tmp = tempDir();
  try {
    const r = await compileTo(['test/compile-fixtures/probes'], tmp.dir);
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    const node = readManifest(tmp.dir).nodes.find((n) => n.id === 'probes/deployment/web')!;
    assert.is(node.files.probePatch, 'nodes/probes_deployment_web/probe-patch.yaml');
    const text = readFileSync(join(tmp.dir, node.files.probePatch), 'utf8');
    assert.match(text, /^# Apply: kubectl patch deployment web -n probes --type strategic --patch-file probe-patch\.yaml$/m);
    const patch = parseYaml(text);
    assert.equal(patch.spec.template.spec.containers, [
      {
        name: 'app',
        livenessProbe: { httpGet: { path: '/meshc-liveness-probe/app', port: 15901, scheme: 'HTTP' } },
        readinessProbe: { httpGet: { path: '/meshc-readiness-probe/app', port: 15902, scheme: 'HTTP' } },
        startupProbe: { grpc: { port: 15903 } },
      },
      { name: 'metrics', readinessProbe: { httpGet: { path: '/meshc-readiness-probe/metrics', port: 15902, scheme: 'HTTP' } } },
    ]);
    // Each rewritten path routes back to the container's original path and port, with the probe's timeout.
    const listeners = JSON.parse(readFileSync(join(tmp.dir, 'nodes/probes_deployment_web/listeners.json'), 'utf8')).resources;
    const readiness = listeners.find((l: { name: string }) => l.name === 'readiness-probe-listener');
    assert.equal(readiness.filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes, [
      { match: { path: '/meshc-readiness-probe/app' }, route: { cluster: 'probe|8080', prefix_rewrite: '/ready', timeout: '1s' } },
      { match: { path: '/meshc-readiness-probe/metrics' }, route: { cluster: 'probe|9100', prefix_rewrite: '/', timeout: '2s' } },
    ]);
    // A bare Pod: patch the manifest (a running Pod's probes are immutable); no template level.
    const pod = parseYaml(readFileSync(join(tmp.dir, 'nodes/probes_pod_checker/probe-patch.yaml'), 'utf8'));
    assert.equal(pod, { spec: { containers: [{ name: 'checker', readinessProbe: { grpc: { port: 15902 } } }] } });
    assert.match(readFileSync(join(tmp.dir, 'nodes/probes_pod_checker/probe-patch.yaml'), 'utf8'), /kubectl patch --local -f pod\.yaml/);
    // HTTPS keeps its scheme and path (passed through as TCP).
    const vault = parseYaml(readFileSync(join(tmp.dir, 'nodes/probes_statefulset_vault/probe-patch.yaml'), 'utf8'));
    assert.equal(vault.spec.template.spec.containers, [{ name: 'vault', livenessProbe: { httpGet: { port: 15901, scheme: 'HTTPS' } } }]);
  } finally {
    tmp.cleanup();
  }
});

test('no rewritable probe: no probe listener, no patch file; --target grpc never rewrites (no sidecar)', async () => {
  const docs = [deploy('api', '      - name: app\n        ports: [{containerPort: 8080}]\n        livenessProbe: {exec: {command: [true]}}\n')];
  const { r, out, cleanup } = await compileYaml(docs);
  try {
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    assert.not.ok(existsSync(join(out, 'nodes/shop_deployment_api/probe-patch.yaml')));
    assert.is(readManifest(out).nodes[0].files.probePatch, undefined);
  } finally {
    cleanup();
  }
  const http = [deploy('api', '      - name: app\n        livenessProbe: {httpGet: {port: 8080}}\n')];
  const grpc = await compileYaml(http, { target: 'grpc' });
  try {
    assert.not.ok(existsSync(join(grpc.out, 'nodes/shop_deployment_api/probe-patch.yaml')));
  } finally {
    grpc.cleanup();
  }
});

test('a container port or probe port equal to a probe listener port is refused (MESH0868), nothing written', async () => {
  const docs = [
    deploy('api', '      - name: app\n        ports: [{containerPort: 15901}]\n        livenessProbe: {httpGet: {path: /healthz, port: 15901}}\n'),
    // The readiness listener exists only when a readiness probe is rewritten: 15903 (startup) is free here.
    deploy('web', '      - name: app\n        ports: [{containerPort: 8080}, {containerPort: 15903}]\n        readinessProbe: {httpGet: {port: 15902}}\n'),
  ];
  const { r, out, cleanup } = await compileYaml(docs);
  try {
    assert.is(r.status, 'compile-failed', diagnosticLines(r).join('\n'));
    assert.not.ok(existsSync(out), 'nothing written');
    assert.equal(lines(r, 'MESH0868'), [
      'mesh.yaml:10:7: error MESH0868 shop/Deployment/api container app uses port 15901, but its Envoy sidecar takes that port for the plaintext liveness probe listener; the application and Envoy cannot both listen on it in one pod',
      'mesh.yaml:25:25: error MESH0868 shop/Deployment/web container app uses port 15902, but its Envoy sidecar takes that port for the plaintext readiness probe listener; the application and Envoy cannot both listen on it in one pod',
    ]);
  } finally {
    cleanup();
  }
});

test('probes that stay as written are reported: tcpSocket (MESH0869), unresolvable port, a second HTTPS or gRPC probe of a kind (MESH0870)', async () => {
  const docs = [deploy('api', [
    '      - name: app',
    '        ports: [{name: http, containerPort: 8080}]',
    '        livenessProbe: {tcpSocket: {port: 8080}}',
    '        readinessProbe: {httpGet: {port: metrics}}',
    '        startupProbe: {grpc: {port: 8080}}',
    '      - name: tls',
    '        ports: [{containerPort: 8443}]',
    '        livenessProbe: {httpGet: {port: 8443, scheme: HTTPS}}',
    '        startupProbe: {grpc: {port: 8443}}',
    '      - name: remote',
    '        livenessProbe: {httpGet: {host: example.com, port: 80}}',
    '        readinessProbe: {httpGet: {path: "/a\\nb", port: 80}}',
    '        startupProbe: {httpGet: {path: healthz, port: 80}}',
    '',
  ].join('\n'))];
  const { r, out, cleanup } = await compileYaml(docs);
  try {
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    assert.equal(lines(r, 'MESH0869').map((l) => l.slice(0, 127)), [
      'mesh.yaml:12:24: warning MESH0869 shop/Deployment/api container app: the liveness probe (tcpSocket, port 8080) is left as it is',
    ]);
    assert.equal(lines(r, 'MESH0870').map((l) => / (container \w+: the \w+ probe).*?: (.*); as written/.exec(l)!.slice(1)), [
      ['container app: the readiness probe', 'its port "metrics" is no port number and no named port of container app'],
      ['container tls: the startup probe', 'the startup probe listener (port 15903) already serves the startup probe of container app, and the listener can route one gRPC health check'],
      ['container remote: the readiness probe', 'its path "/a\\nb" holds control characters, which no HTTP request can carry'],
    ]);
    // The HTTPS liveness probe of `tls` is the only liveness probe rewritten (the tcpSocket one stays): it has the listener alone.
    const patch = parseYaml(readFileSync(join(out, 'nodes/shop_deployment_api/probe-patch.yaml'), 'utf8'));
    assert.equal(patch.spec.template.spec.containers, [
      { name: 'app', startupProbe: { grpc: { port: 15903 } } },
      { name: 'tls', livenessProbe: { httpGet: { port: 15901, scheme: 'HTTPS' } } },
      // A path without a leading slash is requested as /healthz by the kubelet: rewritten back to that.
      { name: 'remote', startupProbe: { httpGet: { path: '/meshc-startup-probe/remote', port: 15903, scheme: 'HTTP' } } },
    ]);
    const startup = JSON.parse(readFileSync(join(out, 'nodes/shop_deployment_api/listeners.json'), 'utf8')).resources
      .find((l: { name: string }) => l.name === 'startup-probe-listener').filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes;
    assert.equal(startup.map((r: { route: { prefix_rewrite?: string } }) => r.route.prefix_rewrite ?? null), [null, '/healthz']);
  } finally {
    cleanup();
  }
  // An HTTPS probe cannot share its listener with an HTTP one.
  const shared = await compileYaml([deploy('web', '      - name: a\n        livenessProbe: {httpGet: {port: 8080}}\n      - name: b\n        livenessProbe: {httpGet: {port: 8443, scheme: HTTPS}}\n')]);
  try {
    assert.equal(lines(shared.r, 'MESH0870').map((l) => /: (the liveness probe listener .*?); as written/.exec(l)![1]), [
      'the liveness probe listener (port 15901) already serves the liveness probe of container a, and an HTTPS probe is passed through as TCP and needs the listener alone',
    ]);
  } finally {
    shared.cleanup();
  }
});

test.run();
