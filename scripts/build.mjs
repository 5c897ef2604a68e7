// Builds meshc: bundles the CLI and the API with esbuild. Heavy dependencies
// stay external and are imported lazily by the commands that need them.
import { build, transformSync } from 'esbuild';
import { readFileSync, rmSync, mkdirSync, existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
const bundle = await build({
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
  metafile: true,
  define: {
    'process.env.MESHC_VERSION': JSON.stringify(pkg.version),
    'process.env.MESHC_BUILD_ID': JSON.stringify(buildId.digest('hex')),
    // src/schema/validators.ts requires dist/validators/<key>.cjs relative to its chunk (dist/chunks/, checked below)
    'process.env.MESHC_VALIDATORS_DIR': JSON.stringify('../validators/'),
  },
  banner: { js: "import { createRequire as __meshcCreateRequire } from 'node:module'; const require = __meshcCreateRequire(import.meta.url);" },
});
if (!existsSync(root + next + '/cli.js')) process.exit(1);
writeSchemaValidators();

// Declaration files for the package entry (the DSL's `import { defineMesh } from 'meshc'` in editors).
const types = spawnSync(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.types.json', '--outDir', root + next + '/types'], { stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);

/**
 * The per-schema validator modules (src/schema/generated/validators/<key>.ts, written by
 * prebuild-schemas.mjs) as dist/validators/<key>.cjs: src/schema/validators.ts requires the one a
 * document needs, so a run compiles only the validators of the kinds it meets.
 */
function writeSchemaValidators() {
  const loaders = Object.entries(bundle.metafile.outputs).filter(([, o]) => 'src/schema/validators.ts' in o.inputs).map(([f]) => f);
  if (loaders.length !== 1 || !loaders[0].startsWith(`${next}/chunks/`)) {
    console.error(`build: src/schema/validators.ts must be bundled into one chunk under chunks/ (it is in ${loaders.join(', ') || 'no output'})`);
    process.exit(1);
  }
  const srcDir = 'src/schema/generated/validators/';
  const keys = readdirSync(root + srcDir, { recursive: true }).filter((f) => f.endsWith('.ts')).sort();
  for (const key of keys) {
    const out = `${root}${next}/validators/${key.replace(/\.ts$/, '.cjs')}`;
    const { code } = transformSync(readFileSync(root + srcDir + key, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node20', legalComments: 'none' });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
  }
}

if (existsSync(root + 'dist')) renameSync(root + 'dist', root + old);
renameSync(root + next, root + 'dist');
rmSync(root + old, { recursive: true, force: true });
