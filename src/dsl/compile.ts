/**
 * The slow path of a DSL file (no cache hit): type-check with TypeScript,
 * instrument and bundle with esbuild, evaluate in the sandbox, and turn the
 * rendered objects and their source references into a cacheable outcome.
 * Imported lazily: TypeScript and esbuild load only here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import type * as ESBuild from 'esbuild';
import type { SourceRange } from '../core/types.ts';
import { parseKeepingNumbers } from './api/json-numbers.ts';
import type { EvaluationOutput } from './api/internal.ts';
import type { RenderedDocument, SourceRef } from './api/render.ts';
import { bundleDsl, BUNDLE_NAME } from './bundle.ts';
import type { CachedDocument, DslOutcome } from './cache.ts';
import { evaluateBundle } from './evaluate.ts';
import { instrumentFile, type InstrumentedFile, type LiteralInfo } from './instrument.ts';
import { pathKey } from './source-doc.ts';
import { locateThrow } from './stack.ts';
import { typecheck, type DslFinding } from './typecheck.ts';
import { loadTypeScript } from './ts-load.ts';

export interface DslCompileResult {
  outcome: DslOutcome;
  /** Files the outcome depends on (for the cache). */
  deps: string[];
  /** False when the outcome depends on the machine (time or memory limit): do not cache. */
  cacheable: boolean;
}

export interface Toolchain {
  ts: typeof TS;
  esbuild: typeof ESBuild;
}

let toolchain: (Toolchain & { persist(): void }) | undefined;

/**
 * Loads TypeScript (with a V8 code cache under `codeCacheDir`, see
 * ts-load.ts) and esbuild once per process; throws with the module that
 * failed. require() rather than import(): both are CommonJS, and the ESM
 * loader would first scan TypeScript's 9 MB for export names.
 */
export function loadToolchain(codeCacheDir: string | null = null): Toolchain & { persist(): void } {
  if (toolchain) return toolchain;
  const require = createRequire(import.meta.url);
  const attempt = <T>(name: string, load: () => T): T => {
    try {
      return load();
    } catch (err) {
      throw Object.assign(new Error((err as Error).message), { module: name });
    }
  };
  const typescript = attempt('typescript', () => loadTypeScript(codeCacheDir));
  const esbuild = attempt('esbuild', () => require('esbuild') as typeof ESBuild);
  let persisted = false;
  toolchain = {
    ts: typescript.ts,
    esbuild,
    persist() {
      if (persisted) return;
      persisted = true;
      typescript.persist();
    },
  };
  return toolchain;
}

const fileStartAbs = (file: string): SourceRange => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1 });

/** Range of the file's `export default …` (or `export { x as default }`), if any. */
function defaultExportRange(ts: typeof TS, sf: TS.SourceFile, file: string): SourceRange | null {
  for (const st of sf.statements) {
    const isDefault =
      (ts.isExportAssignment(st) && !st.isExportEquals) ||
      (ts.isExportDeclaration(st) && !!st.exportClause && ts.isNamedExports(st.exportClause) && st.exportClause.elements.some((e) => e.name.text === 'default')) ||
      ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && !!st.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword));
    if (!isDefault) continue;
    const a = sf.getLineAndCharacterOfPosition(st.getStart(sf));
    const lineEnd = sf.getLineEndOfPosition(st.getStart(sf));
    const b = sf.getLineAndCharacterOfPosition(Math.min(st.end, lineEnd));
    return { file, line: a.line + 1, column: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
  }
  return null;
}

/** Turns the renderer's source references into ranges. */
function locateDocuments(docs: RenderedDocument[], literals: Map<number, LiteralInfo>, files: Map<string, InstrumentedFile>, file: string): CachedDocument[] {
  const resolveRef = (ref: SourceRef): { value: SourceRange; key: SourceRange | null } | null => {
    const info = literals.get(ref.lit);
    const inst = info && files.get(info.file);
    if (!info || !inst) return null;
    if (ref.prop === undefined) return { value: inst.toRange(info.span), key: null };
    if (typeof ref.prop === 'number') return { value: inst.toRange(info.elems[ref.prop] ?? info.span), key: null };
    const p = info.props.get(ref.prop);
    if (!p) return { value: inst.toRange(info.span), key: null };
    const key = inst.toRange(p.key);
    return { value: ref.key ? key : inst.toRange(p.value), key };
  };
  return docs.map((d) => {
    const table = new Map<string, [string, SourceRange, SourceRange | null]>();
    for (const [path, ref] of d.refs) {
      const k = pathKey(path);
      if (table.has(k)) continue; // the first (most specific) record of a path wins
      const r = resolveRef(ref);
      if (r) table.set(k, [k, r.value, r.key]);
    }
    const root = table.get(pathKey([]));
    return { value: d.value, table: [...table.values()], fallback: root ? root[1] : fileStartAbs(file) };
  });
}

/**
 * The whole line of `at` (first to last non-blank character): where in the
 * line a paused loop stood is chance, the line is what the user needs.
 */
function wholeLine(at: SourceRange): SourceRange {
  let text: string | undefined;
  try {
    text = readFileSync(at.file, 'utf8').split(/\r?\n/)[at.line - 1];
  } catch {
    return at;
  }
  if (text === undefined || text.trim() === '') return at;
  const column = text.length - text.trimStart().length + 1;
  return { file: at.file, line: at.line, column, endLine: at.line, endColumn: text.trimEnd().length + 1 };
}

