/**
 * `check` with the caches on: when every raw object came through the parse
 * cache (src/load/parse-cache.ts) and the findings of exactly these objects,
 * documents and settings are stored (findings-cache.ts), the model is not
 * built at all. A re-check after a comment or a formatting edit, or of
 * nothing changed, then costs the load and the placing of the stored
 * findings against the current text.
 *
 * The stored entry holds what the check takes from the model: the model
 * builder's findings (recorded as data, src/model/build-record.ts), the
 * permissive mode its MeshConfig sets, the resource count and the
 * `meshc.dev/ignore` annotations, besides the rules' findings. The mesh and
 * its index of the result are built only if a caller reads them (the API;
 * `meshc check` does not).
 *
 * The model is a function of the raw objects, the documents they come from
 * and the configuration, which the key names; so is everything stored. The
 * configuration in the key is the one before the model is read (a MeshConfig
 * may turn on permissive mode: that follows from the objects). Runs with
 * --mesh-config, which orders the documents by file, take the usual path.
 */
import { DiagnosticSink, dedupeDiagnostics, sortDiagnostics } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import type { MeshcConfig } from '../config/types.ts';
import { cacheRoot } from '../core/cache-root.ts';
import { loadDocuments, type LoadOptions, type LoadResult } from '../load/index.ts';
import { parsedInputsDigest, type ParseCache } from '../load/parse-cache.ts';
import { BuildRecorder, replayBuild } from '../model/build-record.ts';
import { buildMesh, MeshBuilder } from '../model/build.ts';
import type { DocumentMemo } from '../model/document-memo.ts';
import { countResources } from '../model/count.ts';
import { CleanFiles } from './clean-files.ts';
import { MeshIndex } from '../model/index-lookup.ts';
import { osmSettings } from '../model/osm-settings.ts';
import type { Mesh } from '../model/types.ts';
import { collectIgnoreAnnotations } from '../report/suppress.ts';
import type { SourceSet } from '../source/source-set.ts';
import type { CheckResult, LoadedMesh } from './check.ts';
import {
  findingsKey, lintCached, lintRecording, readFindingsEntry, replayFindings, storeFindingsEntry, type FindingsEntry, type RunRules,
} from './findings-cache.ts';

const finished = (loaded: LoadedMesh, found: Diagnostic[]): CheckResult => ({ ...loaded, diagnostics: sortDiagnostics(dedupeDiagnostics([...loaded.diagnostics, ...found])) });

/**
 * The result of a stored entry, without building the model; null when the
 * documents answer some recorded question differently now.
 */
function reuse(loaded: LoadResult, loadFindings: Diagnostic[], entry: FindingsEntry, config: MeshcConfig): CheckResult | null {
  const model = entry.model!;
  const built = replayBuild(model.build, loaded.sources);
  const found = built && replayFindings(loaded.sources, entry);
  if (!built || !found) return null;
  // Built on first use, as building would have built it: with the configuration before its MeshConfig was read.
  const before = { ...config };
  let mesh: Mesh | undefined;
  let index: MeshIndex | undefined;
  const meshOf = () => (mesh ??= buildMesh(loaded.documents, loaded.sources, new DiagnosticSink(), before));
  if (model.permissive) config.permissive = true;
  return {
    get mesh() { return meshOf(); },
    get index() { return (index ??= new MeshIndex(meshOf())); },
    sources: loaded.sources, files: loaded.files, config, resources: model.resources, ignoreAnnotations: model.annotations,
    diagnostics: sortDiagnostics(dedupeDiagnostics([...loadFindings, ...built, ...found])),
  };
}

/**
 * The whole check with the caches on (check.ts's check decides when):
 * `load` are the options of loadDocuments but onDocument, `cache` the parse
 * cache among them, `run` runs the rules, `memo` the documents a session
 * modelled before (CheckOptions.documentMemo).
 */
export async function checkReusingModel(paths: string[], cwd: string, config: MeshcConfig, load: LoadOptions, cache: ParseCache, run: RunRules, memo?: DocumentMemo): Promise<CheckResult> {
  const sink = new DiagnosticSink();
  const buildSink = new DiagnosticSink();
  const building: { recorder?: BuildRecorder; builder?: MeshBuilder } = {};
  const root = cacheRoot(cwd);
  let clean: CleanFiles | undefined;
  const startBuilding = (sources: SourceSet) => {
    const recorder = (building.recorder = new BuildRecorder(sources, buildSink));
    // Files validated clean before are not validated again (a watch's memo skips more, its own way).
    clean = root !== null && !memo ? new CleanFiles(root, cache) : undefined;
    return (building.builder = new MeshBuilder(recorder.sources, recorder.sink, config, memo, clean));
  };
  // With parse workers, the model is built while they parse (they would make the first run slower otherwise); without, it may not be needed.
  const loaded = await loadDocuments(paths, sink, { ...load, streamOnlyWithWorkers: true, onDocument: (d, sources) => (building.builder ?? startBuilding(sources)).add(d) });
  const inputs = parsedInputsDigest(cache, loaded.documents);
  const key = root !== null && inputs !== null ? findingsKey(config, loaded.sources, `parsed inputs, model stored ${inputs}`) : null;
  const entry = key === null ? null : readFindingsEntry(root!, key);
  if (entry?.model && !building.builder) {
    const reused = reuse(loaded, sink.items, entry, config);
    if (reused) return reused;
  }
  let builder = building.builder;
  if (!builder) {
    builder = startBuilding(loaded.sources);
    for (const d of loaded.documents) builder.add(d);
  }
  const mesh = builder.finish();
  clean?.store();
  sink.push(buildSink.items); // after the loader's findings, as when the model is built after loading
  const permissive = osmSettings(mesh, config).permissive;
  if (permissive) config.permissive = true;
  const result: LoadedMesh = {
    mesh, index: new MeshIndex(mesh), sources: loaded.sources, files: loaded.files, config, diagnostics: sink.items, resources: countResources(mesh),
  };
  // Without a key (a small run, or objects not all from the parse cache: a DSL file, standard input), the findings cache digests the mesh itself.
  if (key === null) return finished(result, lintCached(result, cwd, run));
  const replayed = entry ? replayFindings(loaded.sources, entry) : null;
  if (replayed) return finished(result, replayed);
  const { diagnostics, entry: fresh } = lintRecording(result, run, key);
  const { recorder } = building;
  if (recorder?.complete) fresh.model = { build: recorder.record, permissive, resources: result.resources, annotations: collectIgnoreAnnotations(mesh, loaded.sources) };
  storeFindingsEntry(root!, fresh);
  return finished(result, diagnostics);
}
