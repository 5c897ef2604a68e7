/**
 * Reading the inputs: each file read whole but never past the size limit,
 * handed on in input order (src/load/index.ts).
 */
import { closeSync, fstatSync } from 'node:fs';
import { isDirectoryError, openRegularFileSync, readOpenFileSync } from '../core/regular-file.ts';
import { createRequire } from 'node:module';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import { fileStart } from '../source/yaml-doc.ts';
import { reason, type InputFile } from './inputs.ts';
import { decodeText } from './decode.ts';

/**
 * Reads a regular file, but never more than `limit` bytes: a file over the
 * limit is refused from its size alone, and one that grows while being read
 * (or whose size stat cannot tell, as in /proc) is cut off at limit + 1.
 * Synchronous: the loader has nothing else to do meanwhile (parse workers
 * start in their own threads), and for files the system has cached it costs
 * a fifth of reading them through the thread pool.
 */
function readLimited(path: string, limit: number): Buffer | { size: number } {
  const { fd, info } = openRegularFileSync(path);
  try {
    if (info.size > limit) return { size: info.size };
    const { data, total } = readOpenFileSync(fd, info.size, limit);
    return data ?? { size: Math.max(total, info.size) };
  } finally {
    closeSync(fd);
  }
}

/** Reads standard input up to `limit` bytes; past that only counts the bytes, to report the size. */
async function readAllStdin(limit: number): Promise<Buffer | { size: number }> {
  // `meshc check - < dir`: reading a directory would look like an empty input.
  if (fstatSync(0).isDirectory()) throw isDirectoryError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? { size } : Buffer.concat(chunks);
}

/** One input read ahead of parsing: its text, or what reading or decoding it reported. */
export interface ReadInput {
  input: InputFile;
  /** Findings of reading and decoding, reported when the input's turn comes. */
  findings: Diagnostic[];
  text?: string;
  /** Its place among the files shared with parse workers (ParsePool.share), when it is one of them. */
  shareIndex?: number;
}

export async function readInput(input: InputFile, limit: number, readStdin?: () => Promise<Buffer>): Promise<ReadInput> {
  const local = new DiagnosticSink();
  const read: ReadInput = { input, findings: local.items };
  let got: Buffer | { size: number };
  try {
    if (input.path === '-') {
      got = readStdin ? await readStdin() : await readAllStdin(limit);
      if (Buffer.isBuffer(got) && got.length > limit) got = { size: got.length };
    } else {
      got = readLimited(input.path, limit);
    }
  } catch (err) {
    local.report('MESH0002', { path: input.display, reason: reason(err) }, fileStart(input.display));
    return read;
  }
  if (!Buffer.isBuffer(got)) {
    local.report('MESH0007', { size: got.size, limit }, fileStart(input.display));
    return read;
  }
  read.text = decodeText(got, input.display, local);
  return read;
}

/**
 * Reads the inputs in input order and hands each one to `onRead` as soon as
 * it is read (parse workers are started from there while the rest is read).
 * A read never throws: what went wrong is in its findings, reported at its turn.
 */
export async function readInOrder(count: number, read: (i: number) => Promise<ReadInput | undefined>, onRead: (r: ReadInput | undefined) => void): Promise<(ReadInput | undefined)[]> {
  const reads: (ReadInput | undefined)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    reads[i] = await read(i);
    onRead(reads[i]);
  }
  return reads;
}

/** Below this many characters read, a run does not ask V8 for its heap limit (a small check never loads node:v8). */
const BUDGET_CHECK_FROM = 8 * 1024 * 1024;

/**
 * How much manifest text one run may read: a thirty-second of V8's heap
 * limit (128 MB of a 4 GB heap: some 45,000 Services with their policy).
 * Parsing and modelling take twenty to forty times the text's size, and a
 * compile more, so a run past this point cannot finish; it stops
 * reading there with MESH0017 instead of running out of memory minutes later
 * (pointed at a home directory, at /tmp or at a dump of generated JSON).
 */
export class InputBudget {
  private read = 0;
  private limit: number | undefined;
  private heap = 0;
  /** Files whose text counted so far. */
  files = 0;

  /** Counts a file's text; true once the run has read more than it may. */
  spend(chars: number): boolean {
    this.read += chars;
    this.files++;
    if (this.read <= BUDGET_CHECK_FROM) return false;
    if (this.limit === undefined) {
      this.heap = (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).getHeapStatistics().heap_size_limit;
      this.limit = Math.max(BUDGET_CHECK_FROM, Math.floor(this.heap / 32));
    }
    return this.read > this.limit;
  }

  /** MESH0017's arguments. */
  get report(): { limit: string; heap: string; files: number } {
    const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
    return { limit: mb(this.limit ?? 0), heap: mb(this.heap), files: this.files };
  }
}
