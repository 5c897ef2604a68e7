// Runs the uvu suites (TypeScript via tsx) and ends with the line CI reads:
// "N passed, N failed". Builds first so CLI tests run the real bundle
// (set MESHC_SKIP_BUILD=1 to skip). Extra arguments: a file pattern, e.g.
// `npm test -- rules` runs only test files whose path contains "rules";
// `npm test -- cli.test.ts` runs test/cli.test.ts alone. A name that selects
// no file fails.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.MESHC_SKIP_BUILD !== '1') {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The uvu pattern for `npm test -- NAME`: files whose path contains NAME; a file's own name (cli.test.ts, test/cli.test) picks that file alone. */
function filterFor(name) {
  if (!name) return '\\.test\\.ts$';
  const file = /\.test(\.ts)?$/.test(name) ? name.replace(/^(\.\/)?test\//, '').replace(/\.test(\.ts)?$/, '') : null;
  return file !== null ? `(^|/)${escape(file)}\\.test\\.ts$` : `.*${escape(name)}.*\\.test\\.ts$`;
}
const filter = filterFor(process.argv[2]);
const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', filter, '-c', 'false'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
});
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const num = (label) => Number((out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? 0);
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped');
  let failed = Math.max(0, total - passed - skipped);
  // A crash before the summary still must read as a failure.
  if (code !== 0 && failed === 0) failed = 1;
  // A name that selects no test file is a mistake, not a pass.
  if (total === 0 && failed === 0) {
    console.error(`no test file matches ${JSON.stringify(process.argv[2] ?? '')} (test/**/*.test.ts)`);
    failed = 1;
  }
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
