import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import { SourceSet, type SourceDoc } from '../source/source-set.ts';
import { fileStart } from '../source/yaml-doc.ts';
import { expandInputs, reason, MANIFEST_EXTENSIONS, type InputFile } from './inputs.ts';
import { decodeText, parseManifestText, type FileShape, type RawDocument } from './parse.ts';
import { cachedEntryExists, parseManifestCached, pruneParseCache, type ParseCache, type ParseText } from './parse-cache.ts';
import { replayParsed } from './parsed-file.ts';
import type { ParsePool, PoolAnswer } from './parse-pool.ts';

export type { RawDocument } from './parse.ts';
export type { InputFile } from './inputs.ts';

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
  /** Parsed YAML files shared by several loads of one run (see SharedParses). */
  parseCache?: SharedParses;
  /**
   * Parse worker threads (parse-pool.ts): by default some for big inputs on a
   * machine with several cores, none for small ones; 0 parses in this thread.
   * The result is the same either way.
   */
  workers?: number;
  /** Absolute paths directory walks pass over (ExpandOptions.skip). */
  skipPaths?: readonly string[];
}

/**
 * Parsed YAML files by display name and text, shared by the loads of one run:
 * `meshc diff --base-ref` reads each unchanged file twice under the same
 * name. The parsed documents are read-only to every later stage, so both
 * trees can hold the same ones.
 */
export type SharedParses = Map<string, Map<string, { docs: SourceDoc[]; documents: RawDocument[]; diagnostics: Diagnostic[]; shape: FileShape }>>;

function parseThroughCache(text: string, display: string, sources: SourceSet, sink: DiagnosticSink, cache: SharedParses | undefined, disk: ParseCache | null, shape: FileShape, parse: ParseText): RawDocument[] {
  if (!cache) return parseManifestCached(disk, text, display, sources, sink, shape, parse);
  let byText = cache.get(display);
  if (!byText) cache.set(display, (byText = new Map()));
  let hit = byText.get(text);
  if (!hit) {
    const local = new SourceSet();
    const localSink = new DiagnosticSink();
    const parsedShape: FileShape = { kubernetesLike: false };
    const documents = parse(text, display, local, localSink, parsedShape);
    byText.set(text, (hit = { docs: local.docs, documents, diagnostics: localSink.items, shape: parsedShape }));
  }
  shape.kubernetesLike = hit.shape.kubernetesLike;
  const first = sources.docs.length;
  for (const d of hit.docs) sources.add(d);
  sink.push(hit.diagnostics);
  return hit.documents.map((d) => ({ ...d, doc: first + d.doc }));
}

export interface LoadResult {
  sources: SourceSet;
  documents: RawDocument[];
  files: string[];
}

/**
 * Reads a regular file, but never more than `limit` bytes: a file over the
 * limit is refused from its size alone, and one that grows while being read
 * (or whose size stat cannot tell, as in /proc) is cut off at limit + 1.
 */
async function readLimited(path: string, limit: number): Promise<Buffer | { size: number }> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (info.size > limit) return { size: info.size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(Math.max(info.size - total, 64 * 1024), limit + 1 - total);
      if (want <= 0) break;
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(chunk, 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === want ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > limit) return { size: Math.max(total, info.size) };
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** Reads standard input up to `limit` bytes; past that only counts the bytes, to report the size. */
async function readAllStdin(limit: number): Promise<Buffer | { size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? { size } : Buffer.concat(chunks);
}

/** One input read ahead of parsing: its text, or what reading or decoding it reported. */
interface ReadInput {
  input: InputFile;
  /** Findings of reading and decoding, reported when the input's turn comes. */
  findings: Diagnostic[];
  text?: string;
  /** The parse worker's answer for the text, when it was sent to one. */
  answer?: Promise<PoolAnswer>;
}

async function readInput(input: InputFile, limit: number, options: LoadOptions): Promise<ReadInput> {
  const local = new DiagnosticSink();
  const read: ReadInput = { input, findings: local.items };
  let got: Buffer | { size: number };
  try {
    if (input.path === '-') {
      got = options.readStdin ? await options.readStdin() : await readAllStdin(limit);
      if (Buffer.isBuffer(got) && got.length > limit) got = { size: got.length };
    } else {
      got = await readLimited(input.path, limit);
    }
  } catch (err) {
    local.report('MESH0002', { path: input.display, reason: reason(err) }, fileStart(input.display));
    return read;
  }
  if (!Buffer.isBuffer(got)) {
    local.report('MESH0007', { size: got.size, limit }, fileStart(input.display));
    return read;
  }
  read.text = decodeText(got, input.display, local);
  return read;
}

/** Below this many characters to parse, a run parses in its own thread (starting a worker costs about a megabyte's parse). */
export const MIN_POOL_CHARS = 2 * 1024 * 1024;

/**
 * How many parse workers a run with `chars` characters to parse starts: none
 * for small inputs or a single core; else one per core but the one this
 * thread uses (it parses a share too), at most 4 in all.
 * `requested` (the API's `workers` option) or MESHC_PARSE_WORKERS=N decide
 * instead when given (0 = parse in this thread).
 */
export function parseWorkerCount(chars: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(16, Math.floor(requested)));
  const env = process.env.MESHC_PARSE_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), 16);
  const cores = availableParallelism();
  if (chars < MIN_POOL_CHARS || cores < 2) return 0;
  return Math.min(4, cores) - 1;
}

