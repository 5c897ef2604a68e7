// Runs every benchmark in bench/ (each prints its own figures). Benchmarks
// measure ratios within one run, never absolute seconds.
// `npm run bench -- check` runs only bench files whose name contains "check".
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const filter = process.argv[2] ?? '';
const skip = new Set(['generate.ts']);
const files = readdirSync(new URL('../bench', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !skip.has(f) && f.includes(filter))
  .sort();
if (process.env.MESHC_SKIP_BUILD !== '1') {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
