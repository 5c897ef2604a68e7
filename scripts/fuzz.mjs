// `npm run fuzz [COUNT] [SEED]`: the property-based fuzz tests of `check`
// with many inputs, from SEED (default: a new one, printed so that a failure
// can be replayed); failures are shrunk to a small input:
// - test/fuzz-check.test.ts: COUNT inputs in-process (default 20,000) and
//   COUNT/100 through the CLI;
// - test/fuzz-cache.test.ts: COUNT/200 random edit sequences, the cached run
//   and a --watch session against a fresh uncached run after every edit;
// - test/fuzz-agreement.test.ts: COUNT/10 generated meshes on which why and
//   compile must agree;
// - test/fuzz-compile.test.ts: COUNT/50 generated meshes compiled for Envoy
//   or gRPC: valid and deterministic output, or a refusal for the user's errors;
// - test/fuzz-diff.test.ts: COUNT/20 generated changes (with --proxies): meshc diff shows nothing
//   between a tree and itself, mirrors when turned around, and base + diff = head.
import { spawnSync } from 'node:child_process';

const count = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
if (process.env.MESHC_SKIP_BUILD !== '1') {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
const sequences = Math.ceil(count / 200);
const meshes = Math.ceil(count / 10);
const compiles = Math.ceil(count / 50);
const diffs = Math.ceil(count / 20);
console.log(`fuzz: ${count} inputs in-process, ${Math.ceil(count / 100)} through the CLI, ${sequences} cache edit sequences, ${meshes} generated meshes for why/compile, ${compiles} compiled, ${diffs} diffs, seed ${seed} (replay: npm run fuzz -- ${count} ${seed})`);
const env = {
  ...process.env, MESHC_FUZZ_SEED: String(seed), MESHC_FUZZ_SHRINK: '1',
  MESHC_FUZZ_RUNS: String(count), MESHC_FUZZ_CLI_RUNS: String(Math.ceil(count / 100)), MESHC_FUZZ_CACHE_RUNS: String(sequences),
  MESHC_FUZZ_AGREEMENT_RUNS: String(meshes), MESHC_FUZZ_COMPILE_RUNS: String(compiles), MESHC_FUZZ_DIFF_RUNS: String(diffs),
};
for (const file of ['test/fuzz-check.test.ts', 'test/fuzz-cache.test.ts', 'test/fuzz-agreement.test.ts', 'test/fuzz-compile.test.ts', 'test/fuzz-diff.test.ts']) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
