import { extname } from 'node:path';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import { SourceSet } from '../source/source-set.ts';
import { fileStart } from '../source/yaml-doc.ts';
import { expandInputs, MANIFEST_EXTENSIONS, type InputFile } from './inputs.ts';
import { parseManifestText, type FileShape, type RawDocument } from './parse.ts';
import { parseManifestCached, pruneParseCache, type ParseCache, type ParseText } from './parse-cache.ts';
import { parseThroughShared, type SharedParses } from './shared-parses.ts';
import { replayParsed, type EncodedContent } from './parsed-file.ts';
import { ParseDispatch } from './parse-dispatch.ts';
import { InputBudget, readInOrder, readInput, type ReadInput } from './read.ts';

export type { RawDocument } from './parse.ts';
export type { InputFile } from './inputs.ts';
export type { SharedParses } from './shared-parses.ts';
export { sweepSharedParses } from './shared-parses.ts';
export { MIN_POOL_CHARS, parseWorkerCount } from './parse-dispatch.ts';

export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

/**
 * A loader for a non-YAML input language (the TypeScript DSL). It gets the
 * file and returns raw documents registered in the same SourceSet.
 */
export interface ExtraLoader {
  extensions: string[];
  /** While walking directories, take only the files this accepts (explicit paths are always taken). */
  accepts?(name: string): boolean;
  /** The names it takes, as shown to users (default: `*` + each extension). */
  patterns?: string[];
  load(file: InputFile, sources: SourceSet, sink: DiagnosticSink): Promise<RawDocument[]>;
}

export interface LoadOptions {
  cwd?: string;
  maxFileSize?: number;
  /** Reads standard input when '-' is given. */
  readStdin?: () => Promise<Buffer>;
  /** In-memory files (display name → content), used by the API and tests instead of paths. */
  extraLoaders?: ExtraLoader[];
  /** Where parsed files are cached by content (openParseCache); none when absent. */
  cache?: ParseCache | null;
  /** Parsed YAML files shared by several loads (diff's two trees, the runs of a watch session: see SharedParses). */
  parseCache?: SharedParses;
  /**
   * Parse worker threads (parse-pool.ts): by default some for big inputs on a
   * machine with several cores, none for small ones; 0 parses in this thread.
   * The result is the same either way.
   */
  workers?: number;
  /** Tests: this thread leaves every file it shares with parse workers to them (by default whoever gets to a file first parses it). */
  workersOnly?: boolean;
  /**
   * Called with each raw document, in input order, as soon as its file is
   * parsed (the documents of the result are the same, in the same order): the
   * model is built while parse workers are still busy.
   */
  onDocument?: (document: RawDocument, sources: SourceSet) => void;
  /**
   * Hand documents to onDocument only when parse workers run (there is
   * parsing to overlap with); else the caller takes them from the result,
   * and may find it need not build a model at all (check-cached.ts).
   */
  streamOnlyWithWorkers?: boolean;
  /** Absolute paths directory walks pass over (ExpandOptions.skip). */
  skipPaths?: readonly string[];
}

export interface LoadResult {
  sources: SourceSet;
  documents: RawDocument[];
  files: string[];
}

