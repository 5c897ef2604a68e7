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
// ...and of this script, which decides what the bundles hold (the code cache of check is keyed by it too).
buildId.update(readFileSync(new URL(import.meta.url)));

// Build into a private directory and swap it in at the end, so a meshc that runs while
// another build is going on (tests, a second shell) never sees a half-written dist/.
const root = new URL('..', import.meta.url).pathname;
const next = `.dist-build-${process.pid}`;
const old = `.dist-old-${process.pid}`;
rmSync(root + next, { recursive: true, force: true });
mkdirSync(root + next);
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
  define: {
    'process.env.MESHC_VERSION': JSON.stringify(pkg.version),
    'process.env.MESHC_BUILD_ID': JSON.stringify(buildId.digest('hex')),
    // src/schema/validators.ts requires dist/validators/<key>.cjs relative to its chunk (dist/chunks/, checked below)
    'process.env.MESHC_VALIDATORS_DIR': JSON.stringify('../validators/'),
  },
  banner: { js: "import { createRequire as __meshcCreateRequire } from 'node:module'; const require = __meshcCreateRequire(import.meta.url);" },
  plugins: [yamlWithoutDebugSwitches()],
};
const bundle = await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts', 'snapshot-worker': 'src/snapshot/worker.ts', 'parse-worker': 'src/load/parse-worker.ts' },
  outdir: root + next,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
if (!existsSync(root + next + '/cli.js')) process.exit(1);
writeSchemaValidators();
await buildCheckCli();

// Declaration files for the package entry (the DSL's `import { defineMesh } from 'meshc'` in editors).
const types = spawnSync(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.types.json', '--outDir', root + next + '/types'], { stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);

/**
 * `meshc check` (the pre-commit and CI step, often on a few files) starts from a bundle of its own
 * (src/cli/check-boot.ts explains why): dist/check.js, which bin/meshc.js loads for it, runs
 * dist/chunks/cli-check.cjs, the CLI with everything check reaches in one CommonJS file (V8 can
 * cache its compiled code). Same sources as dist/cli.js. It sits in chunks/ so that paths relative
 * to import.meta.url (validators, parse workers) are those of the split chunks.
 */
async function buildCheckCli() {
  const check = await build({
    ...common,
    entryPoints: { 'cli-check': 'src/cli/main.ts' },
    outdir: `${root}${next}/chunks`,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    plugins: [noDynamicImport(), yamlWithoutDebugSwitches()],
    define: { ...common.define, 'import.meta.url': '__meshcImportMetaUrl' },
    // Strict, like the ES modules it is built from (and the split build), whether required or run by check-boot.
    banner: { js: "'use strict';\nvar __meshcImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const left = Object.values(check.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
  if (left.length) {
    console.error(`build: dist/chunks/cli-check.cjs must not use import() (${left.join(', ')}): see noDynamicImport`);
    process.exit(1);
  }
  await build({ ...common, entryPoints: { check: 'src/cli/check-boot.ts' }, outdir: root + next });
}

/**
 * V8 (Node 20) drops the callback import() needs from a script compiled from a code cache, so the
 * check bundle has no import(): a lazily imported built-in or package is a require() (through a
 * one-line CommonJS module that esbuild bundles); the other commands of main.ts are stubs, since
 * bin/meshc.js sends only `check` to this bundle (they run from dist/cli.js).
 */
function noDynamicImport() {
  const setup = (b) => {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      if (args.importer.endsWith('/src/cli/main.ts') && /^\.\/commands\/[a-z-]+\.ts$/.test(args.path)) {
        return args.path === './commands/check.ts' ? undefined : { path: args.path, namespace: 'other-command' };
      }
      const bare = !args.path.startsWith('.') && !args.path.startsWith('/');
      const builtinOrExternal = args.path.startsWith('node:') || external.some((e) => args.path === e || args.path.startsWith(`${e}/`));
      return bare && builtinOrExternal ? { path: args.path, namespace: 'require' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: 'other-command' }, (args) => ({
      contents: `export const command = { summary: '', run() { throw new Error(${JSON.stringify(`${args.path}: the check bundle runs only meshc check (dist/cli.js runs the others)`)}); } };`,
      loader: 'js',
    }));
  };
  return { name: 'no-dynamic-import', setup };
}

/**
 * The yaml package reads `process.env.LOG_TOKENS` for every token its parser
 * takes and `process.env.LOG_STREAM` for every one its composer takes (its own
 * debugging switches). Each read of process.env goes through the environment
 * (a call into C++): a fifth of the time of parsing a big input. The bundles
 * read them as undefined (meshc never sets them); tests check no read is left.
 */
function yamlWithoutDebugSwitches() {
  const setup = (b) => {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const replaced = text.replace(/\bnode_process\.env\.LOG_(TOKENS|STREAM)\b/g, 'undefined');
      const warnings = replaced === text ? [{ text: `yaml's debugging switches were not found in ${args.path}: parsing reads process.env per token` }] : [];
      return { contents: replaced, loader: 'js', warnings };
    });
  };
  return { name: 'yaml-without-debug-switches', setup };
}

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
