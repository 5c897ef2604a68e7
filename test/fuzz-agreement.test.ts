// check, why and compile agree on generated meshes, not only on the fixtures (delivery-agreement.test.ts):
// random small meshes of identities, workloads (some sharing labels, some with Endpoints naming their pods),
// Services with HTTP, TCP and UDP ports (numbered and named target ports), TrafficTargets with HTTP and TCP
// rules, TrafficSplits (nested too), Gateway API mesh routes and the permissive mode (test/helpers/mesh-gen.ts).
// For every (proxy identity → Service port), `why` ALLOWED must be what compile delivers, and a delivered one
// must be ALLOWED (or denied only for the part of its traffic compile refuses where it is delivered), with
// clusters of admitting pods only (test/helpers/agreement.ts). And check's MESH0601 (no identity may reach a
// Service) never names a Service `why` lets some identity reach. CI runs a fixed seed; `npm run fuzz` runs more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { generatedMesh, IDENTITY_KEYS, manifestText } from './helpers/mesh-gen.ts';
import { check } from '../src/pipeline/check.ts';
import { ROOT } from './helpers/cli.ts';
import { whyCompileAgreement } from './helpers/agreement.ts';
import { computeReachability } from '../src/reach/index.ts';
import { ReachQuery } from '../src/reach/query.ts';
import type { CheckResult } from '../src/pipeline/check.ts';

const RUNS = Number(process.env.MESHC_FUZZ_AGREEMENT_RUNS ?? 600);
const SEED = Number(process.env.MESHC_FUZZ_SEED ?? 20261207);

/** MESH0601 (no identity may reach the Service) about a Service that `why` says some identity may reach. */
function unreachableButAllowed(checked: CheckResult): string[] {
  const unreachable = checked.diagnostics.filter((d) => d.code === 'MESH0601').map((d) => `${d.resource!.namespace}/${d.resource!.name}`);
  if (unreachable.length === 0) return [];
  const reach = computeReachability(checked.mesh, checked.index, checked.config);
  const query = new ReachQuery(reach, checked.index, checked.config.clusterDomain);
  const wrong: string[] = [];
  for (const service of unreachable) {
    for (const rp of reach.services[service]?.ports ?? []) {
      for (const id of IDENTITY_KEYS) {
        const r = query.why({ from: id, to: service, port: rp.port });
        if (r.ok && r.answer.allowed) wrong.push(`MESH0601 says no identity may reach ${service}, why allows ${id} to port ${rp.port}: ${r.answer.reason}`);
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
    fc.asyncProperty(generatedMesh, async (m) => {
      const text = manifestText(m);
      const options = m.permissive ? { permissive: true } : {};
      const checked = await check(['-'], { cwd: ROOT, readStdin: async () => Buffer.from(text), ...options });
      const internal = checked.diagnostics.filter((d) => d.code === 'MESH0001');
      assert.equal(internal, [], 'no internal error');
      const found = whyCompileAgreement(checked, options);
      edges += found.edges;
      allowed += found.allowed;
      assert.equal(found.disagreements, [], text);
      // Compiled for proxyless gRPC clients too (HTTP and gRPC ports; they have no TCP chains).
      assert.equal(whyCompileAgreement(checked, { ...options, target: 'grpc' }).disagreements, [], `--target grpc: ${text}`);
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
