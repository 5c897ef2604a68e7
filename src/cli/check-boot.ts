/**
 * Start-up of `meshc check` (bin/meshc.js loads this for it; scripts/build.mjs
 * builds it as dist/check.js). `check` is the pre-commit and CI step, often on
 * one or a few files, so most of its time is Node loading and compiling meshc
 * itself. Two things cut that:
 *
 * - its own bundle, dist/chunks/cli-check.cjs: the CLI with everything check
 *   reaches in one file, instead of the ~25 chunks the split build shares
 *   between commands (Node's ESM loader costs about as much per module as
 *   compiling it); the other commands in it load the split build's chunks;
 * - a V8 code cache of that bundle (what Node 22's module.enableCompileCache()
 *   does; Node 20 does not have it): compiled once, then reused by every later run. It sits in the
 *   `v8/` directory of meshc's cache root (src/core/cache-root.ts, like the
 *   TypeScript code cache of the DSL), keyed by meshc's build fingerprint
 *   (MESHC_BUILD_ID: a hash of the sources the bundle was built from), the
 *   bundle's path, size and mtime, and the Node and V8 versions and
 *   architecture; it carries a CRC-32 of its bytes (a damaged entry is
 *   ignored, never handed to V8; V8 itself rejects one made by other flags)
 *   and is written atomically after a run that had none. `--no-cache` or
 *   MESHC_NO_CACHE=1 neither reads nor writes it. The output is the same with
 *   or without it: it holds compiled code of the same source, nothing a run
 *   computed. (CRC-32 rather than SHA-256: loading node:crypto would cost a
 *   third of what the cache saves; this only has to catch damage.)
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import * as zlib from 'node:zlib';
import { cacheRoot } from '../core/cache-root.ts';

interface Cli {
  main(argv: string[]): Promise<number>;
}

const BUNDLE = fileURLToPath(new URL('./chunks/cli-check.cjs', import.meta.url));

const MAGIC = Buffer.from('MESHCV8\n');
const HEADER = MAGIC.length + 4;

/** zlib.crc32 (Node 20.15+), hex; undefined before it existed (then there is no code cache). */
const crc32 = (data: string | Buffer): string | undefined => (zlib as { crc32?: (d: string | Buffer) => number }).crc32?.(data).toString(16).padStart(8, '0');

/** True when the command line has `option` (before a `--`). */
function hasOption(argv: string[], ...option: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => option.includes(a));
}

/** Where this bundle's code cache goes, or null when there is none to use. */
function codeCacheFile(argv: string[]): { dir: string; file: string; prefix: string } | null {
  // Without zlib.crc32 (Node before 20.15) the bundle is a plain require().
  const build = process.env.MESHC_BUILD_ID;
  const place = crc32(BUNDLE);
  if (!place || !build || hasOption(argv, '--no-cache')) return null;
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    return null; // the working directory is gone: the CLI says so (MESH1023)
  }
  const root = cacheRoot(cwd);
  if (root === null) return null;
  const dir = join(root, 'v8');
  const info = statSync(BUNDLE);
  // One entry per installed meshc (other installs sharing the cache root keep theirs), named by the exact build.
  const prefix = `meshc-check-${place}-`;
  const runtime = crc32(`${process.version} ${process.versions.v8} ${process.arch} ${info.size} ${info.mtimeMs}`);
  return { dir, file: join(dir, `${prefix}${build.slice(0, 16)}-${runtime}.v8cache`), prefix };
}

/** The CRC-32 of `data` as 4 bytes (latin1). */
function crcBytes(data: Buffer): string {
  return Buffer.from(crc32(data)!, 'hex').toString('latin1');
}

function readCodeCache(file: string): Buffer | undefined {
  try {
    const raw = readFileSync(file);
    const ok = raw.length > HEADER && raw.subarray(0, MAGIC.length).equals(MAGIC) && raw.toString('latin1', MAGIC.length, HEADER) === crcBytes(raw.subarray(HEADER));
    if (ok) return raw.subarray(HEADER);
  } catch {
    // no entry yet
  }
  return undefined;
}

function writeCodeCache(where: { dir: string; file: string; prefix: string }, data: Buffer): void {
  const tmp = `${where.file}.${process.pid}.tmp`;
  try {
    mkdirSync(where.dir, { recursive: true });
    writeFileSync(tmp, Buffer.concat([MAGIC, Buffer.from(crcBytes(data), 'latin1'), data]));
    renameSync(tmp, where.file);
    // Entries of this install's earlier builds (or another Node) are dead weight now.
    for (const name of readdirSync(where.dir)) {
      if (name.startsWith(where.prefix) && name.endsWith('.v8cache') && join(where.dir, name) !== where.file) rmSync(join(where.dir, name), { force: true });
    }
  } catch {
    // An unwritable cache location only costs speed: force ignores ENOENT, not ENOTDIR.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  const where = codeCacheFile(argv);
  if (!where) return (createRequire(import.meta.url)(BUNDLE) as Cli).main(argv);
  const cached = readCodeCache(where.file);
  const source = readFileSync(BUNDLE, 'utf8');
  // Node's CommonJS wrapper (the bundle starts with "use strict", like the ES modules it was built
  // from). It has no import() (scripts/build.mjs sees to it): V8 drops the callback import() needs
  // from a script compiled from a code cache.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData: cached });
  const mod = { exports: {} as Cli };
  (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, createRequire(BUNDLE), mod, BUNDLE, dirname(BUNDLE));
  const code = await mod.exports.main(argv);
  // After a run that checked something (not a usage error or --help), so the cache also holds the functions a check compiles lazily.
  const checked = (code === 0 || code === 1) && !hasOption(argv, '--help', '-h');
  if (checked && (!cached || script.cachedDataRejected === true)) writeCodeCache(where, script.createCachedData());
  return code;
}
