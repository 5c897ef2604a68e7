// Property-based fuzzing of `check` (fast-check): manifests from the fixtures and
// the corpus, mutated in text (bytes, lines, indentation, YAML tokens) and in
// structure (fields swapped for odd values, kinds and versions crossed), plus
// objects generated from scratch. `check` must answer every one with findings:
// never MESH0001 (internal error), a throw, or a hang; through the CLI also
// JSON on stdout (--format json), no stack trace and exit 0, 1 or 2.
// CI runs a fixed seed and a bounded count; `npm run fuzz [COUNT] [SEED]` many more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { check } from '../src/index.ts';
import { ROOT } from './helpers/cli.ts';
import { BIN, STACK, cleanEnv } from './cli-run.ts';
import { SEEDS, apply, op } from './helpers/mutate.ts';

const RUNS = Number(process.env.MESHC_FUZZ_RUNS ?? 600);
const CLI_RUNS = Number(process.env.MESHC_FUZZ_CLI_RUNS ?? 10);
const SEED = Number(process.env.MESHC_FUZZ_SEED ?? 20261206);
/** A check that takes this long on one small input is a hang. */
const HANG_MS = 30_000;

const mutated = fc.record({ seed: fc.nat({ max: SEEDS.length - 1 }), ops: fc.array(op, { minLength: 1, maxLength: 6 }) })
  .map(({ seed, ops }) => ({ from: SEEDS[seed]!.name, ops, text: ops.reduce(apply, SEEDS[seed]!.text) }));

/** Objects made from scratch: known kinds and versions with generated names, labels and specs. */
const name = fc.oneof(fc.constantFrom('web', 'api', 'bookstore', 'a', '', 'Bad_Name', 'x.y', '-a'), fc.string({ maxLength: 20 }));
const generated = fc.array(
  fc.record({
    apiVersion: fc.constantFrom('v1', 'apps/v1', 'access.smi-spec.io/v1alpha3', 'access.smi-spec.io/v1alpha4', 'specs.smi-spec.io/v1alpha4',
      'split.smi-spec.io/v1alpha2', 'split.smi-spec.io/v1alpha4', 'specs.smi-spec.io/v1alpha1', 'v2'),
    kind: fc.constantFrom('Service', 'ServiceAccount', 'Deployment', 'Namespace', 'TrafficTarget', 'HTTPRouteGroup', 'TCPRoute', 'UDPRoute',
      'TrafficSplit', 'IdentityBinding', 'Endpoints', 'List', 'Pod'),
    metadata: fc.record({ name, namespace: name, labels: fc.dictionary(name, name, { maxKeys: 3 }) }, { requiredKeys: ['name'] }),
    spec: fc.jsonValue({ maxDepth: 4 }),
  }, { requiredKeys: ['kind'] }),
  { minLength: 1, maxLength: 4 },
).map((docs) => ({ from: 'generated', ops: [], text: docs.map((d) => JSON.stringify(d)).join('\n---\n') }));

const input = fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: generated });

function withinTime<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`check did not finish in ${HANG_MS} ms: ${what}`)), HANG_MS); });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

test(`check in-process: ${RUNS} mutated or generated manifests (seed ${SEED}) never give MESH0001, a throw, a hang or a process warning`, async () => {
  let tried = 0;
  // A process warning (e.g. from the YAML library) would reach the user's stderr.
  const warnings: string[] = [];
  const onWarning = (w: Error) => void warnings.push(w.message);
  process.on('warning', onWarning);
  await fc.assert(
    fc.asyncProperty(input, async (c) => {
      tried++;
      const result = await withinTime(check(['-'], { cwd: ROOT, readStdin: async () => Buffer.from(c.text) }), c.from);
      const internal = result.diagnostics.filter((d) => d.code === 'MESH0001');
      assert.equal(internal.map((d) => d.message), [], `from ${c.from}`);
      for (const d of result.diagnostics) assert.match(d.code, /^MESH\d{4}$/);
      await new Promise((r) => setImmediate(r));
      assert.equal(warnings.splice(0), [], `process warning from ${c.from}: ${JSON.stringify(c.text.slice(0, 2000))}`);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: process.env.MESHC_FUZZ_SHRINK !== '1' },
  ).finally(() => process.off('warning', onWarning));
  console.log(`  fuzz: check tried ${tried} inputs in-process (seed ${SEED})`);
});

test(`check through the CLI: ${CLI_RUNS} inputs give JSON on stdout, exit 0/1/2, no stack trace, no MESH0001`, () => {
  let tried = 0;
  fc.assert(
    fc.property(input, (c) => {
      tried++;
      const r = spawnSync(process.execPath, [BIN, 'check', '--format', 'json', '-'], {
        input: c.text, cwd: ROOT, encoding: 'utf8', env: cleanEnv({ NO_COLOR: '1' }), timeout: HANG_MS * 2, maxBuffer: 64 * 1024 * 1024,
      });
      assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `exit ${r.status} (${r.signal ?? 'no signal'}) from ${c.from}: ${r.stderr}`);
      assert.not.match(r.stderr, STACK, r.stderr);
      const report = JSON.parse(r.stdout) as { diagnostics: { code: string }[] };
      assert.not.ok(report.diagnostics.some((d) => d.code === 'MESH0001'), r.stdout);
    }),
    { seed: SEED + 1, numRuns: CLI_RUNS, endOnFailure: true },
  );
  console.log(`  fuzz: check tried ${tried} inputs through the CLI (seed ${SEED + 1})`);
});

test.run();
