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
 * cacheRoot(); each is `MAGIC`, the sha256 of the payload, then the payload
 * (v8 serialisation: keeps -0, NaN, Infinity and `__proto__` keys exactly as
 * the YAML parser made them). A truncated, corrupted or foreign entry fails
 * the checksum or the shape check and is ignored; writes are atomic (temp
 * file + rename), so concurrent runs never see a half-written entry; an
 * unwritable directory only costs speed.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { buildFingerprint, cacheRoot } from '../core/cache-root.ts';
import { pruneCacheDir, readCacheFile, sha256, writeCacheFile } from '../core/cache-file.ts';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { SourceSet } from '../source/source-set.ts';
import { parseManifestText, type FileShape, type RawDocument } from './parse.ts';
import { capture, isParsedFileShape, replayParsed, type ParsedFile } from './parsed-file.ts';

const MAGIC = Buffer.from('MESHCP1\n');
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
  /** Entries written by this run (pruning is considered once, after writing). */
  written: number;
}

/** What parseManifestText produced for one file (parsed-file.ts), under its key. */
interface CacheEntry extends ParsedFile {
  key: string;
}

/** The cache for a run in `cwd`, or null when caching is off. */
export function openParseCache(cwd: string): ParseCache | null {
  const root = cacheRoot(cwd);
  return root === null ? null : { dir: join(root, 'parse'), seen: 0, written: 0 };
}

function keyOf(file: string, text: string): string {
  return sha256().update(`${buildFingerprint()}\0${file}\0`).update(text).digest('hex');
}

function isCacheEntry(v: unknown, key: string): v is CacheEntry {
  return isParsedFileShape(v) && (v as CacheEntry).key === key;
}

function readEntry(cache: ParseCache, key: string): CacheEntry | null {
  const value = readCacheFile(join(cache.dir, `${key}.bin`), MAGIC);
  return isCacheEntry(value, key) ? value : null;
}

function writeEntry(cache: ParseCache, entry: CacheEntry): void {
  if (writeCacheFile(cache.dir, `${entry.key}.bin`, MAGIC, entry)) cache.written++;
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
  if (!cache || seenBefore + text.length <= MIN_RUN_BYTES) return false;
  try {
    return statSync(join(cache.dir, `${keyOf(file, text)}.bin`)).isFile();
  } catch {
    return false;
  }
}

/**
 * parseManifestText (or `parse`) through the cache: a hit replays the stored
 * outcome, a miss parses and stores it (before anything downstream can touch
 * the objects).
 */
export function parseManifestCached(cache: ParseCache | null, text: string, file: string, sources: SourceSet, sink: DiagnosticSink, shape?: FileShape, parse: ParseText = parseManifestText): RawDocument[] {
  if (cache) cache.seen += text.length;
  if (!cache || cache.seen <= MIN_RUN_BYTES) return parse(text, file, sources, sink, shape);
  const key = keyOf(file, text);
  const hit = readEntry(cache, key);
  if (hit) return replayParsed(hit, text, file, sources, sink, shape);
  const firstSource = sources.docs.length;
  const firstFinding = sink.items.length;
  const seen: FileShape = { kubernetesLike: false };
  const documents = parse(text, file, sources, sink, seen);
  if (shape) shape.kubernetesLike = seen.kubernetesLike;
  // Only YAML documents of this file can be replayed; anything else is not cached.
  const parsed = capture(documents, sources, firstSource, sink, firstFinding, seen);
  if (parsed) writeEntry(cache, { key, ...parsed });
  return documents;
}
