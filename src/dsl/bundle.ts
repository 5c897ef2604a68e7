/**
 * Bundles a DSL file with its local imports into one script (esbuild), ready
 * for the sandbox: `meshc` resolves to the DSL API source, Node built-ins are
 * refused, and the user's own files are instrumented (see instrument.ts).
 */
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import type * as ESBuild from 'esbuild';
import type { DslFinding } from './typecheck.ts';
import type { InstrumentedFile } from './instrument.ts';
import { apiDir, apiEntry, internalEntry } from './paths.ts';

export const BUNDLE_NAME = 'meshc-dsl-bundle.js';

export interface Bundle {
  code: string;
  /** Source map (JSON) of `code`; sources are relative to `workDir`. */
  map: string;
  workDir: string;
  /** Absolute paths of every file the bundle read (user files and packages), meshc's API excluded. */
  inputs: string[];
}

/** Instruments one user file; undefined leaves it to esbuild as is. */
export type Instrumenter = (absPath: string) => InstrumentedFile | undefined;

const isUserPath = (p: string) => !p.split(/[\\/]/).includes('node_modules') && !resolve(p).startsWith(apiDir());

function loaderFor(path: string): ESBuild.Loader {
  const ext = extname(path).toLowerCase();
  return ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : 'js';
}

export async function bundleDsl(esbuild: typeof ESBuild, file: string, instrument: Instrumenter, files: Map<string, InstrumentedFile>): Promise<{ bundle?: Bundle; findings: DslFinding[] }> {
  const workDir = dirname(file);
  const plugin: ESBuild.Plugin = {
    name: 'meshc-dsl',
    setup(build) {
      build.onResolve({ filter: /^meshc$/ }, () => ({ path: apiEntry() }));
      build.onResolve({ filter: /^meshc\/internal$/ }, () => ({ path: internalEntry() }));
      build.onResolve({ filter: /.*/ }, (args) => {
        if (isBuiltin(args.path)) return { errors: [{ text: `builtin:${args.path}` }] };
        return undefined;
      });
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (!isUserPath(args.path)) return undefined;
        const inst = instrument(args.path);
        if (!inst) return { contents: readFileSync(args.path, 'utf8'), loader: loaderFor(args.path) };
        files.set(args.path, inst);
        return { contents: inst.text, loader: loaderFor(args.path), resolveDir: dirname(args.path) };
      });
    },
  };
  const entry = [
    `import * as userModule from ${JSON.stringify(file)};`,
    `import { runMeshModule } from 'meshc/internal';`,
    `globalThis.__meshcOutput = runMeshModule(userModule);`,
  ].join('\n');
  let result: ESBuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      stdin: { contents: entry, resolveDir: workDir, sourcefile: '<meshc-entry>', loader: 'js' },
      absWorkingDir: workDir,
      outfile: join(workDir, BUNDLE_NAME),
      bundle: true,
      write: false,
      metafile: true,
      format: 'iife',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['import', 'default'],
      target: 'es2022',
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [plugin],
    }) as ESBuild.BuildResult<{ write: false; metafile: true }>;
  } catch (err) {
    const failure = err as ESBuild.BuildFailure;
    if (!Array.isArray(failure.errors)) throw err;
    return { findings: failure.errors.map((m) => toFinding(m, workDir, files)) };
  }
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  if (!js || !map) throw new Error('esbuild produced no output');
  const inputs = Object.keys(result.metafile.inputs)
    .filter((k) => !k.startsWith('<'))
    .map((k) => resolve(workDir, k.replace(/^[a-z-]+:/, '')))
    .filter((p) => !p.startsWith(apiDir()))
    .sort();
  return { bundle: { code: js.text, map: map.text, workDir, inputs }, findings: [] };
}

function toFinding(m: ESBuild.Message, workDir: string, files: Map<string, InstrumentedFile>): DslFinding {
  let range = null;
  if (m.location) {
    const abs = resolve(workDir, m.location.file);
    const inst = files.get(abs);
    const column = inst ? inst.originalColumn(m.location.line, m.location.column + 1) : m.location.column + 1;
    range = { file: abs, line: m.location.line, column, endLine: m.location.line, endColumn: column + Math.max(0, m.location.length) };
  }
  const builtin = /^builtin:(.*)$/.exec(m.text);
  if (builtin) return { code: 'MESH0907', args: { module: builtin[1] }, range };
  const missing = /^Could not resolve "(.*)"$/.exec(m.text);
  if (missing) return { code: 'MESH0902', args: { module: missing[1] }, range };
  return { code: 'MESH0910', args: { esbuildMessage: m.text }, range };
}
