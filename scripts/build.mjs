// Builds meshc: bundles the CLI and the API with esbuild. Heavy dependencies
// stay external and are imported lazily by the commands that need them.
import { build } from 'esbuild';
import { readFileSync, rmSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]
  // small dependencies on the check path are bundled for start-up speed
  .filter((name) => !['yaml', 'picomatch'].includes(name));

// Pre-build steps (e.g. compiling JSON Schemas to standalone validators) live in scripts/prebuild-*.mjs.
for (const f of readdirSync(new URL('.', import.meta.url)).filter((f) => /^prebuild-.*\.mjs$/.test(f)).sort()) {
  const r = spawnSync(process.execPath, [new URL(f, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
mkdirSync(new URL('../dist', import.meta.url));
await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts', 'snapshot-worker': 'src/snapshot/worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.MESHC_VERSION': JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __meshcCreateRequire } from 'node:module'; const require = __meshcCreateRequire(import.meta.url);" },
});
if (!existsSync(new URL('../dist/cli.js', import.meta.url))) process.exit(1);

// Declaration files for the package entry (the DSL's `import { defineMesh } from 'meshc'` in editors).
const types = spawnSync(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.types.json'], { stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);
