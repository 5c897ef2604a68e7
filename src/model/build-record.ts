/**
 * Model building, recorded for the findings cache (src/pipeline/check-cached.ts).
 *
 * What the builder reported is kept as data that holds no position: the code,
 * the arguments, and the object and path each range was located at. What else
 * it asked the source documents (a scalar as written, a value, a `file:line`
 * for a message) is kept with the answer. A later run with the same raw
 * objects and configuration, whose documents give the same answers, replays
 * the findings against its own text: they are placed exactly where building
 * the model would place them, without building it.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CatalogMessage } from '../core/catalog/index.ts';
import { DiagnosticSink, type ReportExtra } from '../core/diagnostics.ts';
import type { Diagnostic, Origin, Path, ResourceRef, Severity, SourceRange } from '../core/types.ts';
import type { LocateOptions, SourceSet } from '../source/source-set.ts';

/** Where a range was located: what SourceSet.locate was asked. */
export interface PlacedAt {
  origin: Origin;
  path: Path;
  options?: LocateOptions;
}

export interface RecordedFinding {
  code: string;
  args: Record<string, unknown>;
  at: PlacedAt | null;
  resource: ResourceRef | null;
  related?: { message: string; at: PlacedAt }[];
  severity?: Severity;
}

/** A question to the source documents that is not a range, and its answer. */
export type SourceQuestion = ['where' | 'textAt' | 'valueAt', Origin, Path, unknown];

export interface RecordedBuild {
  findings: RecordedFinding[];
  asked: SourceQuestion[];
}

/**
 * The sources and sink a MeshBuilder is given to record what it reports.
 * `complete` turns false when a finding could not be recorded as data (a
 * range that was not located through these sources, a list pushed as a
 * whole): such a build is not replayed.
 */
export class BuildRecorder {
  readonly record: RecordedBuild = { findings: [], asked: [] };
  complete = true;
  readonly sources: SourceSet;
  readonly sink: DiagnosticSink;
  private readonly placed = new WeakMap<SourceRange, PlacedAt>();

  constructor(real: SourceSet, into: DiagnosticSink) {
    this.sources = this.recordingSources(real);
    this.sink = this.recordingSink(into);
  }

  private recordingSources(real: SourceSet): SourceSet {
    const { placed, record } = this;
    const note = <T>(q: SourceQuestion): T => (record.asked.push(q), q[3] as T);
    const recorder = Object.create(real) as SourceSet;
    recorder.locate = (origin, path = [], options) => {
      const range = real.locate(origin, path, options);
      placed.set(range, options === undefined ? { origin, path } : { origin, path, options });
      return range;
    };
    recorder.where = (origin, path = []) => note(['where', origin, path, real.where(origin, path)]);
    recorder.textAt = (origin, path = []) => note(['textAt', origin, path, real.textAt(origin, path)]);
    recorder.valueAt = (origin, path = []) => note(['valueAt', origin, path, real.valueAt(origin, path)]);
    return recorder;
  }

  private recordingSink(into: DiagnosticSink): DiagnosticSink {
    const sink = Object.create(into) as DiagnosticSink;
    sink.reportMessage = (message: CatalogMessage, range: SourceRange | null, resource: ResourceRef | null = null, extra: ReportExtra = {}): Diagnostic => {
      this.note(message, range, resource, extra);
      return into.reportMessage(message, range, resource, extra);
    };
    sink.push = (diagnostics: Iterable<Diagnostic>) => {
      this.complete = false;
      into.push(diagnostics);
    };
    return sink;
  }

  private note(message: CatalogMessage, range: SourceRange | null, resource: ResourceRef | null, extra: ReportExtra): void {
    const at = range === null ? null : this.placed.get(range);
    const related = extra.related?.map((r) => ({ message: r.message, at: this.placed.get(r.range) }));
    if (at === undefined || related?.some((r) => r.at === undefined)) {
      this.complete = false;
      return;
    }
    const found: RecordedFinding = { code: message.code, args: { ...message.args }, at, resource };
    if (related && related.length > 0) found.related = related as { message: string; at: PlacedAt }[];
    if (extra.severity !== undefined) found.severity = extra.severity;
    this.record.findings.push(found);
  }
}

function answer(sources: SourceSet, [question, origin, path]: SourceQuestion): unknown {
  if (question === 'where') return sources.where(origin, path);
  return question === 'textAt' ? sources.textAt(origin, path) : sources.valueAt(origin, path);
}

/**
 * The recorded findings placed against `sources`, in the order they were
 * reported; null when some question is answered differently now (or a
 * document is missing): the model must be built.
 */
export function replayBuild(record: RecordedBuild, sources: SourceSet): Diagnostic[] | null {
  try {
    for (const q of record.asked) if (!isDeepStrictEqual(answer(sources, q), q[3])) return null;
    const sink = new DiagnosticSink();
    const place = (at: PlacedAt) => sources.locate(at.origin, at.path, at.options);
    for (const f of record.findings) {
      const extra: ReportExtra = {};
      if (f.related) extra.related = f.related.map((r) => ({ message: r.message, range: place(r.at) }));
      if (f.severity !== undefined) extra.severity = f.severity;
      sink.reportMessage({ code: f.code, args: f.args } as CatalogMessage, f.at === null ? null : place(f.at), f.resource, extra);
    }
    return sink.items;
  } catch {
    return null;
  }
}

const isPlaced = (a: unknown): a is PlacedAt => {
  const at = a as PlacedAt;
  return !!at && typeof at === 'object' && !!at.origin && typeof at.origin.doc === 'number' && Array.isArray(at.origin.path) && Array.isArray(at.path);
};

/** Is `v` a RecordedBuild (an entry read from disk is checked before it is trusted)? */
export function isRecordedBuild(v: unknown): v is RecordedBuild {
  const r = v as RecordedBuild;
  return !!r && typeof r === 'object' && Array.isArray(r.asked) && Array.isArray(r.findings) &&
    r.asked.every((q) => Array.isArray(q) && q.length === 4 && ['where', 'textAt', 'valueAt'].includes(q[0] as string) && !!q[1] && Array.isArray(q[2])) &&
    r.findings.every((f) => !!f && typeof f.code === 'string' && !!f.args && typeof f.args === 'object' && (f.at === null || isPlaced(f.at)) &&
      (f.related === undefined || (Array.isArray(f.related) && f.related.every((x) => typeof x?.message === 'string' && isPlaced(x.at)))));
}
