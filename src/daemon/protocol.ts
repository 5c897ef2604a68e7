/**
 * What a client and the check daemon say to each other: one JSON object per
 * line each way, one request per connection. Lines are bounded, so a
 * misbehaving peer costs a closed connection, not the daemon's memory.
 */
import type { Socket } from 'node:net';

/** Raised to 256 MiB for a report: a JSON or SARIF report of a big mesh can run to tens of MiB. */
export const MAX_LINE = 256 * 1024 * 1024;
/** A request carries an argv and an environment: a mebibyte is far more than either. */
export const MAX_REQUEST = 1024 * 1024;
export const PROTOCOL = 1;

export interface CheckRequest {
  op: 'check';
  protocol: number;
  /** `meshc check`'s arguments, without --daemon. */
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Whether the client's stdout and stderr are terminals (the colour decision, src/report/color.ts). */
  tty: { stdout: boolean; stderr: boolean };
}

export type Request = CheckRequest | { op: 'status'; protocol: number } | { op: 'stop'; protocol: number };

export interface CheckReply {
  op: 'check';
  stdout: string;
  stderr: string;
  code: number;
}

export interface StatusReply {
  op: 'status';
  pid: number;
  /** ms since the epoch. */
  started: number;
  checks: number;
  /** Resident memory, bytes. */
  rss: number;
  /** How long the daemon waits for a request before it exits, in seconds. */
  idleSeconds: number;
  /** meshc's build fingerprint (src/core/cache-root.ts). */
  build: string;
}

export type Reply = CheckReply | StatusReply | { op: 'stop' } | { op: 'error'; message: string };

/** Sends one JSON line. */
export function sendLine(socket: Socket, message: Request | Reply): void {
  socket.write(`${JSON.stringify(message)}\n`);
}

/**
 * The first line `socket` sends, parsed (resolves null when the peer closes
 * first, rejects when the line is longer than `max` or is not JSON).
 */
export function readLine(socket: Socket, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const finish = (fn: () => void) => {
      socket.off('data', onData).off('end', onEnd).off('error', onError);
      fn();
    };
    const onData = (chunk: Buffer) => {
      const nl = chunk.indexOf(0x0a);
      parts.push(nl < 0 ? chunk : chunk.subarray(0, nl));
      size += nl < 0 ? chunk.length : nl;
      if (size > max) return finish(() => reject(new Error(`message longer than ${max} bytes`)));
      if (nl < 0) return;
      const text = Buffer.concat(parts).toString('utf8');
      finish(() => {
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error('message is not JSON'));
        }
      });
    };
    const onEnd = () => finish(() => resolve(null));
    const onError = (err: Error) => finish(() => reject(err));
    socket.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** A request as the daemon accepts it, or why not. */
export function parseRequest(v: unknown): Request | string {
  if (!isObject(v)) return 'request is not an object';
  if (v.protocol !== PROTOCOL) return `protocol ${JSON.stringify(v.protocol)} is not ${PROTOCOL} (client and daemon of different meshc builds)`;
  if (v.op === 'status' || v.op === 'stop') return { op: v.op, protocol: PROTOCOL };
  if (v.op !== 'check') return `unknown op ${JSON.stringify(v.op)}`;
  if (!strings(v.argv)) return 'argv must be a list of strings';
  if (typeof v.cwd !== 'string' || v.cwd === '') return 'cwd must be a non-empty string';
  if (!isObject(v.env) || !Object.values(v.env).every((s) => typeof s === 'string')) return 'env must map names to strings';
  if (!isObject(v.tty) || typeof v.tty.stdout !== 'boolean' || typeof v.tty.stderr !== 'boolean') return 'tty must say whether stdout and stderr are terminals';
  return { op: 'check', protocol: PROTOCOL, argv: v.argv, cwd: v.cwd, env: v.env as Record<string, string>, tty: { stdout: v.tty.stdout, stderr: v.tty.stderr } };
}
