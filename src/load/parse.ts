import { isUtf8 } from 'node:buffer';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { Path, SourceRange } from '../core/types.ts';
import type { SourceSet } from '../source/source-set.ts';
import { YamlSourceDoc, fileStart } from '../source/yaml-doc.ts';

/** A top-level object found in the input, not yet interpreted. */
export interface RawDocument {
  /** Index in the SourceSet. */
  doc: number;
  file: string;
  /** Path of the object inside its document: [] or ['items', i] for List members. */
  path: Path;
  value: Record<string, unknown>;
}

export const MAX_DEPTH = 200;
export const MAX_ALIAS_COUNT = 100;

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
    i += n + 1;
  }
  return -1;
}

/** Checks a buffer is text; returns the decoded string or undefined after reporting why not. */
export function decodeText(buf: Buffer, file: string, sink: DiagnosticSink): string | undefined {
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    sink.report('MESH0004', { offset: nul }, fileStart(file));
    return undefined;
  }
  if (!isUtf8(buf)) {
    sink.report('MESH0005', { offset: Math.max(0, firstInvalidUtf8(buf)) }, fileStart(file));
    return undefined;
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function depthExceeds(value: unknown, limit: number): boolean {
  // Iterative, so a 10,000-deep value cannot overflow the stack here.
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > limit) return true;
    if (v && typeof v === 'object') for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** Parses one file's text into top-level objects, registering each document's positions. */
export function parseManifestText(text: string, file: string, sources: SourceSet, sink: DiagnosticSink): RawDocument[] {
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: false }) as Document.Parsed[];
  } catch (err) {
    sink.report('MESH0008', { detail: err instanceof RangeError ? 'nesting too deep to parse' : String((err as Error).message) }, fileStart(file));
    return [];
  }
  if (!Array.isArray(docs)) docs = [docs];
  const out: RawDocument[] = [];
  let sawContent = false;
  docs.forEach((doc, index) => {
    const source = new YamlSourceDoc(file, index, doc, lines);
    const docId = sources.add(source);
    const range = (offset: number, end: number): SourceRange => {
      const a = lines.linePos(offset);
      const b = lines.linePos(Math.max(offset, end));
      return { file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
    };
    if (doc.errors.length > 0) {
      sawContent = true;
      for (const err of doc.errors) sink.report('MESH0003', { detail: err.message.split('\n')[0] }, range(err.pos[0], err.pos[1]));
      return;
    }
    if (doc.contents === null) return; // an empty document between markers
    sawContent = true;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const detail = err instanceof RangeError ? `nesting deeper than ${MAX_DEPTH} levels` : (err as Error).message;
      sink.report('MESH0008', { detail }, source.locate([]));
      return;
    }
    if (depthExceeds(value, MAX_DEPTH)) {
      sink.report('MESH0008', { detail: `nesting deeper than ${MAX_DEPTH} levels` }, source.locate([]));
      return;
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      sink.report('MESH0009', { type: typeName(value) }, source.locate([]));
      return;
    }
    const obj = value as Record<string, unknown>;
    // A Kubernetes List (kind: List, or any *List with items) is unpacked into its members.
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach((item, i) => {
        if (item && typeof item === 'object' && !Array.isArray(item)) {
          out.push({ doc: docId, file, path: ['items', i], value: item as Record<string, unknown> });
        } else if (item !== null) {
          sink.report('MESH0009', { type: typeName(item) }, source.locate(['items', i]));
        }
      });
      return;
    }
    out.push({ doc: docId, file, path: [], value: obj });
  });
  if (!sawContent) sink.report('MESH0006', {}, fileStart(file));
  return out;
}
