import { DiagnosticSink, dedupeDiagnostics, sortDiagnostics } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import { defaultConfig, type MeshcConfig } from '../config/types.ts';
import { loadDocuments, type ExtraLoader, type LoadOptions, type SharedParses, type RawDocument } from '../load/index.ts';
import { openParseCache, parsedInputsDigest, type ParseCache } from '../load/parse-cache.ts';
import { settleCacheWrites } from '../core/cache-file.ts';
import { lintCached, noteModelInputs } from './findings-cache.ts';
import { lazyDslLoader } from '../dsl/extra-loader.ts';
import { buildMesh, MeshBuilder } from '../model/build.ts';
import type { DocumentMemo } from '../model/document-memo.ts';
import { MeshIndex } from '../model/index-lookup.ts';
import type { Mesh } from '../model/types.ts';
import { makeRuleContext, type Rule, type RuleContext } from '../rules/types.ts';
import { RULES } from '../rules/registry.ts';
import type { SourceSet } from '../source/source-set.ts';
import { osmSettings } from '../model/osm-settings.ts';
import { countResources } from '../model/count.ts';
import type { IgnoreAnnotation } from '../report/suppress.ts';
import { checkReusingModel } from './check-cached.ts';
import { resolve } from 'node:path';

export interface CheckOptions extends Partial<MeshcConfig> {
  cwd?: string;
  readStdin?: () => Promise<Buffer>;
  extraLoaders?: ExtraLoader[];
  /** Parsed files shared with other loads (`meshc diff`'s two trees, the runs of `check --watch`). */
  parseCache?: SharedParses;
  /**
   * Documents modelled by earlier loads of a session that shares its parses
   * (`check --watch`): an unchanged document's model is reused
   * (src/model/document-memo.ts).
   */
  documentMemo?: DocumentMemo;
  /** Skip lint rules (load, schema and model only). */
  skipRules?: boolean;
  /**
   * Reuse parsed files from the content-hash cache (src/load/parse-cache.ts)
   * and the findings of a model linted before (findings-cache.ts) under
   * cacheRoot(cwd), and store new ones there. Off unless asked for (the CLI
   * asks unless --no-cache); the results are the same either way.
   */
  cache?: boolean;
  /** Parse worker threads (LoadOptions.workers): by default some for big inputs, none for small; 0 = this thread only. */
  workers?: number;
  /** Tests: leave every file shared with parse workers to them (LoadOptions.workersOnly). */
  workersOnly?: boolean;
  /** Absolute paths directory walks pass over: compile's own output directory. */
  skipPaths?: readonly string[];
}

export interface LoadedMesh {
  mesh: Mesh;
  index: MeshIndex;
  sources: SourceSet;
  files: string[];
  config: MeshcConfig;
  /** Diagnostics of loading, schema validation and model building. */
  diagnostics: Diagnostic[];
  /** Number of resources meshc modelled (SMI and Kubernetes). */
  resources: number;
  /** The input's meshc.dev/ignore annotations, when known without reading the mesh (check-cached.ts). */
  ignoreAnnotations?: readonly IgnoreAnnotation[];
}

export interface CheckResult extends LoadedMesh {
  /** Every finding, sorted and de-duplicated (suppressions are applied by the reporting layer). */
  diagnostics: Diagnostic[];
}

export function resolveConfig(options: CheckOptions): MeshcConfig {
  const config = defaultConfig();
  for (const k of Object.keys(config) as (keyof MeshcConfig)[]) {
    if (options[k] !== undefined) (config as unknown as Record<string, unknown>)[k] = options[k];
  }
  return config;
}

/**
 * --mesh-config FILE: its MeshConfig comes first (the one in force; MESH1110 reports the others).
 * A file that yields no MeshConfig is MESH1160, an incomplete run: OSM's defaults would apply unnoticed.
 */
function useMeshConfigFile(mesh: Mesh, sources: SourceSet, sink: DiagnosticSink, file: string, cwd: string): void {
  const target = resolve(cwd, file);
  const fromFile = (m: Mesh['meshConfigs'][number]) => resolve(cwd, sources.locate(m.meta.origin).file) === target;
  const mine = mesh.meshConfigs.filter(fromFile);
  if (mine.length === 0) {
    if (sink.items.some((d) => d.range && resolve(cwd, d.range.file) === target && d.severity === 'error')) return; // its own errors say why
    const rejected = mesh.rejected.some((r) => r.ref.kind === 'MeshConfig' && resolve(cwd, sources.locate(r.origin).file) === target);
    sink.report('MESH1160', { file, hint: rejected ? '' : ': it should hold a document of kind MeshConfig, apiVersion config.openservicemesh.io/v1alpha2' }, null);
    return;
  }
  mesh.meshConfigs = [...mine, ...mesh.meshConfigs.filter((m) => !fromFile(m))];
}

function meshConfigFirst(documents: RawDocument[], sources: SourceSet, file: string, cwd: string): RawDocument[] {
  const target = resolve(cwd, file);
  const mine = (d: RawDocument) => resolve(cwd, sources.locate({ doc: d.doc, path: [] }).file) === target;
  return [...documents.filter(mine), ...documents.filter((d) => !mine(d))];
}

