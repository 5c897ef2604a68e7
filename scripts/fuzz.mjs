// `npm run fuzz [COUNT] [SEED]`: the property-based fuzz test of `check`
// (test/fuzz-check.test.ts) with many inputs: COUNT in-process (default
// 20,000) and COUNT/100 through the CLI, from SEED (default: a new one, printed
// so that a failure can be replayed). Failures are shrunk to a small input.
import { spawnSync } from 'node:child_process';

const count = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
if (process.env.MESHC_SKIP_BUILD !== '1') {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
console.log(`fuzz: ${count} inputs in-process, ${Math.ceil(count / 100)} through the CLI, seed ${seed} (replay: npm run fuzz -- ${count} ${seed})`);
const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fuzz-check.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, MESHC_FUZZ_RUNS: String(count), MESHC_FUZZ_CLI_RUNS: String(Math.ceil(count / 100)), MESHC_FUZZ_SEED: String(seed), MESHC_FUZZ_SHRINK: '1' },
});
process.exit(r.status ?? 1);
