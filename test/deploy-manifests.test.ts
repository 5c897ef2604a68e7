/**
 * deploy/: the manifests that run `meshc serve` as replicas. They must pass `meshc check` (exit 0, no warning) and
 * agree with what compile and serve expect: the default --xds-server-identity as the certificate's SPIFFE id,
 * kubelet gRPC probes on the plaintext --health-listen port, a Service on the --listen port, rollouts that never
 * drop a replica (maxUnavailable 0) and a PodDisruptionBudget; Prometheus alerts on metrics serve exposes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT, runCli } from './helpers/cli.ts';
import { DEFAULT_XDS_SERVER_IDENTITY } from '../src/pipeline/compile-defaults.ts';
import { spiffeId } from '../src/envoy/translate/names.ts';
import { startTestServer } from './helpers/serve-client.ts';
import { grpcSplitResources } from './helpers/serve-fixtures.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const docs = (file: string): Json[] => parseAllDocuments(readFileSync(join(ROOT, 'deploy', file), 'utf8')).map((d) => d.toJS() as Json);
const all = () => ['namespace.yaml', 'service.yaml', 'deployment.yaml'].flatMap(docs);
const byKind = (kind: string) => all().find((d) => d.kind === kind)!;
const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

test('meshc check deploy/ exits 0 with no warning or error', () => {
  const r = runCli(['check', 'deploy/', '--format', 'json']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout);
  assert.ok(Array.isArray(report.diagnostics), r.stdout);
  const findings = report.diagnostics as { severity: string; code: string }[];
  assert.equal(findings.filter((d) => d.severity !== 'info').map((d) => d.code), []);
});

test('the Deployment runs several serve replicas with mTLS, the default server identity, plaintext health probes and a metrics port', () => {
  const dep = byKind('Deployment');
  assert.is(dep.metadata.namespace, 'meshc-system');
  assert.ok(dep.spec.replicas >= 2, 'several replicas');
  assert.is(dep.spec.strategy.rollingUpdate.maxUnavailable, 0);
  const pod = dep.spec.template.spec;
  assert.is(pod.serviceAccountName, 'meshc');
  const serve = pod.containers.find((c: Json) => c.name === 'meshc');
  const args: string[] = serve.args;
  assert.is(args[0], 'serve');
  for (const f of ['tls-cert', 'tls-key', 'client-ca', 'snapshots', 'listen', 'health-listen']) assert.ok(flag(args, f), `--${f}`);
  const healthPort = Number(flag(args, 'health-listen')!.split(':').pop());
  const xdsPort = Number(flag(args, 'listen')!.split(':').pop());
  assert.is.not(healthPort, xdsPort);
  for (const probe of ['readinessProbe', 'livenessProbe']) assert.is(serve[probe].grpc.port, healthPort, probe);
  // Prometheus scrapes the metrics port the annotations name, a declared port of its own.
  const metricsPort = Number(flag(args, 'metrics-listen')!.split(':').pop());
  assert.ok(![healthPort, xdsPort].includes(metricsPort));
  assert.ok(serve.ports.some((p: Json) => p.containerPort === metricsPort && p.name === 'http-metrics'));
  const annotations = dep.spec.template.metadata.annotations;
  assert.equal([annotations['prometheus.io/scrape'], annotations['prometheus.io/port'], annotations['prometheus.io/path']], ['true', String(metricsPort), '/metrics']);
  // The certificate carries the SPIFFE id compiled bootstraps check by default.
  const tls = pod.volumes.find((v: Json) => v.name === 'tls');
  assert.is(tls.csi.volumeAttributes['csi.cert-manager.io/uri-sans'], spiffeId('cluster.local', DEFAULT_XDS_SERVER_IDENTITY));
  const mount = serve.volumeMounts.find((m: Json) => m.name === 'tls').mountPath;
  assert.ok(flag(args, 'tls-cert')!.startsWith(`${mount}/`) && flag(args, 'client-ca')!.startsWith(`${mount}/`));
  // The snapshot directory is filled by the init container from the policy image.
  const init = pod.initContainers.find((c: Json) => c.name === 'policy');
  assert.ok(init.volumeMounts.some((m: Json) => m.name === 'snapshots' && m.mountPath === flag(args, 'snapshots')));
  assert.ok(serve.volumeMounts.some((m: Json) => m.name === 'snapshots' && m.readOnly === true));
});

test('the Service targets the xDS port, and a PodDisruptionBudget keeps replicas through drains', () => {
  const svc = byKind('Service');
  const dep = byKind('Deployment');
  assert.equal(svc.spec.selector, dep.spec.selector.matchLabels);
  const port = dep.spec.template.spec.containers[0].ports.find((p: Json) => p.name === svc.spec.ports[0].targetPort);
  assert.is(port.containerPort, 18000);
  const pdb = byKind('PodDisruptionBudget');
  assert.equal(pdb.spec.selector.matchLabels, dep.spec.selector.matchLabels);
  assert.ok(pdb.spec.maxUnavailable === 1 || pdb.spec.minAvailable >= 1);
  assert.is(byKind('ServiceAccount').metadata.name, 'meshc');
});

test('the PodMonitor scrapes the metrics port; the PrometheusRule alerts on metrics meshc serve exposes; both check as skipped kinds', async () => {
  const [monitor, rules] = docs('prometheus-rules.yaml');
  assert.equal([monitor!.kind, rules!.kind], ['PodMonitor', 'PrometheusRule']);
  const dep = byKind('Deployment');
  assert.equal(monitor!.spec.selector.matchLabels, dep.spec.selector.matchLabels);
  const port = dep.spec.template.spec.containers[0].ports.find((p: Json) => p.name === monitor!.spec.podMetricsEndpoints[0].port);
  assert.is(port?.containerPort, Number(flag(dep.spec.template.spec.containers[0].args, 'metrics-listen')!.split(':').pop()));
  const exprs: string[] = rules!.spec.groups.flatMap((g: Json) => g.rules.map((r: Json) => String(r.expr)));
  const used = new Set(exprs.flatMap((e) => e.match(/meshc_serve_[a-z_]+/g) ?? []));
  assert.ok(used.size >= 4, [...used].join(', '));
  const t = await startTestServer([{ id: 'n', resources: grpcSplitResources('svc', [{ cluster: 'a', port: 1, weight: 1 }]) }], { metricsListen: '127.0.0.1:0' });
  try {
    const body = await (await fetch(`http://127.0.0.1:${t.server.metricsPort}/metrics`)).text();
    const exposed = new Set(body.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    for (const name of used) assert.ok(exposed.has(name), `${name} is exposed`);
  } finally {
    await t.close();
  }
  const r = runCli(['check', 'deploy/prometheus-rules.yaml', '--format', 'json']);
  assert.is(r.code, 0, r.stdout + r.stderr);
});

test.run();