/** What loadDocuments is told of a run with these options. */
function loadOptionsFor(paths: string[], options: CheckOptions, config: MeshcConfig, cache: ParseCache | null): LoadOptions {
  return {
    cwd: options.cwd, maxFileSize: config.maxFileSize, readStdin: options.readStdin, parseCache: options.parseCache, workers: options.workers, workersOnly: options.workersOnly, skipPaths: options.skipPaths,
    cache,
    // TypeScript DSL files (mesh.ts): the loader itself is imported only when one is among the inputs.
    extraLoaders: options.extraLoaders ?? [lazyDslLoader(paths, options.cwd)],
  };
}

/** load → schema → canonical model; parse cache entries may still be being written (settleCacheWrites). */
async function loadMeshWritingLater(paths: string[], options: CheckOptions): Promise<LoadedMesh> {
  const config = resolveConfig(options);
  const sink = new DiagnosticSink();
  const cache = options.cache ? openParseCache(options.cwd ?? process.cwd()) : null;
  // The model is built while the files are loaded (MeshBuilder), but for --mesh-config, whose documents go first.
  const buildSink = new DiagnosticSink();
  let builder: MeshBuilder | null = null;
  const onDocument = config.meshConfig ? undefined : (d: RawDocument, sources: SourceSet) => (builder ??= new MeshBuilder(sources, buildSink, config, options.documentMemo)).add(d);
  const loaded = await loadDocuments(config.meshConfig ? [...paths, config.meshConfig] : paths, sink, { ...loadOptionsFor(paths, options, config, cache), onDocument });
  let mesh: Mesh;
  if (onDocument) {
    mesh = (builder ?? new MeshBuilder(loaded.sources, buildSink, config, options.documentMemo)).finish();
    sink.push(buildSink.items); // after the loader's findings, as when the model is built after loading
  } else {
    // The --mesh-config file's documents go first: its MeshConfig is the one in force, also over a same-named one.
    mesh = buildMesh(meshConfigFirst(loaded.documents, loaded.sources, config.meshConfig!, options.cwd ?? process.cwd()), loaded.sources, sink, config, options.documentMemo);
  }
  if (config.meshConfig) useMeshConfigFile(mesh, loaded.sources, sink, config.meshConfig, options.cwd ?? process.cwd());
  // The MeshConfig's permissive traffic policy mode is the mode of every later stage (reach, why, graph, test, compile).
  if (osmSettings(mesh, config).permissive) config.permissive = true;
  // What the model was built from, for the findings cache (it then need not digest the model itself).
  const inputs = cache ? parsedInputsDigest(cache, loaded.documents) : null;
  if (inputs) noteModelInputs(mesh, inputs);
  return {
    mesh, index: new MeshIndex(mesh), sources: loaded.sources, files: loaded.files, config,
    diagnostics: sink.items, resources: countResources(mesh),
  };
}

/** load → schema → canonical model. */
export async function loadMesh(paths: string[], options: CheckOptions = {}): Promise<LoadedMesh> {
  const loaded = await loadMeshWritingLater(paths, options);
  await settleCacheWrites();
  return loaded;
}

/** Runs every enabled rule (or those `only` takes) with `ctx`. */
function runRules(ctx: RuleContext, only?: (rule: Rule) => boolean): void {
  for (const rule of RULES) {
    if (ctx.config.disableRules.includes(rule.id) || (only && !only(rule))) continue;
    if (rule.inputs.length > 0 && rule.inputs.every((k) => ctx.mesh[k].length === 0)) continue;
    rule.run(ctx);
  }
}

/** Runs the lint rules over a loaded mesh. */
export function lint(loaded: LoadedMesh, only?: (rule: Rule) => boolean): Diagnostic[] {
  const sink = new DiagnosticSink();
  runRules(makeRuleContext(loaded.mesh, loaded.index, loaded.sources, loaded.config, sink), only);
  return sink.items;
}

/** The whole `meshc check`: load, validate, model, lint. */
export async function check(paths: string[], options: CheckOptions = {}): Promise<CheckResult> {
  const config = resolveConfig(options);
  const cwd = options.cwd ?? process.cwd();
  if (options.cache && !options.skipRules && !config.meshConfig) {
    // Also the model is reused when nothing it is built from changed (check-cached.ts).
    const cache = openParseCache(cwd);
    if (cache) {
      const result = await checkReusingModel(paths, cwd, config, loadOptionsFor(paths, options, config, cache), cache, (ctx) => runRules(ctx), options.documentMemo);
      await settleCacheWrites(); // the parse cache's entries, written while the model was built and linted
      return result;
    }
  }
  const loaded = await loadMeshWritingLater(paths, options);
  // With the cache, findings of a model linted before are reused (findings-cache.ts).
  const found = options.skipRules ? [] : options.cache ? lintCached(loaded, cwd, (ctx) => runRules(ctx)) : lint(loaded);
  await settleCacheWrites();
  return { ...loaded, diagnostics: sortDiagnostics(dedupeDiagnostics([...loaded.diagnostics, ...found])) };
}
