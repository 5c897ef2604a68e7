/**
 * Text to raw objects: each YAML document (or JSON value, or JSON stream) of a
 * manifest file becomes a RawDocument, with Lists unpacked and positions kept
 * lazily (source/yaml-doc.ts). Syntax errors, nesting past the limits
 * (yaml-limits.ts), alias bombs and keys that are not strings are findings of
 * the file, never exceptions.
 */
import { Composer, LineCounter, Parser, isAlias, isCollection, isMap, isScalar, isSeq, visit, type Alias, type CST, type Document, type Node } from 'yaml';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { Path, SourceRange } from '../core/types.ts';
import type { SourceSet } from '../source/source-set.ts';
import { LazyYamlSourceDoc, fileStart } from '../source/yaml-doc.ts';
import { MAX_ALIAS_COUNT, MAX_DEPTH, deepIndentOffset, depthExceeds, documentSegments, tooDeepAt } from './yaml-limits.ts';

/** A top-level object found in the input, not yet interpreted. */
export interface RawDocument {
  /** Index in the SourceSet. */
  doc: number;
  file: string;
  /** Path of the object inside its document: [] or ['items', i] for List members. */
  path: Path;
  value: Record<string, unknown>;
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
