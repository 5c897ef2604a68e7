/**
 * What parsing one manifest file produced, as plain data relative to the
 * file: its raw objects, its parse findings and where each YAML document sits
 * in the text. The parse cache stores it and the parse workers send it back
 * (the objects encoded by objects-codec.ts, which keeps -0, NaN, Infinity,
 * `__proto__` keys and shared objects exactly as the YAML parser made them);
 * replaying it registers the documents and findings exactly as parsing the
 * text in place would have, so every later stage sees the same objects.
 */
import { LineCounter } from 'yaml';
import { sha256 } from '../core/cache-file.ts';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic, Path } from '../core/types.ts';
import { SourceSet } from '../source/source-set.ts';
import { LazyYamlSourceDoc } from '../source/yaml-doc.ts';
import { parseManifestText, type FileShape, type RawDocument } from './parse.ts';
import { decodeObjects, encodeObjects } from './objects-codec.ts';

export interface ParsedFile {
  /** [document index in the file, start offset, end offset] of each SourceSet entry the file added. */
  sources: [number, number, number][];
  /** Objects: their document as an offset into `sources`. */
  documents: [number, Path, Record<string, unknown>][];
  findings: Diagnostic[];
  kubernetesLike: boolean;
}

/** Is `v` shaped like a ParsedFile (a cache entry or a worker's answer is checked before it is trusted)? */
export function isParsedFileShape(v: unknown): v is ParsedFile {
  const p = v as ParsedFile;
  return !!p && typeof p === 'object' && Array.isArray(p.sources) && Array.isArray(p.documents) &&
    Array.isArray(p.findings) && typeof p.kubernetesLike === 'boolean' &&
    p.documents.every((d) => Array.isArray(d) && typeof d[0] === 'number' && d[0] >= 0 && d[0] < p.sources.length);
}

/**
 * The ParsedFile of what parseManifestText just added to `sources` (from
 * `firstSource`) and `sink` (from `firstFinding`), or null when some source it
 * added is not a YAML document of the file (such a parse cannot be replayed).
 */
export function capture(documents: RawDocument[], sources: SourceSet, firstSource: number, sink: DiagnosticSink, firstFinding: number, shape: FileShape): ParsedFile | null {
  const added = sources.docs.slice(firstSource);
  if (!added.every((d) => d instanceof LazyYamlSourceDoc)) return null;
  return {
    sources: (added as LazyYamlSourceDoc[]).map((d) => [d.index, d.start, d.end]),
    documents: documents.map((d) => [d.doc - firstSource, d.path, d.value]),
    findings: sink.items.slice(firstFinding),
    kubernetesLike: shape.kubernetesLike,
  };
}

/** A parsed file's objects encoded (encodeObjects) and the digest of its content. */
export interface EncodedContent {
  objects: Uint8Array;
  digest: string;
}

/**
 * The content of a parsed file encoded once, for the parse cache's entry and
 * for its digest (ParsedInput, src/load/parse-cache.ts): the file, its
 * documents' indices and the objects' bytes. Equal digests mean equal
 * content; equal content may differ in digest when it is in v8's encoding
 * (objects-codec.ts) and V8 holds it another way (objects that went through
 * a deserialiser encode differently from those a parse made: the digest is
 * always taken of a parse's own objects, in this thread or in a worker),
 * which only costs a cache miss. null when the objects cannot be encoded.
 */
export function encodeContent(file: string, parsed: ParsedFile): EncodedContent | null {
  try {
    const objects = encodeObjects(parsed.documents);
    const digest = sha256().update(`${file}\0${parsed.sources.map((s) => s[0]).join(',')}\0`).update(objects).digest('hex');
    return { objects, digest };
  } catch {
    return null;
  }
}

/** A parse worker's answer: a ParsedFile whose objects come encoded, with their digest (the worker encodes them once, for the message and for the cache). */
export interface EncodedParsedFile extends Omit<ParsedFile, 'documents'>, EncodedContent {}

/** A ParsedFile with the encoding it came in, if any. */
export type DecodedParsedFile = ParsedFile & { content?: EncodedContent };

/** Parses one file's text on its own. */
export function parseToParsedFile(text: string, file: string): ParsedFile | null {
  const sources = new SourceSet();
  const sink = new DiagnosticSink();
  const shape: FileShape = { kubernetesLike: false };
  const documents = parseManifestText(text, file, sources, sink, shape);
  return capture(documents, sources, 0, sink, 0, shape);
}

/** `parsed` with its objects as `content` encoded them (a worker's answer, a parse cache entry). */
export function encodedFile(parsed: ParsedFile, content: EncodedContent): EncodedParsedFile {
  const { documents: _encoded, ...rest } = parsed;
  return { ...rest, ...content };
}

/** A parse worker's job: parseToParsedFile, encoded; null when the parse cannot be replayed or encoded. */
export function parseToEncodedFile(text: string, file: string): EncodedParsedFile | null {
  const parsed = parseToParsedFile(text, file);
  const content = parsed && encodeContent(file, parsed);
  return parsed && content ? encodedFile(parsed, content) : null;
}

/** The ParsedFile of an EncodedParsedFile (a worker's answer, a parse cache entry), checked; null when it is not well-formed. */
export function decodeParsedFile(v: unknown): (ParsedFile & { content: EncodedContent }) | null {
  const e = v as EncodedParsedFile;
  if (!e || typeof e !== 'object' || !(e.objects instanceof Uint8Array) || typeof e.digest !== 'string' || e.digest.length !== 64) return null;
  const { objects, digest, ...rest } = e;
  let documents: unknown;
  try {
    documents = decodeObjects(objects);
  } catch {
    return null;
  }
  const parsed = { ...rest, documents, content: { objects, digest } };
  return isParsedFileShape(parsed) ? parsed : null;
}

function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/** Registers a parsed file's documents and findings exactly as parsing its text would have. */
export function replayParsed(entry: ParsedFile, text: string, file: string, sources: SourceSet, sink: DiagnosticSink, shape?: FileShape): RawDocument[] {
  const lines = lineCounterOf(text);
  const ids = entry.sources.map(([index, start, end]) => sources.add(new LazyYamlSourceDoc(file, index, text, start, end, lines)));
  sink.push(entry.findings);
  if (shape) shape.kubernetesLike = entry.kubernetesLike;
  return entry.documents.map(([doc, path, value]) => ({ doc: ids[doc]!, file, path, value }));
}
