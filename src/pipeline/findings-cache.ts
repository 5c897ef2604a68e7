/**
 * The findings cache: what the lint rules found for a model, reused while
 * the model stays the same. A re-check after an edit that leaves every object
 * as it was (a comment, formatting, moved lines or documents within a file)
 * then skips the rules, which cost most of a check; the findings are placed
 * again against the current text, so lines and columns are those of a run
 * without the cache.
 *
 * What rules see (RuleContext): the mesh, its index (derived from the mesh),
 * the configuration, and the source documents. The key is the sha256 of
 * meshc's build fingerprint, the resolved configuration, the table of source
 * documents (display path and index in its file of each, so an Origin's
 * `doc` names the same document) and a digest of the model: when every raw
 * object came through the parse cache, the digests of the files' contents
 * (parse-cache.ts parsedInputsDigest: objects, paths, documents; no offsets
 * or comments), which the model is a function of with the configuration;
 * else the mesh itself in an exact JSON form (origins name documents and
 * paths, never offsets). Findings are stored as the rules reported them
 * (code, arguments, object and path), not as ranges.
 *
 * A rule may also ask the source documents something that is not the mesh
 * (a range, a line for its message, a number as written). Those questions
 * and their answers are stored with the findings; the findings are reused
 * only when every question gets the same answer again, else the rules run.
 *
 * Entries live in `findings/` under cacheRoot() (src/core/cache-file.ts:
 * checksummed, atomic); a damaged, foreign or misshapen entry is ignored and
 * replaced. Small models are linted without it (the rules cost less than
 * hashing).
 */
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { buildFingerprint, cacheRoot } from '../core/cache-root.ts';
import { exactJson, pruneCacheDir, readCacheFile, sha256, writeCacheFile } from '../core/cache-file.ts';
import type { Code } from '../core/catalog/index.ts';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic, Origin, Path } from '../core/types.ts';
import type { Mesh, ObjectMeta } from '../model/types.ts';
import { makeRuleContext, makeRuleReport, type At, type RuleContext } from '../rules/types.ts';
import { SourceSet, type LocateOptions } from '../source/source-set.ts';
import { isRecordedBuild, type RecordedBuild } from '../model/build-record.ts';
import type { IgnoreAnnotation } from '../report/suppress.ts';
import type { MeshcConfig } from '../config/types.ts';
import type { LoadedMesh } from './check.ts';

const MAGIC = Buffer.from('MESHCF1\n');
/** Below this size of the mesh (JSON characters) the rules run without the cache. */
const MIN_MODEL_CHARS = 64 * 1024;
/** Bound on entries (one per model seen); past it the oldest written are removed. */
const MAX_ENTRIES = 200;

/** An At as stored: the reported object's name and origin, no other metadata. */
interface StoredAt {
  meta: Pick<ObjectMeta, 'apiVersion' | 'kind' | 'namespace' | 'name' | 'origin'>;
  path?: Path;
  key?: boolean;
}

/** One ctx.report call. */
interface StoredFinding {
  code: string;
  args: Record<string, unknown>;
  at: StoredAt;
  related?: { message: string; at: StoredAt }[];
}

type Question = 'locate' | 'valueAt' | 'textAt';
/** A question a rule asked the source documents, and its answer. */
type Asked = [Question, Origin, Path, LocateOptions | undefined, unknown];

/**
 * What a check takes from the model besides the rules' findings, stored with
 * them when the key names the model's inputs (check-cached.ts): a run with
 * the same inputs then need not build the model at all.
 */
export interface ModelPart {
  /** The model builder's own findings (schema, duplicates, GAMMA lowering). */
  build: RecordedBuild;
  /** The permissive mode the model's MeshConfig sets (config.permissive after loading). */
  permissive: boolean;
  resources: number;
  annotations: IgnoreAnnotation[];
}

export interface FindingsEntry {
  key: string;
  asked: Asked[];
  findings: StoredFinding[];
  model?: ModelPart;
}

/** Runs the rules (check.ts's runRules) with the given context. */
export type RunRules = (ctx: RuleContext) => void;

/** Digests of what models were built from (parse-cache.ts parsedInputsDigest), by model. */
const modelInputs = new WeakMap<Mesh, string>();

/**
 * Notes that `mesh` was built from the raw objects `inputs` digests (with the
 * document table and configuration the key adds): the mesh is a function of
 * those (src/model reads the sources only to place its own findings), so the
 * key need not serialise the mesh.
 */
export function noteModelInputs(mesh: Mesh, inputs: string): void {
  modelInputs.set(mesh, inputs);
}

/** The model part of the key: what it was built from when known, else the mesh itself (null: a small one, or one JSON cannot hold). */
function modelDigest(mesh: Mesh): string | null {
  const inputs = modelInputs.get(mesh);
  if (inputs) return `inputs ${inputs}`;
  try {
    const json = exactJson(mesh);
    return json.length < MIN_MODEL_CHARS ? null : `mesh ${sha256().update(json).digest('hex')}`;
  } catch {
    return null;
  }
}

/** The key of the findings of a model (`model`: modelDigest, or what check-cached.ts names) with `config` and the documents of `sources`. */
export function findingsKey(config: MeshcConfig, sources: SourceSet, model: string): string {
  const docs = sources.docs.map((d) => `${d.file}\u0000${d.index}`).join('\n');
  return sha256().update(`meshc findings\u0000${buildFingerprint()}\u0000${JSON.stringify(config)}\u0000${docs}\u0000${model}`).digest('hex');
}

const isAt = (a: unknown): a is StoredAt => {
  const at = a as StoredAt;
  return !!at && typeof at === 'object' && !!at.meta && typeof at.meta === 'object' && typeof at.meta.kind === 'string' &&
    !!at.meta.origin && typeof at.meta.origin.doc === 'number' && Array.isArray(at.meta.origin.path) && (at.path === undefined || Array.isArray(at.path));
};

