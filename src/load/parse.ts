import { isUtf8 } from 'node:buffer';
import { Composer, LineCounter, Parser, isAlias, isCollection, isMap, isScalar, isSeq, visit, type Alias, type CST, type Document, type Node } from 'yaml';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { Path, SourceRange } from '../core/types.ts';
import type { SourceSet } from '../source/source-set.ts';
import { LazyYamlSourceDoc, fileStart } from '../source/yaml-doc.ts';

/** A top-level object found in the input, not yet interpreted. */
export interface RawDocument {
  /** Index in the SourceSet. */
  doc: number;
  file: string;
  /** Path of the object inside its document: [] or ['items', i] for List members. */
  path: Path;
  value: Record<string, unknown>;
}

/** Deepest nesting accepted (real manifests stay under 30). */
export const MAX_DEPTH = 200;
/** Alias expansions per document (the `yaml` package's guard against "billion laughs"). */
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

/**
 * Offset of the first collection nested deeper than `limit` in a CST
 * document, or -1. Iterative, so it is safe on inputs that would overflow the
 * stack of the (recursive) composer: those are rejected before composing.
 */
function tooDeepAt(token: CST.Document, limit: number): number {
  const stack: [CST.Token | null | undefined, number][] = [[token.value, 1]];
  while (stack.length > 0) {
    const [tok, depth] = stack.pop()!;
    if (!tok) continue;
    if (tok.type !== 'block-map' && tok.type !== 'block-seq' && tok.type !== 'flow-collection') continue;
    if (depth > limit) return tok.offset;
    for (const item of tok.items as { key?: CST.Token | null; value?: CST.Token }[]) {
      stack.push([item.key, depth + 1], [item.value, depth + 1]);
    }
  }
  return -1;
}

/** Offset of the first collection nested deeper than `limit` anywhere in `text`, or -1 (for small texts parsed whole, such as the configuration file). */
export function firstTooDeepOffset(text: string, limit = MAX_DEPTH): number {
  for (const [start, end] of documentSegments(text)) {
    const parser = new Parser();
    parser.offset = start;
    try {
      for (const token of parser.parse(text.slice(start, end))) {
        if (token.type !== 'document') continue;
        const at = tooDeepAt(token, limit);
        if (at >= 0) return at;
      }
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return deepIndentOffset(text, start, end, limit);
    }
  }
  return -1;
}

/**
 * [start, end) offsets of `text` cut before every line that starts with the
 * document marker `---` (which ends any scalar or collection before it). The
 * `yaml` parser closes the collections still open at the end of its input in a
 * loop, but those closed by a later token (a `---`, a key less indented) by
 * recursion, one level per call: parsing each document on its own bounds
 * that recursion to one document (deepIndentOffset places what still overflows).
 */
export function documentSegments(text: string): [number, number][] {
  const segments: [number, number][] = [];
  let start = 0;
  for (const m of text.matchAll(/^---(?=[ \t\r\n]|$)/gm)) {
    if (m.index > start) segments.push([start, m.index]);
    start = m.index;
  }
  segments.push([start, text.length]);
  return segments;
}

/**
 * Where the indentation of `text[start, end)` first opens more than `limit`
 * levels (each line more indented than the last opens one), or `start`: the
 * place to report a document whose nesting overflowed the parser's recursion
 * (a key less indented than thousands of open levels closes them all at once).
 * Iterative.
 */
function deepIndentOffset(text: string, start: number, end: number, limit: number): number {
  const open: number[] = [];
  for (let at = start; at < end; ) {
    const next = text.indexOf('\n', at);
    const lineEnd = next < 0 || next > end ? end : next;
    const indent = /^[ ]*/.exec(text.slice(at, Math.min(lineEnd, at + 100_000)))![0].length;
    const rest = text.charCodeAt(at + indent);
    if (at + indent < lineEnd && rest !== 35 && rest !== 13) {
      while (open.length > 0 && open[open.length - 1]! >= indent) open.pop();
      open.push(indent);
      if (open.length > limit) return at + indent;
    }
    at = lineEnd + 1;
  }
  return start;
}

/** Same limit on the plain value (aliases can deepen a document after composing). Iterative. */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > limit) return true;
    if (v && typeof v === 'object') for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