/** Reads and parses every input into raw documents; never throws for bad input. */
export async function loadDocuments(paths: string[], sink: DiagnosticSink, options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const extra = options.extraLoaders ?? [];
  const extensions = [...MANIFEST_EXTENSIONS, ...extra.flatMap((l) => l.extensions)];
  const accept = (name: string) => extra.find((l) => l.extensions.includes(extname(name).toLowerCase()))?.accepts?.(name) ?? true;
  const patterns = [...MANIFEST_EXTENSIONS.map((e) => `*${e}`), ...extra.flatMap((l) => l.patterns ?? l.extensions.map((e) => `*${e}`))];
  const inputs = await expandInputs(paths, sink, { cwd, extensions, accept, patterns, skip: options.skipPaths });
  const loaderOf = (input: InputFile) => extra.find((l) => l.extensions.includes(extname(input.path).toLowerCase()));
  // Every manifest is read first (handed on in order, so that parse workers start while the rest is read); then this thread and the workers share the parsing.
  const manifests = inputs.filter((input) => !loaderOf(input));
  const dispatch = new ParseDispatch(options, manifests.length);
  const budget = new InputBudget();
  let overBudget = false;
  let reads: (ReadInput | undefined)[];
  try {
    reads = await readInOrder(inputs.length, async (i) => (loaderOf(inputs[i]!) || overBudget ? undefined : readInput(inputs[i]!, limit, options.readStdin)), (r) => {
      if (r?.text !== undefined && budget.spend(r.text.length)) overBudget = true;
      if (!overBudget) dispatch.offer(r);
    });
  } catch (err) {
    // Workers already started must not keep the process alive.
    await dispatch.abandon();
    throw err;
  }
  if (overBudget) {
    // Nothing is parsed: a part of the inputs would give findings about a mesh that is not the one checked.
    await dispatch.abandon();
    sink.report('MESH0017', budget.report, null);
    return { sources: new SourceSet(), documents: [], files: inputs.map((i) => i.display) };
  }
  const { pool, share } = await dispatch.finish();
  const sources = new SourceSet();
  const documents: RawDocument[] = [];
  const onDocument = options.streamOnlyWithWorkers && !pool ? undefined : options.onDocument;
  const emit = (d: RawDocument) => {
    documents.push(d);
    onDocument?.(d, sources);
  };
  try {
    for (const [i, input] of inputs.entries()) {
      const read = reads[i];
      if (!read) {
        for (const d of await loadWithLoader(loaderOf(input)!, input, sources, sink)) emit(d);
        continue;
      }
      reads[i] = undefined; // its text is held by its source documents from here on, not twice
      sink.push(read.findings);
      if (read.text === undefined) continue;
      // A shared file this thread claims is parsed here, in place; one a worker claimed is replayed from its answer.
      const k = read.shareIndex;
      const answer = share && k !== undefined && (options.workersOnly || !share.take(k)) ? await share.answer(k) : null;
      const parsed = parseInput(read.text, input, sources, sink, options, answer ? (t, f, s, k, sh) => replayParsed(answer, t, f, s, k, sh) : parseManifestText, answer?.content);
      // A loop, not push(...list): a spread of 100,000+ documents overflows the call stack.
      for (const d of parsed) emit(d);
    }
  } finally {
    await pool?.close();
  }
  if (options.cache) pruneParseCache(options.cache);
  return { sources, documents, files: inputs.map((i) => i.display) };
}

async function loadWithLoader(loader: ExtraLoader, input: InputFile, sources: SourceSet, sink: DiagnosticSink): Promise<RawDocument[]> {
  try {
    return await loader.load(input, sources, sink);
  } catch (err) {
    // A failing language loader costs its file, not the run (exit 2: the view of the mesh is incomplete).
    sink.report('MESH0001', { detail: `loading ${input.display}: ${(err as Error)?.message ?? String(err)}` }, fileStart(input.display));
    return [];
  }
}

/** The raw documents of one manifest file (none when it is skipped or failed: its findings say why). */
function parseInput(text: string, input: InputFile, sources: SourceSet, sink: DiagnosticSink, options: LoadOptions, parse: ParseText, encoded?: EncodedContent): RawDocument[] {
  // A walked file is parsed aside first: one that is plainly not a manifest is skipped with an info, not an error.
  const into = input.walked ? new DiagnosticSink() : sink;
  try {
    const shape: FileShape = { kubernetesLike: false };
    const parsed = options.parseCache
      ? parseThroughShared(options.parseCache, text, input.display, sources, into, options.cache ?? null, shape, parse, encoded)
      : parseManifestCached(options.cache ?? null, text, input.display, sources, into, shape, parse, encoded);
    if (into !== sink && isNotAManifest(shape, parsed, into.items)) {
      sink.report('MESH0016', {}, fileStart(input.display));
      return [];
    }
    if (into !== sink) sink.push(into.items);
    return parsed;
  } catch (err) {
    if (into !== sink) sink.push(into.items);
    sink.report('MESH0001', { detail: `parsing ${input.display}: ${(err as Error)?.message ?? String(err)}` }, fileStart(input.display));
    return [];
  }
}

/**
 * Is a file found by walking plainly not a Kubernetes manifest? It is when
 * it holds something, and nothing in it looks like a Kubernetes object: no
 * document is (or lists) a mapping with apiVersion, kind or metadata, and the
 * parser found nothing wrong but such documents being lists or scalars. A
 * document with metadata but neither apiVersion nor kind is an object whose
 * header was forgotten: that stays an error (MESH0100).
 */
function isNotAManifest(shape: FileShape, documents: RawDocument[], findings: Diagnostic[]): boolean {
  return !shape.kubernetesLike && findings.every((d) => d.code === 'MESH0009') && (findings.length > 0 || documents.length > 0);
}

/** Parses in-memory text (API and tests). */
export function loadText(text: string, file: string, sink: DiagnosticSink, sources = new SourceSet()): LoadResult {
  const documents = parseManifestText(text, file, sources, sink);
  return { sources, documents, files: [file] };
}
