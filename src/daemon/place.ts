/**
 * Where the check daemon of a project listens (`meshc check --daemon`,
 * src/daemon/server.ts): a Unix socket in a private directory of this user,
 * `$XDG_RUNTIME_DIR/meshc-<uid>/` (else the system's temporary directory),
 * named by a hash of meshc's build, the Node binary and the project's cache
 * root. So one daemon serves every checkout directory that shares a cache
 * (node_modules/.cache/meshc), a rebuilt or upgraded meshc never talks to an
 * older one's daemon (that one times out idle), and the socket path stays
 * short (Unix sockets take ~100 bytes) however deep the project is.
 *
 * The directory must be this user's own and closed to everyone else: the
 * daemon runs checks with the environment a client sends, so anyone who
 * could connect could read files as this user. A directory that fails the
 * test is not used (the check then runs in its own process).
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFingerprint, cacheRoot } from '../core/cache-root.ts';

export class DaemonUnavailable extends Error {}

export interface DaemonPlace {
  /** The socket (or, on Windows, named pipe) path. */
  socket: string;
  /** The daemon's log: what it did, and why it stopped. */
  log: string;
}

const uid = (): number | null => (typeof process.getuid === 'function' ? process.getuid() : null);

/** The private directory the sockets live in, created if missing; throws DaemonUnavailable when it is not private. */
function privateDirectory(env: NodeJS.ProcessEnv): string {
  const id = uid();
  const dir = join(env.XDG_RUNTIME_DIR || tmpdir(), `meshc-${id ?? 'user'}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new DaemonUnavailable(`cannot create ${dir}: ${(err as Error).message}`);
  }
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new DaemonUnavailable(`${dir} is not a directory`);
  if (id !== null && st.uid !== id) throw new DaemonUnavailable(`${dir} belongs to another user (uid ${st.uid})`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) throw new DaemonUnavailable(`${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}); it must be 700`);
  return dir;
}

/** The daemon's place for a check run from `cwd` with `env`. */
export function daemonPlace(cwd: string, env: NodeJS.ProcessEnv): DaemonPlace {
  const root = cacheRoot(cwd, env);
  if (root === null) throw new DaemonUnavailable('caches are turned off (MESHC_NO_CACHE)');
  const key = createHash('sha256').update(`${buildFingerprint()}\0${process.execPath}\0${root}`).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return { socket: `\\\\?\\pipe\\meshc-${key}`, log: join(tmpdir(), `meshc-${key}.log`) };
  const dir = privateDirectory(env);
  return { socket: join(dir, `${key}.sock`), log: join(dir, `${key}.log`) };
}
