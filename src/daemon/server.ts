/**
 * The check daemon (`meshc daemon run`, started by `meshc check --daemon`):
 * a process that stays up between checks and keeps what `check --watch`
 * keeps between its runs (files parsed, documents modelled: CheckSession),
 * so a re-check after an edit skips the process start, the cache reads and
 * the modelling of unchanged documents. Every check still reads every file
 * and runs every rule, so its output is a cold run's, byte for byte (tested).
 *
 * A check runs exactly as `meshc check` runs in a process of its own: with
 * the client's working directory, environment, arguments and terminal
 * flags, its stdout and stderr captured and sent back with the exit code.
 * Those are process-wide, so checks run one at a time. The daemon exits
 * after `idleSeconds` without a request, on `meshc daemon stop`, SIGINT or
 * SIGTERM, and removes its socket.
 */
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { buildFingerprint } from '../core/cache-root.ts';
import { MAX_REQUEST, parseRequest, readLine, sendLine, type CheckReply, type CheckRequest, type Reply } from './protocol.ts';
import type { CheckSession } from '../cli/commands/check.ts';

export interface DaemonOptions {
  socket: string;
  idleSeconds: number;
  /** One line per event (the daemon's log file, or stderr in the foreground). */
  log: (line: string) => void;
}

/** Sessions per working directory (file names in reports are relative to it); the least recently used goes first. */
const MAX_SESSIONS = 4;

type Write = typeof process.stdout.write;

/** Runs `body` with stdout and stderr captured and the client's working directory, environment and terminal flags in place. */
async function asClient(req: CheckRequest, body: () => Promise<number>): Promise<CheckReply> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]): Write => ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as Write;
  const saved = { cwd: process.cwd(), env: process.env, out: process.stdout.write, err: process.stderr.write, outTTY: process.stdout.isTTY, errTTY: process.stderr.isTTY };
  const setTTY = (stream: NodeJS.WriteStream, value: boolean | undefined) => Object.defineProperty(stream, 'isTTY', { value, configurable: true, writable: true });
  let code: number;
  try {
    process.chdir(req.cwd);
    process.env = { ...req.env };
    process.stdout.write = capture(out);
    process.stderr.write = capture(err);
    setTTY(process.stdout, req.tty.stdout);
    setTTY(process.stderr, req.tty.stderr);
    code = await body();
  } catch (e) {
    err.push(`meshc: internal error in the check daemon: ${(e as Error).message}\n`);
    code = 2;
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    setTTY(process.stdout, saved.outTTY);
    setTTY(process.stderr, saved.errTTY);
    process.env = saved.env;
    process.chdir(saved.cwd);
  }
  return { op: 'check', stdout: out.join(''), stderr: err.join(''), code };
}

/** Whether a daemon answers on `socket` (a stale socket file left by a killed one does not). */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socket);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Listens on `socket`; false when another daemon already does (two clients started one each: the later one leaves). */
async function listen(server: Server, socket: string): Promise<boolean> {
  if (process.platform !== 'win32' && existsSync(socket)) {
    if (await answers(socket)) return false;
    // Only a socket is ours to replace (one a killed daemon left); anything else there is not removed.
    if (!lstatSync(socket).isSocket()) throw new Error(`${socket} exists and is not a socket`);
    unlinkSync(socket);
  }
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)));
    server.listen(socket, () => resolve(true));
  });
}

/** Runs the daemon until it is stopped or idle; resolves with the process exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const { runCheckInSession, newCheckSession } = await import('../cli/commands/check.ts');
  const sessions = new Map<string, CheckSession>();
  const sessionFor = (cwd: string): CheckSession => {
    const found = sessions.get(cwd) ?? newCheckSession();
    sessions.delete(cwd);
    sessions.set(cwd, found);
    if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    return found;
  };
  const started = Date.now();
  let checks = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;
  let stopping!: (reason: string) => void;
  const stopped = new Promise<string>((resolve) => (stopping = resolve));
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => stopping(`idle for ${options.idleSeconds} s`), options.idleSeconds * 1000);
  };

  const answer = async (req: ReturnType<typeof parseRequest>): Promise<Reply> => {
    if (typeof req === 'string') return { op: 'error', message: req };
    if (req.op === 'status') return { op: 'status', pid: process.pid, started, checks, rss: process.memoryUsage.rss(), idleSeconds: options.idleSeconds, build: buildFingerprint() };
    if (req.op === 'stop') {
      stopping('stop requested');
      return { op: 'stop' };
    }
    checks++;
    return asClient(req, () => runCheckInSession(req.argv, sessionFor(req.cwd)));
  };
  const serve = async (socket: Socket) => {
    socket.on('error', () => {}); // a client that went away: nothing to tell it
    let reply: Reply;
    try {
      const req = parseRequest(await readLine(socket, MAX_REQUEST));
      const turn = queue.then(() => answer(req));
      queue = turn.catch(() => {});
      reply = await turn;
    } catch (err) {
      reply = { op: 'error', message: (err as Error).message };
    }
    touch();
    if (socket.destroyed) return;
    sendLine(socket, reply);
    socket.end();
  };

  // Half-open: a client may end its side once its request is sent, and still get the answer.
  const server = createServer({ allowHalfOpen: true }, (socket) => void serve(socket));
  if (!(await listen(server, options.socket))) {
    options.log(`another daemon already listens on ${options.socket}; leaving`);
    return 0;
  }
  options.log(`listening on ${options.socket} (pid ${process.pid}, exits after ${options.idleSeconds} s without a check)`);
  touch();
  const onSignal = (signal: string) => stopping(signal);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const reason = await stopped;
  clearTimeout(idle);
  await queue; // a check under way is answered first
  await new Promise((resolve) => server.close(resolve));
  options.log(`stopped (${reason}) after ${checks} check(s)`);
  return 0;
}

