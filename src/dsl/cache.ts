/**
 * Results of DSL files, cached by content: the key hashes the file's path and
 * text, meshc's version and its DSL API source; an entry also lists every
 * other file the result depended on (local imports, packages) with their
 * hashes, checked before the entry is used. A hit skips TypeScript, esbuild
 * and the worker entirely.
 *
 * Location: the `dsl` directory of cacheRoot() (src/core/cache-root.ts).
 * MESHC_NO_CACHE=1 turns it off. A corrupt or unreadable entry is a miss;
 * write failures are ignored; writes are atomic (temp file + rename).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeepingNumbers, stringifyKeepingNumbers } from './api/json-numbers.ts';
import { buildFingerprint, cacheRoot } from '../core/cache-root.ts';
import type { SourceRange } from '../core/types.ts';
import { apiDir, apiFiles } from './paths.ts';
import type { DslFinding } from './typecheck.ts';

/** Bump when the shape of cached outcomes changes. */
const FORMAT = 1;
const MAX_ENTRIES = 256;

export interface CachedDocument {
  value: Record<string, unknown>;
  /** [path key, value range, key range?]; ranges use absolute file paths. */
  table: [string, SourceRange, SourceRange | null][];
  fallback: SourceRange;
}

/** Everything a DSL file contributes to a run. */
export interface DslOutcome {
  findings: DslFinding[];
  documents: CachedDocument[];
  logs: string[];
}

interface Entry {
  format: number;
  key: string;
  deps: [path: string, sha256: string][];
  outcome: DslOutcome;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let fingerprint: string | undefined;

/**
 * meshc's build (as the parse cache's: a cached finding's arguments must fit
 * the catalogue template of the meshc that reads it) plus the DSL API source:
 * a new or edited meshc never reuses an old result.
 */
function engineFingerprint(): string {
  if (fingerprint) return fingerprint;
  const h = createHash('sha256').update(`meshc ${process.env.MESHC_VERSION ?? 'dev'} format ${FORMAT}\n`);
  h.update(`build ${buildFingerprint()}\n`);
  let files: string[] = [];
  try {
    files = apiFiles();
  } catch {
    h.update('no DSL API directory\n');
  }
  for (const f of files) {
    try {
      h.update(readFileSync(join(apiDir(), f)));
    } catch {
      h.update(`missing ${f}`);
    }
  }
  return (fingerprint = h.digest('hex'));
}

export function cacheDir(cwd: string): string | null {
  const root = cacheRoot(cwd);
  return root === null ? null : join(root, 'dsl');
}

export function cacheKey(file: string, text: Buffer | string): string {
  return sha256(`${engineFingerprint()}\n${file}\n${sha256(text)}`);
}

export function hashFile(path: string): string | null {
  try {
    return sha256(readFileSync(path));
  } catch {
    return null;
  }
}

function isOutcome(v: unknown): v is DslOutcome {
  const o = v as DslOutcome;
  return !!o && Array.isArray(o.findings) && Array.isArray(o.documents) && Array.isArray(o.logs) &&
    o.documents.every((d) => !!d && typeof d.value === 'object' && Array.isArray(d.table) && !!d.fallback);
}

export function readCache(dir: string, key: string): DslOutcome | null {
  let entry: Entry;
  try {
    entry = parseKeepingNumbers(readFileSync(join(dir, `${key}.json`), 'utf8')) as Entry;
  } catch {
    return null;
  }
  if (!entry || entry.format !== FORMAT || entry.key !== key || !Array.isArray(entry.deps) || !isOutcome(entry.outcome)) return null;
  for (const dep of entry.deps) {
    if (!Array.isArray(dep) || hashFile(dep[0]) !== dep[1]) return null;
  }
  return entry.outcome;
}

export function writeCache(dir: string, key: string, deps: string[], outcome: DslOutcome): void {
  try {
    mkdirSync(dir, { recursive: true });
    const entry: Entry = { format: FORMAT, key, deps: [], outcome };
    for (const d of [...new Set(deps)].sort()) {
      const h = hashFile(d);
      if (h === null) return; // a dependency vanished meanwhile: do not cache
      entry.deps.push([d, h]);
    }
    const tmp = join(dir, `.${key}.${process.pid}.${Date.now()}.tmp`);
    writeFileSync(tmp, stringifyKeepingNumbers(entry));
    renameSync(tmp, join(dir, `${key}.json`));
    prune(dir);
  } catch {
    // A read-only or full disk only costs speed.
  }
}

/** Keeps the newest MAX_ENTRIES entries. */
function prune(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const aged = names.map((n) => {
    try {
      return { n, t: statSync(join(dir, n)).mtimeMs };
    } catch {
      return { n, t: 0 };
    }
  }).sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, aged.length - MAX_ENTRIES)) rmSync(join(dir, n), { force: true });
}