/**
 * A worker's start-up, in characters this thread parses meanwhile (measured:
 * with none, the loader waited for the first answers).
 */
const WORKER_START_CHARS = 512 * 1024;

/** Files read at once: enough to keep the file system busy, few enough to stay far from the open-file limit. */
const READ_CONCURRENCY = 16;

/**
 * Reads the inputs a few at a time and hands each one to `onRead` in input
 * order, as soon as it and every input before it are read (so parse workers
 * start on the first files while the rest are still being read). A read
 * never throws: what went wrong is in its findings, reported at its turn.
 */
async function readInOrder(count: number, read: (i: number) => Promise<ReadInput | undefined>, onRead: (r: ReadInput | undefined) => void): Promise<(ReadInput | undefined)[]> {
  const reads: (ReadInput | undefined)[] = new Array(count);
  const done: boolean[] = new Array(count).fill(false);
  let next = 0;
  let handed = 0;
  let failed = false;
  const reader = async () => {
    try {
      while (next < count && !failed) {
        const i = next++;
        reads[i] = await read(i);
        done[i] = true;
        while (!failed && handed < count && done[handed]) onRead(reads[handed++]);
      }
    } catch (err) {
      failed = true; // the other readers stop too, and nothing more is handed on
      throw err;
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, count) }, reader));
  return reads;
}

/**
 * Sends the texts that will be parsed (not found in the run's shared parses
 * or the disk cache) to parse workers, once there are enough of them to pay
 * for starting the workers: reads are offered in input order while later
 * files are still being read, and the pool starts as soon as the characters
 * to parse so far reach the threshold (the same decision as counting them
 * all first: both counts only grow).
 */
class ParseDispatch {
  private seen: number;
  private chars = 0;
  /** Files sent (or to be sent) to the pool, and manifests offered so far (read or not). */
  private offered = 0;
  private manifestsSeen = 0;
  private waiting: ReadInput[] = [];
  private pool: ParsePool | null = null;
  private workers = 0;
  /** Characters sent to the pool, and kept for this thread to parse (it takes its share while the workers parse theirs). */
  private pooledChars = 0;
  private ownChars = 0;
  /** WORKER_START_CHARS for a big input; none when workers were asked for a small one (every worker then gets files). */
  private headStart = 0;
  private starting: Promise<void> | null = null;
  private failed = false;

  /** `manifests`: how many inputs may be offered in all (an upper bound on the files to parse). */
  constructor(private readonly options: LoadOptions, private readonly manifests: number) {
    this.seen = options.cache?.seen ?? 0;
  }

  offer(r: ReadInput | undefined): void {
    if (!r) return;
    this.manifestsSeen++;
    if (r.text === undefined || this.failed) return;
    const text = r.text;
    const disk = this.options.cache ?? null;
    if (this.options.parseCache?.get(r.input.display)?.has(text)) return;
    if (!this.options.parseCache && cachedEntryExists(disk, this.seen, text, r.input.display)) {
      this.seen += text.length;
      return;
    }
    this.seen += text.length;
    this.chars += text.length;
    this.offered++;
    this.waiting.push(r);
    if (this.pool) this.flush();
    else if (!this.starting && this.offered >= 2) {
      const count = parseWorkerCount(this.chars, this.options.workers);
      // No more workers than files that can still come to them.
      if (count > 0) this.starting = this.start(Math.min(count, this.offered + this.manifests - this.manifestsSeen));
    }
  }

