/**
 * Loads the TypeScript compiler with a V8 code cache: compiling its 9 MB of
 * JavaScript is the largest cost of checking a changed DSL file, and V8 can
 * skip it when given the code it produced last time. The cache sits next to
 * the DSL result cache (never among sources), is keyed by the Node version,
 * architecture and the exact typescript.js (size and mtime), carries a
 * SHA-256 of its bytes (a damaged file is ignored, never handed to V8), and
 * is written atomically after a type-check, so it holds the functions a check
 * uses. Without a cache directory this is a plain require().
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import type * as TS from 'typescript';

interface Loaded {
  ts: typeof TS;
  /** Writes the code cache if it was missing or rejected; call after a type-check. */
  persist(): void;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

export function loadTypeScript(cacheDir: string | null): Loaded {
  const require = createRequire(import.meta.url);
  const path = require.resolve('typescript');
  if (!cacheDir || require.cache[path]) return { ts: require('typescript') as typeof TS, persist() {} };
  const info = statSync(path);
  const key = createHash('sha256').update(`${process.version} ${process.arch} ${path} ${info.size} ${info.mtimeMs}`).digest('hex').slice(0, 24);
  const file = join(cacheDir, `typescript-${key}.v8cache`);
  let cached: Buffer | undefined;
  try {
    const raw = readFileSync(file);
    if (raw.length > 32 && sha256(raw.subarray(32)).equals(raw.subarray(0, 32))) cached = raw.subarray(32);
  } catch {
    // no cache yet
  }
  const source = readFileSync(path, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: path, cachedData: cached });
  // A real module entry, so require('typescript') elsewhere gets this instance.
  const mod = new Module(path) as Module & { filename: string; loaded: boolean; paths: string[] };
  mod.filename = path;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(path));
  require.cache[path] = mod;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, createRequire(path), mod, path, dirname(path));
  } catch (err) {
    delete require.cache[path];
    throw err;
  }
  mod.loaded = true;
  const needsWrite = !cached || script.cachedDataRejected === true;
  return {
    ts: mod.exports as typeof TS,
    persist() {
      if (!needsWrite) return;
      try {
        const data = script.createCachedData();
        mkdirSync(cacheDir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, Buffer.concat([sha256(data), data]));
        renameSync(tmp, file);
        // Caches of other TypeScript or Node versions are dead weight now.
        for (const name of readdirSync(cacheDir)) {
          if (/^typescript-.*\.v8cache$/.test(name) && join(cacheDir, name) !== file) rmSync(join(cacheDir, name), { force: true });
        }
      } catch {
        // An unwritable cache location (e.g. MESHC_CACHE_DIR under a file) only costs speed: force ignores ENOENT, not ENOTDIR.
        try {
          rmSync(`${file}.${process.pid}.tmp`, { force: true });
        } catch {
          // nothing was written
        }
      }
    },
  };
}
