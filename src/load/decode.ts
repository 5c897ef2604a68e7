/**
 * Bytes to text for the loader: a manifest must be UTF-8 (a byte-order mark is
 * dropped); UTF-16/32 (MESH0030), NUL bytes (MESH0004) and invalid UTF-8
 * (MESH0005) are reported at their place instead of being parsed as garbage.
 */
import { isUtf8 } from 'node:buffer';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { SourceRange } from '../core/types.ts';
import { fileStart } from '../source/yaml-doc.ts';

/** Byte offset of the first invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let n = 0;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong 3-byte forms, UTF-16 surrogates and code points above U+10FFFF.
    const c1 = buf[i + 1]!;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 >= 0xa0) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 >= 0x90)) return i;
    i += n + 1;
  }
  return -1;
}

/** Line and column (1-based, UTF-16 units like every other position) of a byte offset. */
export function bytePosition(buf: Buffer, file: string, offset: number): SourceRange {
  // (Buffer#lastIndexOf counts a negative start from the end: offset 0 must not search at all.)
  const lineStart = offset === 0 ? 0 : buf.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = buf.indexOf(0x0a); i !== -1 && i < lineStart; i = buf.indexOf(0x0a, i + 1)) line++;
  const column = buf.subarray(lineStart, offset).toString('utf8').length + 1;
  return { file, line, column, endLine: line, endColumn: column + 1 };
}

/**
 * The encoding of a file written in UTF-16 or UTF-32 (editors on Windows,
 * PowerShell 5's `>`), from its byte-order mark or, without one, from where
 * the NUL bytes of mostly-ASCII text fall in its first 512 bytes. Undefined
 * for anything else.
 */
export function wideEncoding(buf: Uint8Array): string | undefined {
  const b = (i: number) => buf[i];
  if (b(0) === 0x00 && b(1) === 0x00 && b(2) === 0xfe && b(3) === 0xff) return 'UTF-32';
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0x00 && b(3) === 0x00 && buf.length >= 4 && buf.length % 4 === 0) return 'UTF-32';
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff)) return 'UTF-16';
  const n = Math.min(buf.length, 512) & ~3;
  if (n < 8) return undefined;
  const zeros = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (buf[i] === 0) zeros[i % 4]!++;
  const quarter = n / 4;
  const mostly = (count: number) => count >= quarter * 0.9;
  // UTF-32: three NULs in every four bytes (the character byte last in big-endian, first in little-endian).
  if ((mostly(zeros[1]!) && mostly(zeros[2]!) && mostly(zeros[3]!) && zeros[0] === 0) || (mostly(zeros[0]!) && mostly(zeros[1]!) && mostly(zeros[2]!) && zeros[3] === 0)) return 'UTF-32';
  // UTF-16: a NUL in every other byte, never in the bytes between.
  const even = zeros[0]! + zeros[2]!;
  const odd = zeros[1]! + zeros[3]!;
  if ((odd >= n / 2 * 0.9 && even === 0) || (even >= n / 2 * 0.9 && odd === 0)) return 'UTF-16';
  return undefined;
}

/** Checks a buffer is text; returns the decoded string or undefined after reporting why not. */
export function decodeText(buf: Buffer, file: string, sink: DiagnosticSink): string | undefined {
  const wide = wideEncoding(buf);
  if (wide) {
    sink.report('MESH0030', { encoding: wide }, fileStart(file));
    return undefined;
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    sink.report('MESH0004', { offset: nul }, bytePosition(buf, file, nul));
    return undefined;
  }
  if (!isUtf8(buf)) {
    const bad = Math.max(0, firstInvalidUtf8(buf));
    sink.report('MESH0005', { offset: bad }, bytePosition(buf, file, bad));
    return undefined;
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
