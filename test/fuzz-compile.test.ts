// compile on generated meshes (test/helpers/mesh-gen.ts), for Envoy and for gRPC clients: whatever the mesh,
// compile either refuses for the user's own errors (check errors, MESH0861's weights) or writes output that
// passed its validation against Envoy's rules. Never an internal error (MESH0001), never a resource meshc
// itself built wrong (MESH0800–MESH0803, MESH0805: Envoy or the gRPC client would reject it), never a
// half-written directory; and the same mesh compiles to the same bytes again. CI runs a fixed seed;
// `npm run fuzz` runs more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../src/pipeline/compile.ts';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';
import { generatedMesh, manifestText } from './helpers/mesh-gen.ts';

const RUNS = Number(process.env.MESHC_FUZZ_COMPILE_RUNS ?? 60);
const SEED = Number(process.env.MESHC_FUZZ_SEED ?? 20261207);
/** Findings that say meshc built a resource wrong, whatever the input. */
const OWN_FAULTS = new Set(['MESH0001', 'MESH0800', 'MESH0801', 'MESH0802', 'MESH0803', 'MESH0805']);

/** Every file under `dir` with a digest of its bytes, in path order. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((e) => {
    const rel = join(prefix, e.name);
    return e.isDirectory() ? tree(dir, rel) : [`${rel} ${createHash('sha256').update(readFileSync(join(dir, rel))).digest('hex')}`];
  });
}

test(`compile of ${RUNS} generated meshes for Envoy and gRPC (seed ${SEED}): refused for the user's errors or written valid, never meshc's fault; deterministic`, async () => {
  const work = tempDir('meshc-fuzz-compile-');
  const statuses: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(generatedMesh, fc.constantFrom('envoy' as const, 'grpc' as const), async (m, target) => {
      const text = manifestText(m);
      const run = async (out: string) => compile(['-'], {
        cwd: ROOT, readStdin: async () => Buffer.from(text), out, target, ...(m.permissive ? { permissive: true } : {}),
      });
      const [a, b] = [join(work, 'a'), join(work, 'b')];
      rmSync(work, { recursive: true, force: true });
      const first = await run(a);
      statuses[first.status] = (statuses[first.status] ?? 0) + 1;
      const own = first.diagnostics.filter((d) => OWN_FAULTS.has(d.code)).map((d) => `${d.code} ${d.message}`);
      assert.equal(own, [], `${target}: ${text}`);
      assert.ok(['written', 'check-failed', 'compile-failed'].includes(first.status), `${target}: status ${first.status}`);
      if (first.status !== 'written') {
        assert.ok(first.diagnostics.some((d) => d.severity === 'error'), 'a refusal names its error');
        assert.not.ok(existsSync(a), 'nothing is written when compile refuses');
        return;
      }
      const second = await run(b);
      assert.is(second.status, 'written');
      assert.equal(tree(b), tree(a), `${target}: the same mesh compiles to the same bytes`);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: process.env.MESHC_FUZZ_SHRINK !== '1' },
  );
  // Generated meshes often carry errors on purpose (a dangling name, weights 0); enough must compile to test compile.
  assert.ok((statuses.written ?? 0) > RUNS / 6, `meshes compile (${JSON.stringify(statuses)})`);
  console.log(`  fuzz: compile of ${RUNS} generated meshes (seed ${SEED}): ${JSON.stringify(statuses)}`);
});

test.run();
