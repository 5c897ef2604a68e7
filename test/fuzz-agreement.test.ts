// check, why and compile agree on generated meshes, not only on the fixtures (delivery-agreement.test.ts):
// random small meshes of identities, workloads (some sharing labels, some with Endpoints naming their pods),
// Services with HTTP, TCP and UDP ports (numbered and named target ports), TrafficTargets with HTTP and TCP
// rules, TrafficSplits (nested too) and the permissive mode. For every (proxy identity → Service port), `why`
// ALLOWED must be what compile delivers, and a delivered one must be ALLOWED (or denied only for the part of
// its traffic compile refuses where it is delivered), with clusters of admitting pods only
// (test/helpers/agreement.ts). And check's MESH0601 (no identity may reach a Service) never names a Service
// `why` lets some identity reach. CI runs a fixed seed; `npm run fuzz` runs more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { check } from '../src/pipeline/check.ts';
import { ROOT } from './helpers/cli.ts';
import { whyCompileAgreement } from './helpers/agreement.ts';
import { computeReachability } from '../src/reach/index.ts';
import { ReachQuery } from '../src/reach/query.ts';
import type { CheckResult } from '../src/pipeline/check.ts';

const RUNS = Number(process.env.MESHC_FUZZ_AGREEMENT_RUNS ?? 600);
const SEED = Number(process.env.MESHC_FUZZ_SEED ?? 20261207);

const NS = 'app';
const IDENTITIES = ['a', 'b', 'c', 'd'];
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

const split = fc.record({
  root: fc.constantFrom(...SERVICES),
  backends: fc.uniqueArray(fc.record({ service: fc.constantFrom(...SERVICES), weight: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 3, selector: (b) => b.service }),
});

const mesh = fc.record({
  workloads: fc.array(workload, { minLength: 1, maxLength: 5 }),
  services: fc.uniqueArray(service, { minLength: 1, maxLength: 3, selector: (s) => s.name }),
  targets: fc.array(target, { maxLength: 4 }),
  splits: fc.uniqueArray(split, { maxLength: 2, selector: (s) => s.root }),
  permissive: fc.boolean(),
});

type Mesh = typeof mesh extends fc.Arbitrary<infer T> ? T : never;

/** The generated mesh as manifests. */
function manifests(m: Mesh): Doc[] {
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
  m.services.forEach((s, i) => {
    const ports = s.ports.map((p) => PORTS[p]!);
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
  m.splits.forEach((s, i) => docs.push({
    apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: meta(`split${i}`),
    spec: { service: s.root, backends: s.backends },
  }));
  return docs;
}

/** MESH0601 (no identity may reach the Service) about a Service that `why` says some identity may reach. */
function unreachableButAllowed(checked: CheckResult): string[] {
  const unreachable = checked.diagnostics.filter((d) => d.code === 'MESH0601').map((d) => `${d.resource!.namespace}/${d.resource!.name}`);
  if (unreachable.length === 0) return [];
  const reach = computeReachability(checked.mesh, checked.index, checked.config);
  const query = new ReachQuery(reach, checked.index, checked.config.clusterDomain);
  const wrong: string[] = [];
  for (const service of unreachable) {
    for (const rp of reach.services[service]?.ports ?? []) {
      for (const id of IDENTITIES) {
        const r = query.why({ from: `${NS}/${id}`, to: service, port: rp.port });
        if (r.ok && r.answer.allowed) wrong.push(`MESH0601 says no identity may reach ${service}, why allows ${NS}/${id} to port ${rp.port}: ${r.answer.reason}`);
      }
    }
  }
  return wrong;
}

test(`why and compile agree on ${RUNS} generated meshes (seed ${SEED})`, async () => {
  let edges = 0;
  let allowed = 0;
  let unreachable = 0;
  await fc.assert(
    fc.asyncProperty(mesh, async (m) => {
      const text = manifests(m).map((d) => JSON.stringify(d)).join('\n---\n');
      const options = m.permissive ? { permissive: true } : {};
      const checked = await check(['-'], { cwd: ROOT, readStdin: async () => Buffer.from(text), ...options });
      const internal = checked.diagnostics.filter((d) => d.code === 'MESH0001');
      assert.equal(internal, [], 'no internal error');
      const found = whyCompileAgreement(checked, options);
      edges += found.edges;
      allowed += found.allowed;
      assert.equal(found.disagreements, [], text);
      assert.equal(unreachableButAllowed(checked), [], text);
      unreachable += checked.diagnostics.filter((d) => d.code === 'MESH0601').length;
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: process.env.MESHC_FUZZ_SHRINK !== '1' },
  );
  // Not vacuous: the meshes asked many questions, and many were allowed.
  assert.ok(edges > RUNS && allowed > RUNS / 4 && unreachable > 0, `${edges} questions, ${allowed} allowed, ${unreachable} MESH0601`);
  console.log(`  fuzz: ${edges} (identity → Service port) questions on ${RUNS} meshes, ${allowed} allowed, ${unreachable} MESH0601 checked against why (seed ${SEED})`);
});

test.run();