/**
 * The alias that made converting `doc` exceed the alias limit. The `yaml`
 * package's error does not name it, so the conversion is run once more with
 * every alias of the document instrumented (only for documents that already
 * failed): the innermost alias whose conversion throws is the one. Falls back
 * to the first alias (e.g. for nesting that only aliases made too deep).
 */
function offendingAlias(doc: Document.Parsed, convert: (doc: Document.Parsed) => unknown): Alias | undefined {
  let first: Alias | undefined;
  let culprit: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      first ??= node;
      const own = node.toJSON.bind(node);
      node.toJSON = (arg?: unknown, ctx?: unknown) => {
        try {
          return (own as (a?: unknown, c?: unknown) => unknown)(arg, ctx);
        } catch (err) {
          culprit ??= node;
          throw err;
        }
      };
    },
  });
  if (!first) return undefined;
  try {
    convert(doc);
  } catch {
    // expected: the same error as before, now with the alias recorded
  }
  return culprit ?? first;
}

/**
 * The first mapping key of `doc` that JSON (and so Kubernetes) cannot have:
 * a list or map (`? [a, b]: x`, `[a, b]: x`), directly or through an alias,
 * or null (`null: x`, `~: x`, `: x`), or a scalar whose tag makes it an
 * object (`!!binary x: y`). The API server's YAML-to-JSON step
 * rejects them ("unsupported map key"); the `yaml` package would stringify
 * them silently (with a process warning). Iterative; aliases in values are
 * not followed (their anchors are walked where they are defined), but
 * `seen.alias` tells whether the document has any.
 */
function unsupportedKey(doc: Document.Parsed, seen: { alias: boolean }): { key: Node | null; what: string } | undefined {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) seen.alias = true;
    else if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (isAlias(key)) seen.alias = true;
        const target = isAlias(key) ? key.resolve(doc) : key;
        if (isCollection(target)) return { key, what: isMap(target) ? 'a map' : 'a list' };
        if (target === null || target === undefined || (isScalar(target) && target.value === null)) return { key, what: 'null' };
        // A tagged scalar that becomes an object (`!!binary` gives bytes): stringified with a process warning otherwise.
        if (isScalar(target) && typeof target.value === 'object') return { key, what: `a ${(target.tag ?? 'tagged').replace('tag:yaml.org,2002:', '!!')} value` };
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

/** The source text of a mapping key starting at `offset` (quoted or plain), for duplicate-key messages. */
function keyTextAt(text: string, offset: number): string | undefined {
  const m = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\n]*?)[ \t]*:(?:[ \t\r\n]|$)/.exec(text.slice(offset, offset + 1024));
  return m && m[1] ? m[1] : undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/**
 * A stream of concatenated JSON objects (`{...}{...}` or one per line), which
 * kubectl reads from any file that starts with `{` but which is not one YAML
 * document: the [start, end) offsets of each value, when there are several and
 * each is valid JSON on its own; else undefined (the text is read as YAML).
 */
function jsonStreamSegments(text: string): [number, number][] | undefined {
  const first = text.search(/\S/);
  if (first < 0 || text[first] !== '{') return undefined;
  const segments: [number, number][] = [];
  let i = first;
  const n = text.length;
  while (i < n) {
    const c0 = text.charCodeAt(i);
    if (c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13) { i++; continue; }
    if (c0 !== 123) return undefined; // something other than an object between values: leave it to the YAML parser
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92) i++;
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) { i++; break; }
    }
    if (depth !== 0) return undefined;
    segments.push([start, i]);
    if (segments.length === 1 && text.slice(i).trim() === '') return undefined; // one object: plain YAML reads it
  }
  for (const [start, end] of segments) {
    try {
      JSON.parse(text.slice(start, end));
    } catch {
      return undefined;
    }
  }
  return segments;
}

