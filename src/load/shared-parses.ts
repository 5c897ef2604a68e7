/**
 * Parsed YAML files kept in memory by display name and text, shared by the
 * loads of one run (`meshc diff --base-ref` reads each unchanged file twice
 * under the same name) or of a session (`meshc check --watch` re-reads every
 * input after each change; only the changed files are parsed again). The
 * parsed documents are read-only to every later stage, so several loads can
 * hold the same ones. A miss goes through the disk cache as any load does,
 * and each file used is recorded for the findings cache (cache.parsed), so
 * a model built from shared parses is recognised as one built from the disk
 * cache is.
 */
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import { SourceSet, type SourceDoc } from '../source/source-set.ts';
import type { FileShape, RawDocument } from './parse.ts';
import { contentDigestOf, parseManifestCached, type ParseCache, type ParseText } from './parse-cache.ts';
import type { EncodedContent } from './parsed-file.ts';

export interface SharedParse {
  docs: SourceDoc[];
  documents: RawDocument[];
  diagnostics: Diagnostic[];
  shape: FileShape;
  /** The content digest of the file's objects (ParsedInput), when known. */
  digest?: string | null;
  /** Used since the last sweep (sweepSharedParses). */
  used?: boolean;
}

export type SharedParses = Map<string, Map<string, SharedParse>>;

/**
 * The parse of `text` from `shared`, parsed (through the disk cache) and kept
 * there on a miss; registered in `sources` and `sink` as parsing it in place
 * would. `encoded`: parseManifestCached's.
 */
export function parseThroughShared(shared: SharedParses, text: string, display: string, sources: SourceSet, sink: DiagnosticSink, disk: ParseCache | null, shape: FileShape, parse: ParseText, encoded?: EncodedContent): RawDocument[] {
  let byText = shared.get(display);
  if (!byText) shared.set(display, (byText = new Map()));
  let hit = byText.get(text);
  if (!hit) {
    const local = new SourceSet();
    const localSink = new DiagnosticSink();
    const parsedShape: FileShape = { kubernetesLike: false };
    const recorded = disk?.parsed.length ?? 0;
    const documents = parseManifestCached(disk, text, display, local, localSink, parsedShape, parse, encoded);
    // The digest the disk cache recorded for exactly these objects, if it took the file; else one of their own (when the findings cache may ask).
    const record = disk?.parsed[recorded];
    const digest = record?.documents === documents ? record.digest : encoded ? encoded.digest : disk ? contentDigestOf(display, documents, local, localSink, parsedShape) : null;
    byText.set(text, (hit = { docs: local.docs, documents, diagnostics: localSink.items, shape: parsedShape, digest }));
  }
  hit.used = true;
  shape.kubernetesLike = hit.shape.kubernetesLike;
  const first = sources.docs.length;
  for (const d of hit.docs) sources.add(d);
  sink.push(hit.diagnostics);
  const documents = hit.documents.map((d) => ({ ...d, doc: first + d.doc }));
  if (disk && hit.digest !== undefined) disk.parsed.push({ file: display, firstSource: first, documents, digest: hit.digest });
  return documents;
}

/** Forgets every parse not used since the last sweep (a watch session keeps only what its last run read). */
export function sweepSharedParses(shared: SharedParses): void {
  for (const [display, byText] of shared) {
    for (const [text, parse] of byText) {
      if (parse.used) parse.used = false;
      else byText.delete(text);
    }
    if (byText.size === 0) shared.delete(display);
  }
}
