/**
 * One cache entry on disk, as every meshc cache writes it: a magic line
 * naming the kind of entry, the sha256 of the payload, then the payload (v8
 * serialisation: keeps -0, NaN, Infinity and `__proto__` keys exactly).
 * A truncated, corrupted or foreign file fails the magic or the checksum and
 * reads as null; writes are atomic (temp file + rename), so concurrent runs
 * never see a half-written entry; an unwritable directory only costs speed.
 *
 * node:crypto, node:v8, node:fs/promises and node:worker_threads are loaded
 * on first use: `meshc check` of one small file never needs them (its
 * start-up is benchmarked against `node -e 0`).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const DIGEST = 32;

const load = createRequire(import.meta.url);
export const crypto = () => load('node:crypto') as typeof import('node:crypto');
const v8 = () => load('node:v8') as typeof import('node:v8');
const fsp = () => load('node:fs/promises') as typeof import('node:fs/promises');
const threadId = () => (load('node:worker_threads') as typeof import('node:worker_threads')).threadId;
export const sha256 = () => crypto().createHash('sha256');

/**
 * JSON that tells apart what JSON.stringify would not: NaN, ±Infinity, -0 and
 * undefined members are written as tagged strings. A digest of it changes
 * whenever the value does (plain data: objects, arrays, strings, numbers,
 * booleans, null), so different values never share a cache key.
 */
export function exactJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : `\u0000${Object.is(v, -0) ? '-0' : String(v)}`;
    return v === undefined ? '\u0000undefined' : v;
  });
}

/** v8's encoding of a value (keeps -0, NaN, undefined members, shared and cyclic references); throws on what it cannot hold. */
export const encodeValue = (value: unknown): Buffer => v8().serialize(value);
/** The value encodeValue encoded; throws on damaged bytes. */
export const decodeValue = (bytes: Uint8Array): unknown => v8().deserialize(bytes);

/** The value stored at `path` under `magic`, or null when it is missing, damaged or of another kind. */
export function readCacheFile(path: string, magic: Buffer): unknown {
  try {
    const buf = readFileSync(path);
    if (buf.length < magic.length + DIGEST || !buf.subarray(0, magic.length).equals(magic)) return null;
    const payload = buf.subarray(magic.length + DIGEST);
    const sum = sha256().update(payload).digest();
    if (!sum.equals(buf.subarray(magic.length, magic.length + DIGEST))) return null;
    return v8().deserialize(payload);
  } catch {
    return null;
  }
}

/** The bytes of an entry: magic, checksum, payload. Throws on a value v8 cannot serialise. */
function entryBytes(magic: Buffer, value: unknown): Buffer {
  const payload = v8().serialize(value);
  return Buffer.concat([magic, sha256().update(payload).digest(), payload]);
}

/** A temporary name beside `name`, unique to this process and thread. */
let tempCount = 0;
const tempName = (dir: string, name: string) => join(dir, `.${name}.${process.pid}.${threadId()}.${tempCount++}.tmp`);

/** Stores `value` as `dir/name` (atomically); false when it could not be written. */
export function writeCacheFile(dir: string, name: string, magic: Buffer, value: unknown): boolean {
  let tmp: string | undefined;
  try {
    const bytes = entryBytes(magic, value);
    mkdirSync(dir, { recursive: true });
    tmp = tempName(dir, name);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(dir, name));
    return true;
  } catch {
    // A read-only, missing or full cache directory only costs speed. A full disk fails the write after the
    // file is created: the empty temporary file goes too (else every run on a full disk leaves one per entry).
    if (tmp !== undefined) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing to remove
      }
    }
    return false;
  }
}

/** Writes queued by writeCacheFileSoon and not yet settled; directories made (or being made) by them. */
const pending = new Set<Promise<void>>();
const madeDirs = new Map<string, Promise<unknown>>();

async function writeLater(dir: string, name: string, bytes: Buffer): Promise<void> {
  const tmp = tempName(dir, name);
  const fs = fsp();
  try {
    let made = madeDirs.get(dir);
    if (!made) madeDirs.set(dir, (made = fs.mkdir(dir, { recursive: true })));
    await made;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, join(dir, name));
  } catch {
    madeDirs.delete(dir); // made again next time (it may have been removed)
    await fs.rm(tmp, { force: true }).catch(() => undefined);
  }
}

/**
 * writeCacheFile, with the file system's part done by libuv's threads while
 * this thread goes on (a big first run writes a thousand entries: creating
 * the files costs more than encoding them). The value is encoded now, so
 * later changes to it are not stored. false when it cannot be encoded; a
 * failed write only costs speed, as with writeCacheFile. Callers that end a
 * run wait for settleCacheWrites().
 */
export function writeCacheFileSoon(dir: string, name: string, magic: Buffer, value: unknown): boolean {
  let bytes: Buffer;
  try {
    bytes = entryBytes(magic, value);
  } catch {
    return false;
  }
  const write = writeLater(dir, name, bytes).finally(() => pending.delete(write));
  pending.add(write);
  return true;
}

/** Resolves when every write queued by writeCacheFileSoon so far has finished (or failed). */
export async function settleCacheWrites(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

/** A temporary file this old was left by a run that was killed while writing it (a write takes milliseconds). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Removes the oldest written `*.bin` entries of `dir` beyond `max`, and
 * temporary files that runs killed mid-write left behind.
 */
export function pruneCacheDir(dir: string, max: number, now = Date.now()): void {
  try {
    const all = readdirSync(dir);
    for (const n of all) {
      if (!n.endsWith('.tmp')) continue;
      try {
        if (now - statSync(join(dir, n)).mtimeMs > STALE_TEMP_MS) rmSync(join(dir, n), { force: true });
      } catch {
        // gone already
      }
    }
    const names = all.filter((n) => n.endsWith('.bin'));
    if (names.length <= max) return;
    const aged = names.map((n) => {
      try {
        return { n, t: statSync(join(dir, n)).mtimeMs };
      } catch {
        return { n, t: 0 };
      }
    }).sort((a, b) => a.t - b.t);
    for (const { n } of aged.slice(0, aged.length - max)) rmSync(join(dir, n), { force: true });
  } catch {
    // best effort
  }
}
