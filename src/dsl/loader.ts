/**
 * The ExtraLoader for TypeScript DSL files: a cached result is used as is;
 * otherwise the file is compiled (compile.ts, which loads TypeScript and
 * esbuild). Either way the objects are registered in the run's SourceSet with
 * a DslSourceDoc, so every later finding points at the DSL line.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { SourceRange } from '../core/types.ts';
import type { ExtraLoader, InputFile, RawDocument } from '../load/index.ts';
import { displayPath, reason } from '../load/inputs.ts';
import { decodeText } from '../load/decode.ts';
import { visible } from '../report/text.ts';
import type { SourceSet } from '../source/source-set.ts';
import { fileStart } from '../source/yaml-doc.ts';
import { cacheDir, cacheKey, readCache, writeCache, type DslOutcome } from './cache.ts';
import { DslSourceDoc, type LocatedPath } from './source-doc.ts';

export const DSL_EXTENSIONS = ['.ts', '.mts'];

export interface DslLoaderOptions {
  /** The working directory display paths are relative to. */
  cwd?: string;
  /** Write console output of DSL files here (default: standard error). */
  log?: (line: string) => void;
}

/** Loads one DSL file into raw documents; never throws for bad input. */
export async function loadDslFile(input: InputFile, sources: SourceSet, sink: DiagnosticSink, options: DslLoaderOptions = {}): Promise<RawDocument[]> {
  const cwd = options.cwd ?? process.cwd();
  let text: Buffer;
  try {
    text = await readFile(input.path);
  } catch (err) {
    sink.report('MESH0002', { path: input.display, reason: reason(err) }, fileStart(input.display));
    return [];
  }
  // As for YAML: a binary, UTF-16 or otherwise non-UTF-8 file is said to be so (decoding would turn bad bytes into U+FFFD).
  if (decodeText(text, input.display, sink) === undefined) return [];
  const dir = cacheDir(cwd);
  const key = cacheKey(input.path, text);
  let outcome = dir ? readCache(dir, key) : null;
  if (!outcome) {
    const { compileDsl } = await import('./compile.ts');
    let compiled;
    const timings = {};
    try {
      compiled = await compileDsl(input.path, { timings, codeCacheDir: dir ? join(dirname(dir), 'v8') : null });
      if (process.env.MESHC_DEBUG_TIMINGS) process.stderr.write(`meshc: ${input.display}: ${JSON.stringify(timings, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))} ms\n`);
    } catch (err) {
      const mod = (err as { module?: string }).module;
      if (mod) sink.report('MESH0911', { module: mod, file: input.display, reason: (err as Error).message.split('\n')[0] }, fileStart(input.display));
      else sink.report('MESH0001', { detail: `DSL ${input.display}: ${(err as Error).message}` }, fileStart(input.display));
      return [];
    }
    outcome = compiled.outcome;
    if (dir && compiled.cacheable) writeCache(dir, key, compiled.deps, outcome);
  }
  return applyOutcome(outcome, input, sources, sink, cwd, options.log);
}

/** Registers an outcome's documents and reports its findings, with display paths for this run. */
export function applyOutcome(outcome: DslOutcome, input: InputFile, sources: SourceSet, sink: DiagnosticSink, cwd: string, log?: (line: string) => void): RawDocument[] {
  const show = (r: SourceRange): SourceRange => ({ ...r, file: r.file === input.path ? input.display : displayPath(cwd, r.file) });
  for (const f of outcome.findings) {
    const args = f.code === 'MESH0002' ? { ...f.args, path: input.display } : f.args;
    sink.report(f.code, args, f.range ? show(f.range) : fileStart(input.display));
  }
  const write = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // A DSL's console text is shown escaped, as manifest text in findings is: it cannot restyle the terminal.
  for (const line of outcome.logs) write(`${visible(input.display)}: console: ${visible(line)}`);
  return outcome.documents.map((d, i) => {
    const table = new Map<string, LocatedPath>();
    for (const [k, value, key] of d.table) table.set(k, key ? { value: show(value), key: show(key) } : { value: show(value) });
    const id = sources.add(new DslSourceDoc(input.display, i, table, show(d.fallback)));
    return { doc: id, file: input.display, path: [], value: d.value };
  });
}

/** The loader, for `loadDocuments({ extraLoaders: [dslLoader()] })`. */
export function dslLoader(options: DslLoaderOptions = {}): ExtraLoader {
  return { extensions: DSL_EXTENSIONS, load: (file, sources, sink) => loadDslFile(file, sources, sink, options) };
}