  /** Never rejects: it runs while files are still being read, and its failure only costs speed. */
  private async start(workers: number): Promise<void> {
    try {
      // Loaded only now: a small run never pays for node:worker_threads.
      const { ParsePool } = await import('./parse-pool.ts');
      this.pool = new ParsePool(workers);
      this.workers = workers;
      this.headStart = this.chars >= MIN_POOL_CHARS ? WORKER_START_CHARS : 0;
    } catch {
      // No worker could start (resource limits), or the pool could not be loaded: this thread parses everything, as for a small input.
      this.failed = true;
      this.waiting = [];
      return;
    }
    this.flush();
  }

  /**
   * Sends the waiting files to the pool, but for this thread's share: a file
   * is kept (parsed here at its turn, as without workers) while this thread
   * has no more characters to parse than a worker has on average, plus what a
   * worker's start-up is worth (this thread parses the first files while the
   * workers start). It keeps the thread busy instead of waiting for answers,
   * and its share needs no copying between threads.
   */
  private flush(): void {
    for (const r of this.waiting) {
      const chars = r.text!.length;
      if (this.ownChars * this.workers <= this.pooledChars + this.headStart * this.workers) {
        this.ownChars += chars;
        continue;
      }
      this.pooledChars += chars;
      r.answer = this.pool!.parse(r.text!, r.input.display);
    }
    this.waiting = [];
  }

  /** Once every input was offered: the pool to close, if one started (every file it will parse has been sent). */
  async finish(): Promise<ParsePool | null> {
    await this.starting;
    return this.pool;
  }
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
  // Every manifest is read first (several at once, handed on in order), so that big inputs can be parsed by workers while this thread replays them in order.
  const manifests = inputs.filter((input) => !loaderOf(input));
  const dispatch = new ParseDispatch(options, manifests.length);
  let reads: (ReadInput | undefined)[];
  try {
    reads = await readInOrder(inputs.length, async (i) => (loaderOf(inputs[i]!) ? undefined : readInput(inputs[i]!, limit, options)), (r) => dispatch.offer(r));
  } catch (err) {
    // Workers already started must not keep the process alive.
    await (await dispatch.finish())?.close();
    throw err;
  }
  const pool = await dispatch.finish();
  const sources = new SourceSet();
  const documents: RawDocument[] = [];
  try {
    for (const [i, input] of inputs.entries()) {
      const read = reads[i];
      if (!read) {
        await loadWithLoader(loaderOf(input)!, input, sources, sink, documents);
        continue;
      }
      reads[i] = undefined; // its text is held by its source documents from here on, not twice
      sink.push(read.findings);
      if (read.text === undefined) continue;
      const answer = read.answer ? await read.answer : null;
      parseInput(read.text, input, sources, sink, documents, options, answer ? (t, f, s, k, sh) => replayParsed(answer, t, f, s, k, sh) : parseManifestText);
    }
  } finally {
    await pool?.close();
  }
  if (options.cache) pruneParseCache(options.cache);
  return { sources, documents, files: inputs.map((i) => i.display) };
}

async function loadWithLoader(loader: ExtraLoader, input: InputFile, sources: SourceSet, sink: DiagnosticSink, documents: RawDocument[]): Promise<void> {
  try {
    for (const d of await loader.load(input, sources, sink)) documents.push(d);
  } catch (err) {
    // A failing language loader costs its file, not the run (exit 2: the view of the mesh is incomplete).
    sink.report('MESH0001', { detail: `loading ${input.display}: ${(err as Error)?.message ?? String(err)}` }, fileStart(input.display));
  }
}

function parseInput(text: string, input: InputFile, sources: SourceSet, sink: DiagnosticSink, documents: RawDocument[], options: LoadOptions, parse: ParseText): void {
  // A walked file is parsed aside first: one that is plainly not a manifest is skipped with an info, not an error.
  const into = input.walked ? new DiagnosticSink() : sink;
  try {
    const shape: FileShape = { kubernetesLike: false };
    const parsed = parseThroughCache(text, input.display, sources, into, options.parseCache, options.cache ?? null, shape, parse);
    if (into !== sink && isNotAManifest(shape, parsed, into.items)) {
      sink.report('MESH0016', {}, fileStart(input.display));
      return;
    }
    if (into !== sink) sink.push(into.items);
    // A loop, not push(...list): a spread of 100,000+ documents overflows the call stack.
    for (const d of parsed) documents.push(d);
  } catch (err) {
    if (into !== sink) sink.push(into.items);
    sink.report('MESH0001', { detail: `parsing ${input.display}: ${(err as Error)?.message ?? String(err)}` }, fileStart(input.display));
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
