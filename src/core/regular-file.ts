/**
 * Reading files a user or a directory names, which may be anything: a
 * named pipe (opening one for reading blocks until a writer comes), a
 * device (/dev/zero never ends), a socket. Each read here opens without
 * blocking, checks that it opened a regular file (after the open: a path
 * replaced between a stat and the open cannot slip through) and reads no
 * more than a limit.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** What a path is when it is not a regular file or directory, for messages. */
export function specialKind(info: Stats): string {
  return info.isFIFO() ? 'a named pipe (FIFO)' : info.isSocket() ? 'a socket' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : 'a special file';
}

/** Thrown for a path that is not a regular file (code ENOTREG), or one over the limit (code EFBIG). */
export class UnreadableFileError extends Error {
  constructor(readonly code: 'ENOTREG' | 'EFBIG', message: string) {
    super(message);
  }
}

/** The error reading a directory as a file gives (code EISDIR), for places that find out before reading. */
export function isDirectoryError(): NodeJS.ErrnoException {
  return Object.assign(new Error('is a directory'), { code: 'EISDIR' });
}

// O_NONBLOCK: opening a named pipe returns at once instead of waiting for a writer; regular files ignore it.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function refuse(info: Stats, limit: number): void {
  if (info.isDirectory()) throw isDirectoryError();
  if (!info.isFile()) throw new UnreadableFileError('ENOTREG', `not a regular file: ${specialKind(info)}`);
  if (info.size > limit) throw new UnreadableFileError('EFBIG', `larger than ${limit} bytes (${info.size} bytes)`);
}

/**
 * A regular file's descriptor, opened without blocking; throws for anything
 * else (UnreadableFileError, or the open's own error). The caller closes it.
 */
export function openRegularFileSync(path: string, limit = Number.MAX_SAFE_INTEGER): { fd: number; info: Stats } {
  const fd = openSync(path, READ_FLAGS);
  try {
    const info = fstatSync(fd);
    refuse(info, limit);
    return { fd, info };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Up to `max` bytes from the start of a regular file (a probe: is this ours?). */
export function readRegularFileHeadSync(path: string, max: number): { bytes: Buffer; whole: boolean } {
  const { fd } = openRegularFileSync(path);
  try {
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, 0);
    return { bytes: buf.subarray(0, n), whole: n < max };
  } finally {
    closeSync(fd);
  }
}

/** How much the next read asks for: the rest of the stat size (at least 64 KiB), never past `limit` + 1 in all. */
function nextChunk(sizeHint: number, total: number, limit: number): number {
  return Math.min(Math.max(sizeHint - total, 64 * 1024), limit + 1 - total);
}

/**
 * Reads an open file to its end, but never more than `limit` + 1 bytes:
 * `data` is null when it holds more than `limit` (it grew past its stat
 * size, or stat could not tell, as in /proc); `total` is what was read.
 */
export function readOpenFileSync(fd: number, sizeHint: number, limit: number): { data: Buffer | null; total: number } {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const want = nextChunk(sizeHint, total, limit);
    if (want <= 0) break;
    const chunk = Buffer.allocUnsafe(want);
    const n = readSync(fd, chunk, 0, want, null);
    if (n === 0) break;
    chunks.push(n === want ? chunk : chunk.subarray(0, n));
    total += n;
  }
  if (total > limit) return { data: null, total };
  return { data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), total };
}

/** A whole regular file of at most `limit` bytes (a file that grows past it while being read is refused too). */
export function readRegularFileSync(path: string, limit: number): Buffer {
  const { fd, info } = openRegularFileSync(path, limit);
  try {
    const { data } = readOpenFileSync(fd, info.size, limit);
    if (!data) throw new UnreadableFileError('EFBIG', `larger than ${limit} bytes`);
    return data;
  } finally {
    closeSync(fd);
  }
}

/** readRegularFileSync through the thread pool (the server reads while it serves). */
export async function readRegularFile(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, READ_FLAGS);
  try {
    const info = await handle.stat();
    refuse(info, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = nextChunk(info.size, total, limit);
      if (want <= 0) break;
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(want), 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === want ? buffer : buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > limit) throw new UnreadableFileError('EFBIG', `larger than ${limit} bytes`);
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
