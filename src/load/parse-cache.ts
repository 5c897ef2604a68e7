/**
 * The parse cache: what parsing a manifest file produced (its raw objects,
 * its parse findings, where each YAML document sits in the text), stored by
 * content. A re-check reads each input, hashes it, and only parses the files
 * whose hash is new; the rest of the pipeline then runs on exactly the
 * objects a parse would have produced, so the output is byte-identical.
 *
 * Key: sha256 of meshc's build fingerprint, the file's display path (it is
 * in every finding) and its text. Parsing depends on nothing else (no
 * configuration option changes it). Entries live in `parse/` under
 * cacheRoot(), written and checked by src/core/cache-file.ts (checksum,
 * atomic writes; a truncated, corrupted or foreign entry fails the checksum
 * or the shape check and is ignored; an unwritable directory only costs
 * speed). Each entry also holds a digest of its file's content without
 * positions (ParsedInput), by which the findings cache recognises a model.
 * A run's new entries are written while it goes on (writeCacheFileSoon);
 * check and loadMesh wait for them before they return (settleCacheWrites).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { buildFingerprint, cacheRoot } from '../core/cache-root.ts';
import { pruneCacheDir, readCacheFile, sha256, writeCacheFileSoon } from '../core/cache-file.ts';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { SourceSet } from '../source/source-set.ts';
import { parseManifestText, type FileShape, type RawDocument } from './parse.ts';
import { capture, decodeParsedFile, encodeContent, encodedFile, replayParsed, type EncodedContent, type EncodedParsedFile } from './parsed-file.ts';

const MAGIC = Buffer.from('MESHCP3\n');
/**
 * A run reads this many bytes before it uses the cache: parsing a few small
 * files costs less than loading node:crypto and node:v8 (start-up of
 * `meshc check one-file.yaml` is benchmarked against `node -e 0`).
 */
const MIN_RUN_BYTES = 64 * 1024;
/** Bound on entries; past it the oldest written are removed. */
const MAX_ENTRIES = 20_000;

export interface ParseCache {
  dir: string;
  /** Characters of input seen so far in this run (see MIN_RUN_BYTES). */
  seen: number;
  /**
   * Characters of input this run will parse, as far as cachedEntryExists has
   * been asked about them (the loader asks about every file before parsing):
   * a big run uses the cache from its first file on.
   */
  planned: number;
  /** Entries written by this run (pruning is considered once, after writing). */
  written: number;
  /** Keys computed this run, by file (cachedEntryExists and the parse ask for the same one). */
  keys: Map<string, { text: string; key: string }>;
  /** Every file this run parsed through the cache, in order, with the digest of what it holds (ParsedInput). */
  parsed: ParsedInput[];
}

/**
 * One file parsed through the cache: its raw objects as the run got them and
 * a digest of what they are (file, objects, paths and document indices; no
 * offsets, comments or layout). Two texts that differ only in comments,
 * formatting or positions have the same digest. The findings cache keys a
 * model by these instead of serialising the whole model.
 */
export interface ParsedInput {
  file: string;
  /** Index in the run's SourceSet of the file's first document. */
  firstSource: number;
  documents: RawDocument[];
  digest: string | null;
}

/**
 * What parseManifestText produced for one file (parsed-file.ts) as stored,
 * under its key: its objects encoded on their own, once, for the entry and
 * for their digest (encoding is most of what storing costs).
 */
interface StoredEntry extends EncodedParsedFile {
  key: string;
}

/** The cache for a run in `cwd`, or null when caching is off. */
export function openParseCache(cwd: string): ParseCache | null {
  const root = cacheRoot(cwd);
  return root === null ? null : { dir: join(root, 'parse'), seen: 0, planned: 0, written: 0, keys: new Map(), parsed: [] };
}

function keyOf(cache: ParseCache, file: string, text: string): string {
  const known = cache.keys.get(file);
  if (known?.text === text) return known.key;
  const key = sha256().update(`${buildFingerprint()}\0${file}\0`).update(text).digest('hex');
  cache.keys.set(file, { text, key });
  return key;
}

/** The content digest (ParsedInput) of objects a parse just registered in `sources` and `sink` (from their start), or null. */
export function contentDigestOf(file: string, documents: RawDocument[], sources: SourceSet, sink: DiagnosticSink, shape: FileShape): string | null {
  const parsed = capture(documents, sources, 0, sink, 0, shape);
  return parsed ? encodeContent(file, parsed)?.digest ?? null : null;
}


