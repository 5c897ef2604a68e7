// Builds meshc: bundles the CLI and the API with esbuild. Heavy dependencies
// stay external and are imported lazily by the commands that need them.
import { build } from 'esbuild';
import { readFileSync, rmSync, mkdirSync, existsSync, readdirSync, renameSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]
  // small dependencies on the check path are bundled for start-up speed
  .filter((name) => !['yaml', 'picomatch'].includes(name));

// Pre-build steps (e.g. compiling JSON Schemas to standalone validators) live in scripts/prebuild-*.mjs.
for (const f of readdirSync(new URL('.', import.meta.url)).filter((f) => /^prebuild-.*\.mjs$/.test(f)).sort()) {
  const r = spawnSync(process.execPath, [new URL(f, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The build's fingerprint: caches (src/core/cache-root.ts) never reuse what another build computed.
const buildId = createHash('sha256').update(`${pkg.version}\n`);
const srcFiles = readdirSync(new URL('../src', import.meta.url), { recursive: true }).filter((f) => f.endsWith('.ts')).sort();
for (const f of srcFiles) buildId.update(`${f}\n`).update(readFileSync(new URL(`../src/${f}`, import.meta.url)));
buildId.update(readFileSync(new URL('../package-lock.json', import.meta.url)));

// Build into a private directory and swap it in at the end, so a meshc that runs while
// another build is going on (tests, a second shell) never sees a half-written dist/.
const root = new URL('..', import.meta.url).pathname;
const next = `.dist-build-${process.pid}`;
const old = `.dist-old-${process.pid}`;
rmSync(root + next, { recursive: true, force: true });
mkdirSync(root + next);
await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts', 'snapshot-worker': 'src/snapshot/worker.ts', 'parse-worker': 'src/load/parse-worker.ts' },
  outdir: root + next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.MESHC_VERSION': JSON.stringify(pkg.version), 'process.env.MESHC_BUILD_ID': JSON.stringify(buildId.digest('hex')) },
  banner: { js: "import { createRequire as __meshcCreateRequire } from 'node:module'; const require = __meshcCreateRequire(import.meta.url);" },
});
if (!existsSync(root + next + '/cli.js')) process.exit(1);

// Declaration files for the package entry (the DSL's `import { defineMesh } from 'meshc'` in editors).
const types = spawnSync(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.types.json', '--outDir', root + next + '/types'], { stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);

if (existsSync(root + 'dist')) renameSync(root + 'dist', root + old);
renameSync(root + next, root + 'dist');
rmSync(root + old, { recursive: true, force: true });
