/**
 * Type-checks a DSL file (and the local modules it imports) with the
 * TypeScript compiler API, against meshc's own DSL API source for `meshc`.
 * Fixed, strict settings: a user's tsconfig.json does not change what meshc
 * accepts. TypeScript diagnostics become MESH09xx findings with the TS code.
 */
import { isBuiltin } from 'node:module';
import { resolve } from 'node:path';
import type * as TS from 'typescript';
import type { CatalogMessage } from '../core/catalog/index.ts';
import type { SourceRange } from '../core/types.ts';
import { apiDir } from './paths.ts';

/** A finding before it reaches a DiagnosticSink (ranges use absolute paths; cacheable). */
export type DslFinding = CatalogMessage & { range: SourceRange | null };

export interface TypecheckResult {
  program: TS.Program;
  /** Absolute paths of the user's source files in the program (not lib, not meshc, not node_modules). */
  userFiles: string[];
  findings: DslFinding[];
  hasErrors: boolean;
}

export function compilerOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
    allowJs: true,
    resolveJsonModule: true,
    esModuleInterop: true,
    isolatedModules: true,
    allowImportingTsExtensions: true,
  };
}

function isUserFile(program: TS.Program, sf: TS.SourceFile, api: string): boolean {
  if (sf.isDeclarationFile || program.isSourceFileDefaultLibrary(sf) || program.isSourceFileFromExternalLibrary(sf)) return false;
  const f = resolve(sf.fileName);
  return !f.startsWith(api) && !f.split(/[\\/]/).includes('node_modules');
}

// Cannot find module …: plain, with a moduleResolution hint, with an @types/node hint.
const MODULE_NOT_FOUND = new Set([2307, 2792, 2591]);

/** What the sandbox provides beyond ECMAScript (see evaluate.ts): a console that collects lines. */
export const SANDBOX_GLOBALS_FILE = '/__meshc__/sandbox-globals.d.ts';
const SANDBOX_GLOBALS = `declare var console: {
  log(...data: unknown[]): void; info(...data: unknown[]): void; warn(...data: unknown[]): void;
  error(...data: unknown[]): void; debug(...data: unknown[]): void; trace(...data: unknown[]): void;
};
`;

function flatten(text: string | TS.DiagnosticMessageChain): string[] {
  if (typeof text === 'string') return [text];
  const out: string[] = [];
  const walk = (c: TS.DiagnosticMessageChain) => {
    out.push(c.messageText);
    for (const n of c.next ?? []) walk(n);
  };
  walk(text);
  return out;
}

const clip = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const names = (union: string) => {
  const list = [...union.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  return list.length > 0 ? list.join(', ') : 'none';
};

/**
 * Rewrites the messages of defineMesh's own error types (NotInMesh,
 * UnknownField) into plain words; other messages keep TypeScript's wording,
 * first line plus the most specific one.
 */
export function describeTsMessage(lines: string[]): string {
  const all = lines.join('\n');
  const notIn = /NotInMesh<"([^"]*)", "([^"]*)", ([^>]*?)>/.exec(all);
  if (notIn && !notIn[3]!.includes('...')) {
    const [, what, name, known] = notIn;
    const article = /^(HTTP|identity)/.test(what!) ? 'an' : 'a';
    return `"${name}" is not ${article} ${what} defined in this mesh (defined: ${names(known!)}); use external('${name}') for one defined elsewhere`;
  }
  const unknown = /UnknownField<"([^"]*)", ([^>]*?)>/.exec(all);
  if (unknown && !unknown[2]!.includes('...')) return `unknown field "${unknown[1]}" (known fields: ${names(unknown[2]!)})`;
  const head = clip(lines[0]!);
  return lines.length > 1 ? `${head} ${clip(lines[lines.length - 1]!)}` : head;
}

function rangeOf(sf: TS.SourceFile, start: number, length: number): SourceRange {
  const a = sf.getLineAndCharacterOfPosition(start);
  const b = sf.getLineAndCharacterOfPosition(start + length);
  return { file: resolve(sf.fileName), line: a.line + 1, column: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
}

function toFinding(ts: typeof TS, d: TS.Diagnostic, syntactic: boolean): DslFinding | null {
  if (d.category !== ts.DiagnosticCategory.Error) return null;
  const range = d.file && d.start !== undefined ? rangeOf(d.file, d.start, d.length ?? 0) : null;
  const lines = flatten(d.messageText);
  if (MODULE_NOT_FOUND.has(d.code)) {
    const module = /'([^']+)'/.exec(lines[0]!)?.[1] ?? '?';
    return { code: isBuiltin(module) ? 'MESH0907' : 'MESH0902', args: { module }, range };
  }
  return { code: syntactic ? 'MESH0900' : 'MESH0901', args: { tsMessage: describeTsMessage(lines), tsCode: d.code }, range };
}

const libFiles = new Map<string, TS.SourceFile>();

/** Type-checks `file`; `meshc` resolves to the DSL API source. */
export function typecheck(ts: typeof TS, file: string): TypecheckResult {
  const options = compilerOptions(ts);
  const host = ts.createCompilerHost(options, true);
  // Like tsc: JSDoc in .ts files only matters for a few type errors; skipping the rest is much faster.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const getSourceFile = host.getSourceFile.bind(host);
  const libDir = resolve(ts.getDefaultLibFilePath(options), '..');
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    if (name === SANDBOX_GLOBALS_FILE) return ts.createSourceFile(name, SANDBOX_GLOBALS, languageVersion);
    // TypeScript's own lib files (the bulk of a program) are parsed once per process, not once per DSL file.
    if (!resolve(name).startsWith(libDir)) return getSourceFile(name, languageVersion, onError, shouldCreate);
    let sf = libFiles.get(name);
    if (!sf) {
      sf = getSourceFile(name, languageVersion, onError, shouldCreate);
      if (sf) libFiles.set(name, sf);
    }
    return sf;
  };
  const api = apiDir();
  const meshcEntry = resolve(api, 'index.ts');
  host.resolveModuleNameLiterals = (literals, containingFile, _redirected, opts) =>
    literals.map((lit) => {
      if (lit.text === 'meshc') return { resolvedModule: { resolvedFileName: meshcEntry, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      return ts.resolveModuleName(lit.text, containingFile, opts, host);
    });
  const program = ts.createProgram({ rootNames: [file, SANDBOX_GLOBALS_FILE], options, host });
  const findings: DslFinding[] = [];
  const userFiles: string[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!isUserFile(program, sf, api)) continue;
    userFiles.push(resolve(sf.fileName));
    const syntactic = program.getSyntacticDiagnostics(sf);
    // Like tsc: semantic errors of a file that does not parse are mostly noise.
    const list = syntactic.length > 0 ? syntactic : program.getSemanticDiagnostics(sf);
    for (const d of list) {
      const f = toFinding(ts, d, syntactic.length > 0);
      if (f) findings.push(f);
    }
  }
  // The root itself missing from the program means it could not be read.
  if (!program.getSourceFile(file)) findings.push({ code: 'MESH0002', args: { path: file, reason: 'cannot be read' }, range: null });
  return { program, userFiles, findings, hasErrors: findings.length > 0 };
}