/** A document's syntax errors: the parser often gives several messages for one mistake at one place, so one finding per place, with all of them. */
function reportSyntaxErrors(doc: Document.Parsed, text: string, sink: DiagnosticSink, range: (offset: number, end?: number) => SourceRange): void {
  const byPlace = new Map<number, { details: string[]; end: number }>();
  for (const err of doc.errors) {
    const key = err.code === 'DUPLICATE_KEY' ? keyTextAt(text, err.pos[0]) : undefined;
    const detail = key ? `duplicate key ${key} (the keys of a mapping must be unique)` : err.message.split('\n')[0]!;
    const place = byPlace.get(err.pos[0]);
    if (!place) byPlace.set(err.pos[0], { details: [detail], end: key ? err.pos[0] + key.length : err.pos[1] });
    else if (!place.details.includes(detail)) place.details.push(detail);
  }
  for (const [start, { details, end }] of byPlace) {
    const detail = details.map((d, i) => (i === 0 ? d : d.charAt(0).toLowerCase() + d.slice(1))).join('; ');
    sink.report('MESH0003', { detail }, range(start, end));
  }
}

/**
 * The resources of a document's top-level object: a Kubernetes List (kind: List, or any *List with items) is
 * unpacked into its members, nested Lists too (as kubectl flattens them). Iterative: the depth limit already bounds
 * the nesting.
 */
function unpackLists(value: Record<string, unknown>, source: LazyYamlSourceDoc, sink: DiagnosticSink): [Record<string, unknown>, Path][] {
  const resources: [Record<string, unknown>, Path][] = [];
  const pendingObjects: [Record<string, unknown>, Path][] = [[value, []]];
  // An index, not shift(): a List of tens of thousands of items (kubectl get -o yaml) would be quadratic.
  for (let next = 0; next < pendingObjects.length; next++) {
    const [obj, path] = pendingObjects[next]!;
    const isList = typeof obj.kind === 'string' && obj.kind.endsWith('List') && ('items' in obj || obj.kind === 'List');
    if (!isList || obj.items === null || obj.items === undefined) {
      // A List without items (or `items:` with nothing after it) is an empty list; any other object is a resource.
      if (!isList) resources.push([obj, path]);
      continue;
    }
    if (!Array.isArray(obj.items)) {
      sink.report('MESH0111', { path: 'items', expected: `a list of objects (a ${obj.kind} holds its members in items)`, actual: typeof obj.items === 'object' ? 'a map' : typeName(obj.items), hint: '' },
        source.locate([...path, 'items']));
      continue;
    }
    obj.items.forEach((item, i) => {
      if (item && typeof item === 'object' && !Array.isArray(item)) pendingObjects.push([item as Record<string, unknown>, [...path, 'items', i]]);
      else if (item !== null) sink.report('MESH0009', { type: typeName(item) }, source.locate([...path, 'items', i]));
    });
  }
  return resources;
}

/** What a file holds, beyond its objects: set by parseManifestText when asked. */
export interface FileShape {
  /** Some document is (or is a list of) mappings with apiVersion, kind or metadata. */
  kubernetesLike: boolean;
}

const HEADER_KEYS = ['apiVersion', 'kind', 'metadata'];
const hasHeader = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && HEADER_KEYS.some((k) => Object.hasOwn(v, k));

/** A Kubernetes object, or a top-level list of them (a manifest written as a YAML list by mistake). */
function looksLikeKubernetes(value: unknown): boolean {
  return hasHeader(value) || (Array.isArray(value) && value.some(hasHeader));
}

/**
 * Parses one file's text into top-level objects, registering each document's
 * positions. Streams: each document's syntax tree is dropped once its value
 * is taken (positions are re-parsed lazily from the text when asked for).
 */
