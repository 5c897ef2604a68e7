/**
 * Files whose documents all passed their schemas without a finding,
 * remembered across runs by content (the parse cache's ParsedInput digest:
 * the file's path, its documents' indices and its objects, exactly). A
 * re-check after a semantic edit rebuilds the model, but validates only the
 * documents of files it has not seen clean: validating an object against the
 * schema of its kind and version (src/schema/validate.ts validateObject) is a
 * function of the object alone, and the digest names the objects exactly, so
 * a file seen clean once is clean again under the same build of meshc.
 *
 * Only validateObject is skipped: classification, draft warnings (which
 * depend on the configuration), duplicates and modelling run as always. The
 * list lives in `schema/clean.bin` under cacheRoot() (src/core/cache-file.ts:
 * checksummed, atomic; a damaged or foreign one reads as empty), with the
 * build fingerprint it holds for: another build of meshc starts afresh.
 * Runs that keep documents in memory (`check --watch`, DocumentMemo) skip
 * validation their own way and do not use it.
 */
import { join } from 'node:path';
import { buildFingerprint } from '../core/cache-root.ts';
import { readCacheFile, writeCacheFileSoon } from '../core/cache-file.ts';
import type { RawDocument } from '../load/index.ts';
import type { ParseCache } from '../load/parse-cache.ts';
import type { SchemaHints } from '../model/build.ts';

const MAGIC = Buffer.from('MESHCS1\n');
/** Digests kept (this run's first, then earlier runs'): a few projects' worth. */
const MAX_DIGESTS = 10_000;

interface Stored {
  fingerprint: string;
  digests: string[];
}

const isStored = (v: unknown): v is Stored => {
  const s = v as Stored;
  return !!s && typeof s === 'object' && typeof s.fingerprint === 'string' && Array.isArray(s.digests) && s.digests.every((d) => typeof d === 'string');
};

export class CleanFiles implements SchemaHints {
  private readonly dir: string;
  private readonly known: Set<string>;
  private readonly earlier: string[];
  private readonly digestOf = new Map<RawDocument, string>();
  /** How many of the run's parsed files digestOf holds. */
  private scanned = 0;
  private readonly flaggedDocs = new Set<RawDocument>();

  /** The list under cache root `root`, for the files `cache` parses in this run. */
  constructor(root: string, private readonly cache: ParseCache) {
    this.dir = join(root, 'schema');
    const stored = readCacheFile(join(this.dir, 'clean.bin'), MAGIC);
    this.earlier = isStored(stored) && stored.fingerprint === buildFingerprint() ? stored.digests : [];
    this.known = new Set(this.earlier);
  }

  /** The digest of the file `raw` came from, if it came through the parse cache with one. */
  private digest(raw: RawDocument): string | undefined {
    const { parsed } = this.cache;
    // Documents reach the builder after their file was parsed: the files parsed since the last question are added now.
    for (; this.scanned < parsed.length; this.scanned++) {
      const p = parsed[this.scanned]!;
      if (p.digest !== null) for (const d of p.documents) this.digestOf.set(d, p.digest);
    }
    return this.digestOf.get(raw);
  }

  skip(raw: RawDocument): boolean {
    const d = this.digest(raw);
    return d !== undefined && this.known.has(d);
  }

  flagged(raw: RawDocument): void {
    this.flaggedDocs.add(raw);
  }

  /** Remembers the files of this run whose documents raised no schema finding (written while the run goes on). */
  store(): void {
    const clean: string[] = [];
    for (const p of this.cache.parsed) {
      if (p.digest !== null && p.documents.length > 0 && !p.documents.some((d) => this.flaggedDocs.has(d))) clean.push(p.digest);
    }
    if (clean.every((d) => this.known.has(d))) return;
    const mine = new Set(clean);
    const digests = [...mine, ...this.earlier.filter((d) => !mine.has(d))].slice(0, MAX_DIGESTS);
    writeCacheFileSoon(this.dir, 'clean.bin', MAGIC, { fingerprint: buildFingerprint(), digests } satisfies Stored);
  }
}