/**
 * One digest of every raw object of a run (`documents`, in order), when all
 * of them came through the cache (cache.parsed) with a content digest; else
 * null. The objects are matched by identity, so the digest describes exactly
 * the documents the model is built from; files whose objects are not among
 * them (skipped as not a manifest) do not count.
 */
export function parsedInputsDigest(cache: ParseCache, documents: readonly RawDocument[]): string | null {
  const hash = sha256().update('meshc parsed inputs\0');
  let at = 0;
  for (const p of cache.parsed) {
    if (p.documents.length === 0 || documents[at] !== p.documents[0]) continue;
    if (p.digest === null) return null;
    for (let i = 0; i < p.documents.length; i++) if (documents[at + i] !== p.documents[i]) return null;
    at += p.documents.length;
    hash.update(`${p.file}\0${p.firstSource}\0${p.digest}\n`);
  }
  return at === documents.length ? hash.digest('hex') : null;
}

/** The entry stored under `key`, decoded and checked; null when it is missing, damaged or another key's. */
function readEntry(cache: ParseCache, key: string) {
  const stored = readCacheFile(join(cache.dir, `${key}.bin`), MAGIC) as Partial<StoredEntry> | null;
  return stored && typeof stored === 'object' && stored.key === key ? decodeParsedFile(stored) : null;
}

/** Encoded now, written while the run goes on (the run's caller waits for settleCacheWrites). */
function writeEntry(cache: ParseCache, entry: StoredEntry): void {
  if (writeCacheFileSoon(cache.dir, `${entry.key}.bin`, MAGIC, entry)) cache.written++;
}

/** Removes the oldest entries once there are more than MAX_ENTRIES (after a run that wrote some). */
export function pruneParseCache(cache: ParseCache, max = MAX_ENTRIES): void {
  if (cache.written > 0) pruneCacheDir(cache.dir, max);
}

/** parseManifestText's signature: what parses a file's text in place (in this thread, or the answer of a parse worker). */
export type ParseText = (text: string, file: string, sources: SourceSet, sink: DiagnosticSink, shape?: FileShape) => RawDocument[];

/**
 * Will this run look `text` up in the cache (MIN_RUN_BYTES), and is there an
 * entry for it? Does not count the text as seen. A file with an entry is not
 * sent to a parse worker (a damaged entry is then parsed in this thread).
 */
export function cachedEntryExists(cache: ParseCache | null, seenBefore: number, text: string, file: string): boolean {
  if (cache) cache.planned = Math.max(cache.planned, seenBefore + text.length);
  if (!cache || seenBefore + text.length <= MIN_RUN_BYTES) return false;
  try {
    return statSync(join(cache.dir, `${keyOf(cache, file, text)}.bin`)).isFile();
  } catch {
    return false;
  }
}

/**
 * parseManifestText (or `parse`) through the cache: a hit replays the stored
 * outcome, a miss parses and stores it (before anything downstream can touch
 * the objects). `encoded`: what `parse` replays, encoded by the parse worker
 * that parsed it (stored as it is, its digest is that of the worker's parse).
 */
export function parseManifestCached(cache: ParseCache | null, text: string, file: string, sources: SourceSet, sink: DiagnosticSink, shape?: FileShape, parse: ParseText = parseManifestText, encoded?: EncodedContent): RawDocument[] {
  if (cache) cache.seen += text.length;
  if (!cache || (cache.seen <= MIN_RUN_BYTES && cache.planned <= MIN_RUN_BYTES)) return parse(text, file, sources, sink, shape);
  const key = keyOf(cache, file, text);
  const firstSource = sources.docs.length;
  const hit = readEntry(cache, key);
  if (hit) {
    const documents = replayParsed(hit, text, file, sources, sink, shape);
    cache.parsed.push({ file, firstSource, documents, digest: hit.content.digest });
    return documents;
  }
  const firstFinding = sink.items.length;
  const seen: FileShape = { kubernetesLike: false };
  const documents = parse(text, file, sources, sink, seen);
  if (shape) shape.kubernetesLike = seen.kubernetesLike;
  // Only YAML documents of this file can be replayed; anything else is not cached.
  const parsed = capture(documents, sources, firstSource, sink, firstFinding, seen);
  const content = parsed && (encoded ?? encodeContent(file, parsed));
  if (parsed && content) writeEntry(cache, { key, ...encodedFile(parsed, content) });
  if (parsed) cache.parsed.push({ file, firstSource, documents, digest: content?.digest ?? null });
  return documents;
}