export function parseManifestText(text: string, file: string, sources: SourceSet, sink: DiagnosticSink, shape?: FileShape): RawDocument[] {
  const lines = new LineCounter();
  const jsonStream = jsonStreamSegments(text);
  // The text is fed to the parser one document (or JSON value) at a time, at its own offset, so the line table is built up front.
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const composer = new Composer({ uniqueKeys: true, merge: false, prettyErrors: false });
  const out: RawDocument[] = [];
  let sawContent = false;
  // Index of each document in its file, assigned in token order (the composer yields each document one token late).
  let nextIndex = 0;
  const pending: number[] = [];
  const range = (offset: number, end = offset): SourceRange => {
    const a = lines.linePos(offset);
    const b = lines.linePos(Math.max(offset, end));
    return { file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };

  const take = (doc: Document.Parsed) => {
    const [start, , end] = doc.range;
    const source = new LazyYamlSourceDoc(file, pending.shift() ?? nextIndex++, text, start, end, lines);
    const docId = sources.add(source);
    if (doc.errors.length > 0) {
      sawContent = true;
      reportSyntaxErrors(doc, text, sink, range);
      return;
    }
    if (doc.contents === null) return; // an empty document between markers
    const aliases = { alias: false };
    const badKey = unsupportedKey(doc, aliases);
    if (badKey) {
      sawContent = true;
      const at = badKey.key?.range;
      const written = at ? text.slice(at[0], Math.min(at[1], at[0] + 40)).trim() : '';
      const shown = written ? ` (${written})` : '';
      sink.report('MESH0014', { what: `${badKey.what}${shown}` }, at && at[1] > at[0] ? range(at[0], at[1]) : at ? range(at[0]) : source.locate([]));
      return;
    }
    let value: unknown;
    const convert = (d: Document.Parsed) => d.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    // Findings caused by aliases point at the alias responsible (else at the document).
    const reportAtAlias = (detail: (alias: string) => string) => {
      const alias = offendingAlias(doc, convert);
      sink.report('MESH0008', { detail: detail(alias ? `alias *${alias.source}` : 'an alias') }, alias?.range ? range(alias.range[0], alias.range[1]) : source.locate([]));
    };
    try {
      value = convert(doc);
    } catch (err) {
      sawContent = true;
      if (err instanceof RangeError) sink.report('MESH0008', { detail: `nesting deeper than ${MAX_DEPTH} levels` }, source.locate([]));
      else if (/alias count/i.test((err as Error).message)) {
        reportAtAlias((alias) => `${alias} takes the document past ${MAX_ALIAS_COUNT} alias expansions, the limit against alias bombs ("billion laughs")`);
      } else {
        sink.report('MESH0008', { detail: (err as Error).message }, source.locate([]));
      }
      return;
    }
    // Without aliases the value is no deeper than the collections tooDeepAt measured before composing.
    if (aliases.alias && depthExceeds(value, MAX_DEPTH)) {
      sawContent = true;
      reportAtAlias((alias) => `nesting deeper than ${MAX_DEPTH} levels once ${alias} is expanded`);
      return;
    }
    if (value === null || value === undefined) return; // `---` alone, or an explicit null
    sawContent = true;
    if (shape && !shape.kubernetesLike) shape.kubernetesLike = looksLikeKubernetes(value);
    if (typeof value !== 'object' || Array.isArray(value)) {
      sink.report('MESH0009', { type: typeName(value) }, source.locate([]));
      return;
    }
    for (const [obj, path] of unpackLists(value as Record<string, unknown>, source, sink)) out.push({ doc: docId, file, path, value: obj });
  };

  const tooDeep = (offset: number) => {
    sawContent = true;
    nextIndex++;
    sink.report('MESH0008', { detail: `nesting deeper than ${MAX_DEPTH} levels` }, range(offset, offset + 1));
  };
  for (const [start, end] of jsonStream ?? documentSegments(text)) {
    // A parser per segment: one fed segment after segment keeps appending them to its lexer's buffer.
    const parser = new Parser();
    parser.offset = start;
    const tokens = parser.parse(text.slice(start, end));
    for (;;) {
      let step: IteratorResult<CST.Token>;
      try {
        step = tokens.next();
      } catch (err) {
        // Only the parser's own recursion is caught here: the document is dropped, the next segment read.
        if (!(err instanceof RangeError)) throw err;
        tooDeep(deepIndentOffset(text, start, end, MAX_DEPTH));
        break;
      }
      if (step.done) break;
      const token = step.value;
      if (token.type === 'document') {
        const deep = tooDeepAt(token, MAX_DEPTH);
        if (deep >= 0) {
          tooDeep(deep); // never handed to the composer, whose recursion such input could overflow
          continue;
        }
        pending.push(nextIndex++);
      }
      for (const doc of composer.next(token)) take(doc);
    }
  }
  for (const doc of composer.end()) take(doc);
  if (!sawContent) sink.report('MESH0006', {}, fileStart(file));
  return out;
}
