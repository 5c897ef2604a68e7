/**
 * `meshc check --daemon`: the check is sent to this project's check daemon
 * (server.ts), which is started in the background when none answers. The
 * daemon's stdout, stderr and exit code become this process's. When no
 * daemon can be reached or started, a note on stderr says why and the check
 * runs in this process instead: a pre-commit hook never fails because of
 * the daemon.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DaemonUnavailable, daemonPlace, type DaemonPlace } from './place.ts';
import { MAX_LINE, PROTOCOL, readLine, sendLine, type Reply, type Request } from './protocol.ts';

/** How long a started daemon may take to listen (it loads meshc first). */
const START_TIMEOUT_MS = 15_000;

class NoDaemon extends Error {}

/** One request, one reply; rejects with NoDaemon when nothing listens on `socket`. */
export function ask(socket: string, request: Request): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const s = connect(socket);
    s.once('error', (err: NodeJS.ErrnoException) => {
      reject(['ENOENT', 'ECONNREFUSED'].includes(err.code ?? '') ? new NoDaemon(err.code) : err);
    });
    s.once('connect', () => {
      s.removeAllListeners('error');
      sendLine(s, request);
      readLine(s, MAX_LINE).then((reply) => {
        s.destroy();
        if (reply === null) reject(new Error('the daemon closed the connection without an answer'));
        else resolve(reply as Reply);
      }, (err: Error) => {
        s.destroy();
        reject(err);
      });
    });
  });
}

/** Starts a daemon for `cwd` in the background (its own session, so it outlives this process and its terminal). */
function startDaemon(place: DaemonPlace, cwd: string, env: NodeJS.ProcessEnv): { exitedAt: () => number | null } {
  const log = openSync(place.log, 'w', 0o600);
  let exitedAt: number | null = null;
  try {
    const child = spawn(process.execPath, [process.argv[1]!, 'daemon', 'run'], { cwd, env, detached: true, stdio: ['ignore', 'ignore', log] });
    const exited = () => (exitedAt ??= Date.now());
    child.once('exit', exited).once('error', exited);
    child.unref();
  } finally {
    closeSync(log);
  }
  return { exitedAt: () => exitedAt };
}

/** Asks, starting a daemon first when none listens. */
async function askStarting(place: DaemonPlace, request: Request, cwd: string, env: NodeJS.ProcessEnv): Promise<Reply> {
  try {
    return await ask(place.socket, request);
  } catch (err) {
    if (!(err instanceof NoDaemon)) throw err;
  }
  const child = startDaemon(place, cwd, env);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      return await ask(place.socket, request);
    } catch (err) {
      if (!(err instanceof NoDaemon)) throw err;
      if (Date.now() > deadline) throw new Error(`it did not start within ${START_TIMEOUT_MS / 1000} s (its log: ${place.log})`);
      // One that exited lost the race to another daemon (which answers soon) or failed (its log says why).
      const exitedAt = child.exitedAt();
      if (exitedAt !== null && Date.now() - exitedAt > 2000) throw new Error(`it exited on start (its log: ${place.log})`);
      await sleep(20);
    }
  }
}

const note = (why: string) => process.stderr.write(`meshc check: note: no check daemon (${why}); checking in this process\n`);

/** The exit code of the check the daemon ran (its output written here), or null when it has to run in this process. */
export async function checkThroughDaemon(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  let place: DaemonPlace;
  try {
    place = daemonPlace(cwd, env);
  } catch (err) {
    if (!(err instanceof DaemonUnavailable)) throw err;
    note(err.message);
    return null;
  }
  const request: Request = {
    op: 'check', protocol: PROTOCOL, argv, cwd,
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
    tty: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
  };
  let reply: Reply;
  try {
    reply = await askStarting(place, request, cwd, env);
  } catch (err) {
    note((err as Error).message);
    return null;
  }
  if (reply.op !== 'check') {
    note(reply.op === 'error' ? `it refused the request: ${reply.message}` : `it answered ${reply.op}`);
    return null;
  }
  if (reply.stdout) process.stdout.write(reply.stdout);
  if (reply.stderr) process.stderr.write(reply.stderr);
  return reply.code;
}
