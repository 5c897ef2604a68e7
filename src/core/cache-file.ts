/**
 * One cache entry on disk, as every meshc cache writes it: a magic line
 * naming the kind of entry, the sha256 of the payload, then the payload (v8
 * serialisation: keeps -0, NaN, Infinity and `__proto__` keys exactly).
 * A truncated, corrupted or foreign file fails the magic or the checksum and
 * reads as null; writes are atomic (temp file + rename), so concurrent runs
 * never see a half-written entry; an unwritable directory only costs speed.
 *
 * node:crypto and node:v8 are loaded on first use: `meshc check` of one small
 * file never needs them (its start-up is benchmarked against `node -e 0`).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const DIGEST = 32;

const load = createRequire(import.meta.url);
export const crypto = () => load('node:crypto') as typeof import('node:crypto');
const v8 = () => load('node:v8') as typeof import('node:v8');
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

/** Stores `value` as `dir/name` (atomically); false when it could not be written. */
export function writeCacheFile(dir: string, name: string, magic: Buffer, value: unknown): boolean {
  let tmp: string | undefined;
  try {
    const payload = v8().serialize(value);
    const sum = sha256().update(payload).digest();
    mkdirSync(dir, { recursive: true });
    tmp = join(dir, `.${name}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(tmp, Buffer.concat([magic, sum, payload]));
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