/** Milliseconds per phase, filled when given (benchmarks, MESHC_DEBUG_TIMINGS). */
export type Timings = Partial<Record<'load' | 'typecheck' | 'bundle' | 'evaluate', number>>;

export interface DslCompileOptions {
  timings?: Timings;
  /** Where the V8 code cache of TypeScript lives (null: none). */
  codeCacheDir?: string | null;
}

/** Checks, bundles and evaluates `file` (absolute path). */
export async function compileDsl(file: string, options: DslCompileOptions = {}): Promise<DslCompileResult> {
  const timings = options.timings ?? {};
  let t0 = performance.now();
  const lap = (phase: keyof Timings) => {
    const now = performance.now();
    timings[phase] = now - t0;
    t0 = now;
  };
  const tools = loadToolchain(options.codeCacheDir ?? null);
  const { ts, esbuild } = tools;
  lap('load');
  const checked = typecheck(ts, file);
  tools.persist();
  lap('typecheck');
  const deps = new Set([file, ...checked.userFiles]);
  const done = (findings: DslFinding[], documents: CachedDocument[] = [], logs: string[] = [], cacheable = true): DslCompileResult =>
    ({ outcome: { findings, documents, logs }, deps: [...deps], cacheable });
  if (checked.hasErrors) return done(checked.findings);
  // No import or export at all: esbuild would take the file for CommonJS and hand back `{}` as its default.
  const rootSf = checked.program.getSourceFile(file);
  if (rootSf && !ts.isExternalModule(rootSf)) return done([{ code: 'MESH0905', args: { exports: ' (it exports nothing)' }, range: fileStartAbs(file) }]);

  const literals = new Map<number, LiteralInfo>();
  const files = new Map<string, InstrumentedFile>();
  let nextId = 0;
  const instrument = (abs: string): InstrumentedFile | undefined => {
    let sf = checked.program.getSourceFile(abs);
    if (!sf) {
      try {
        sf = ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.ES2022, true);
      } catch {
        return undefined;
      }
    }
    return instrumentFile(ts, sf, abs, literals, () => ++nextId);
  };
  const bundled = await bundleDsl(esbuild, file, instrument, files);
  lap('bundle');
  if (!bundled.bundle) return done(bundled.findings);
  for (const input of bundled.bundle.inputs) deps.add(input);

  const mainSf = checked.program.getSourceFile(file)!;
  const exportRange = defaultExportRange(ts, mainSf, file);
  const result = await evaluateBundle(bundled.bundle.code, BUNDLE_NAME);
  lap('evaluate');
  switch (result.kind) {
    case 'timeout': {
      // Where it was running when stopped (an endless loop's line), else the export.
      const at = result.stack ? locateThrow(result.stack, bundled.bundle.map, bundled.bundle.workDir, files) : null;
      return done([{ code: 'MESH0904', args: { ms: result.ms }, range: (at && wholeLine(at)) ?? exportRange ?? fileStartAbs(file) }], [], result.logs, false);
    }
    case 'out-of-memory':
      return done([{ code: 'MESH0908', args: { mb: result.mb }, range: exportRange ?? fileStartAbs(file) }], [], result.logs, false);
    case 'threw': {
      const at = locateThrow(result.stack, bundled.bundle.map, bundled.bundle.workDir, files);
      return done([{ code: 'MESH0903', args: { error: result.message }, range: at ?? exportRange ?? fileStartAbs(file) }], [], result.logs);
    }
    case 'ok':
      break;
  }
  let output: EvaluationOutput;
  try {
    output = parseKeepingNumbers(result.output) as EvaluationOutput;
  } catch {
    return done([{ code: 'MESH0903', args: { error: 'the evaluation produced no result' }, range: exportRange ?? fileStartAbs(file) }], [], result.logs);
  }
  switch (output.kind) {
    case 'no-default-export': {
      const exports = output.exports.length > 0 ? ` (it exports ${output.exports.join(', ')})` : '';
      return done([{ code: 'MESH0905', args: { exports }, range: fileStartAbs(file) }], [], result.logs);
    }
    case 'wrong-export':
      return done([{ code: 'MESH0906', args: { type: output.type }, range: exportRange ?? fileStartAbs(file) }], [], result.logs);
    case 'render-error':
      return done([{ code: 'MESH0924', args: { jsError: output.message }, range: exportRange ?? fileStartAbs(file) }], [], result.logs);
    case 'mesh':
      break;
  }
  const documents = locateDocuments(output.result.documents, literals, files, file);
  const findings: DslFinding[] = output.result.problems.map((p) => {
    const info = p.ref ? literals.get(p.ref.lit) : undefined;
    const inst = info ? files.get(info.file) : undefined;
    let range: SourceRange = exportRange ?? fileStartAbs(file);
    if (p.ref && info && inst) {
      const prop = p.ref.prop;
      const span = prop === undefined ? info.span
        : typeof prop === 'number' ? info.elems[prop] ?? info.span
        : (p.ref.key ? info.props.get(prop)?.key : info.props.get(prop)?.value) ?? info.span;
      range = inst.toRange(span);
    }
    return { code: p.code, args: p.args, range } as DslFinding;
  });
  return done(findings, documents, result.logs);
}
