// Temporary directories for tests, all removed when the test process exits
// (uvu runs every test file in one process), whether the test passed or not.
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** Makes a test leave nothing behind even where it took permissions away (as a non-root user rm cannot enter a 000 directory). */
function removeTree(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    const open = (p: string): void => {
      try {
        chmodSync(p, 0o700);
        if (statSync(p).isDirectory()) for (const e of readdirSync(p)) open(join(p, e));
      } catch { /* gone already */ }
    };
    open(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

process.on('exit', () => {
  for (const dir of made.splice(0)) {
    try {
      removeTree(dir);
    } catch { /* nothing more to do at exit */ }
  }
});

/** A new directory under the system temporary directory, removed at exit (or earlier by the caller). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Runs `body` with meshc's cache in `cache` (MESHC_CACHE_DIR), then puts the variable back as it was. */
export async function withCacheDir<T>(cache: string, body: () => Promise<T>): Promise<T> {
  const before = process.env.MESHC_CACHE_DIR;
  process.env.MESHC_CACHE_DIR = cache;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.MESHC_CACHE_DIR;
    else process.env.MESHC_CACHE_DIR = before;
  }
}