const isModelPart = (m: unknown): m is ModelPart => {
  const p = m as ModelPart;
  return !!p && typeof p === 'object' && isRecordedBuild(p.build) && typeof p.permissive === 'boolean' && Number.isInteger(p.resources) &&
    Array.isArray(p.annotations) && p.annotations.every((a) => !!a?.ref && !!a.origin && typeof a.value === 'string');
};

function isEntry(v: unknown, key: string): v is FindingsEntry {
  const e = v as FindingsEntry;
  return !!e && typeof e === 'object' && e.key === key && Array.isArray(e.asked) && Array.isArray(e.findings) && (e.model === undefined || isModelPart(e.model)) &&
    e.asked.every((q) => Array.isArray(q) && q.length === 5 && ['locate', 'valueAt', 'textAt'].includes(q[0]) && Array.isArray(q[2])) &&
    e.findings.every((f) => !!f && typeof f.code === 'string' && !!f.args && typeof f.args === 'object' && isAt(f.at) &&
      (f.related === undefined || (Array.isArray(f.related) && f.related.every((r) => typeof r?.message === 'string' && isAt(r.at)))));
}

function ask(sources: SourceSet, [question, origin, path, options]: Asked): unknown {
  if (question === 'locate') return sources.locate(origin, path, options);
  return question === 'valueAt' ? sources.valueAt(origin, path) : sources.textAt(origin, path);
}

/** The source documents as rules see them, noting every question and answer (shown and where ask through these). */
function recordingSources(sources: SourceSet, asked: Asked[]): SourceSet {
  const recorder = Object.create(sources) as SourceSet;
  const note = (q: Asked) => (asked.push(q), q[4]);
  recorder.locate = (origin, path = [], options) => note(['locate', origin, path, options, sources.locate(origin, path, options)]) as ReturnType<SourceSet['locate']>;
  recorder.valueAt = (origin, path = []) => note(['valueAt', origin, path, undefined, sources.valueAt(origin, path)]);
  recorder.textAt = (origin, path = []) => note(['textAt', origin, path, undefined, sources.textAt(origin, path)]) as string | undefined;
  return recorder;
}

const storedAt = (at: At): StoredAt => {
  const { apiVersion, kind, namespace, name, origin } = at.meta;
  const out: StoredAt = { meta: { apiVersion, kind, namespace, name, origin } };
  if (at.path !== undefined) out.path = at.path;
  if (at.key !== undefined) out.key = at.key;
  return out;
};

/** Runs the rules, noting what they reported and what they asked the sources. */
export function lintRecording(loaded: LoadedMesh, run: RunRules, key: string): { diagnostics: Diagnostic[]; entry: FindingsEntry } {
  const sink = new DiagnosticSink();
  const entry: FindingsEntry = { key, asked: [], findings: [] };
  const ctx = makeRuleContext(loaded.mesh, loaded.index, loaded.sources, loaded.config, sink);
  const report = ctx.report;
  run({
    ...ctx,
    sources: recordingSources(loaded.sources, entry.asked),
    report(code, args, at, related) {
      const found: StoredFinding = { code, args: { ...args }, at: storedAt(at) };
      if (related) found.related = related.map((r) => ({ message: r.message, at: storedAt(r.at) }));
      entry.findings.push(found);
      return report(code, args, at, related);
    },
  });
  return { diagnostics: sink.items, entry };
}

/** The stored findings placed against `sources`, or null when some question is answered differently now. */
export function replayFindings(sources: SourceSet, entry: FindingsEntry): Diagnostic[] | null {
  try {
    for (const q of entry.asked) if (!isDeepStrictEqual(ask(sources, q), q[4])) return null;
    const sink = new DiagnosticSink();
    const report = makeRuleReport(sources, sink);
    for (const f of entry.findings) {
      // The same report call the rule made, so the diagnostic is built exactly as in a run of the rules.
      report(f.code as Code, f.args as never, f.at as At, f.related as { message: string; at: At }[] | undefined);
    }
    return sink.items;
  } catch {
    return null; // a document or catalogue code that is not there any more: run the rules
  }
}

/**
 * The rules' findings for `loaded`, from the cache when this model was
 * linted before (under `cacheRoot(cwd)`), else by running them (`run`) and
 * storing what they found.
 */
export function lintCached(loaded: LoadedMesh, cwd: string, run: RunRules): Diagnostic[] {
  const root = cacheRoot(cwd);
  const model = root === null ? null : modelDigest(loaded.mesh);
  if (root === null || model === null) {
    const sink = new DiagnosticSink();
    run(makeRuleContext(loaded.mesh, loaded.index, loaded.sources, loaded.config, sink));
    return sink.items;
  }
  const key = findingsKey(loaded.config, loaded.sources, model);
  const stored = readFindingsEntry(root, key);
  const reused = stored ? replayFindings(loaded.sources, stored) : null;
  if (reused) return reused;
  const { diagnostics, entry } = lintRecording(loaded, run, key);
  storeFindingsEntry(root, entry);
  return diagnostics;
}

/** The entry stored under `key` in the cache at `root`, when there is a sound one. */
export function readFindingsEntry(root: string, key: string): FindingsEntry | null {
  const stored = readCacheFile(join(root, 'findings', `${key}.bin`), MAGIC);
  return isEntry(stored, key) ? stored : null;
}

export function storeFindingsEntry(root: string, entry: FindingsEntry): void {
  const dir = join(root, 'findings');
  if (writeCacheFile(dir, `${entry.key}.bin`, MAGIC, entry)) pruneCacheDir(dir, MAX_ENTRIES);
}
