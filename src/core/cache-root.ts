/**
 * Where meshc keeps its caches (parsed manifests, DSL results): a directory
 * that is always safe to delete, never in the user's source tree.
 *
 * $MESHC_CACHE_DIR, else node_modules/.cache/meshc next to the nearest
 * node_modules above the working directory (the convention of babel, eslint
 * and others, so `rm -rf node_modules` clears it), else
 * $XDG_CACHE_HOME/meshc (~/.cache/meshc). MESHC_NO_CACHE=1 turns every
 * cache off (null).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function cacheRoot(cwd: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.MESHC_NO_CACHE && env.MESHC_NO_CACHE !== '0') return null;
  if (env.MESHC_CACHE_DIR) return env.MESHC_CACHE_DIR;
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'meshc');
    if (dirname(dir) === dir) break;
  }
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'meshc');
}

let fingerprint: string | undefined;

/**
 * What a cached result depends on besides its input: meshc's build. A
 * bundled meshc carries MESHC_BUILD_ID (a hash of its sources and bundled
 * dependencies, set by scripts/build.mjs); run from source (tests,
 * benchmarks) it is a hash of every file under src/ and the yaml package's
 * version, so an edited meshc never reads an older one's entries.
 */
export function buildFingerprint(): string {
  if (fingerprint) return fingerprint;
  if (process.env.MESHC_BUILD_ID) return (fingerprint = process.env.MESHC_BUILD_ID);
  const src = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256').update(`meshc ${process.env.MESHC_VERSION ?? 'dev'}\n`);
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  for (const f of files) hash.update(`${f}\n`).update(readFileSync(join(src, f)));
  try {
    hash.update(readFileSync(join(src, '..', 'node_modules', 'yaml', 'package.json')));
  } catch {
    hash.update('yaml ?');
  }
  return (fingerprint = hash.digest('hex'));
}
