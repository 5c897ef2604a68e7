/**
 * `meshc compile` as an API: check → reachability → per-proxy IR → xDS
 * resources → encode + self-validate → atomic write. Nothing is written when
 * check or the compile find errors; the Envoy protos are loaded lazily.
 */
import { stringify as yamlStringify } from 'yaml';
import { check, type CheckOptions, type CheckResult } from '../pipeline/check.ts';
import { DiagnosticSink, dedupeDiagnostics, sortDiagnostics } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import { refOf } from '../model/types.ts';
import { computeReachability } from '../reach/index.ts';
import { BOOTSTRAP_TYPE_URL } from '../envoy/protos/type-urls.ts';
import { buildMeshIR, type Reporter } from '../envoy/translate/build-ir.ts';
import { adsBootstrap, grpcBootstrap, staticBootstrap, type BootstrapMode, type XdsAddress } from '../envoy/translate/bootstrap.ts';
import { ClusterCache, envoyResources, type NodeResources } from '../envoy/translate/envoy.ts';
import { GrpcClusterCache, grpcResources } from '../envoy/translate/grpc.ts';
import {
  DEFAULT_PORTS, DEFAULT_TLS, type MeshIR, type ProxyIR, type ProxyPorts, type Target, type TlsFiles, type TranslateOptions,
} from '../envoy/translate/ir.ts';
import type { Violation } from '../envoy/validate/index.ts';
import type { Json } from '../envoy/translate/shapes.ts';
import { Encoder, typeBinaryFile, typeJsonFile, type EncodedNode } from './encode.ts';
import type { EncodeBackend } from './encode-backend.ts';
import { jsonText, MANIFEST, meshcVersion, NODES_DIR, type Manifest, type ManifestNode } from './layout.ts';
import { AtomicOutput, OutputError, type OutputFs } from './writer.ts';
import { nodeViolations } from './validate.ts';
import { withoutOutput } from './inputs.ts';
import { osmSettings } from '../model/osm-settings.ts';
import { envoyLogLevel } from '../envoy/translate/mesh-config.ts';
import type { AccessLogFormat } from '../envoy/translate/access-log.ts';

export interface CompileOptions extends CheckOptions {
  /** Output directory (replaced atomically). */
  out: string;
  target?: Target;
  bootstrap?: BootstrapMode;
  xds?: XdsAddress;
  tls?: Partial<TlsFiles>;
  ports?: Partial<ProxyPorts>;
  /** Access log of the sidecars' HTTP connection managers (default json). */
  accessLog?: AccessLogFormat;
  /** File-system seam (tests inject write failures). */
  fs?: OutputFs;
  /** Called after each node is written: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /**
   * The findings that count (e.g. after suppressions): compile refuses to
   * write when an error remains. Default: all of them.
   */
  keep?: (diagnostics: Diagnostic[], loaded: CheckResult) => Diagnostic[];
  /** Filled with milliseconds per phase (benchmarks). */
  timings?: Record<string, number>;
}

export interface CompileSummary {
  nodes: number;
  /** Resources per type stem (listeners, routes, clusters, endpoints). */
  resources: Record<string, number>;
  /** Bytes of every file written, manifest included. */
  totalBytes: number;
  /** Bytes per node directory. */
  perNode: { min: number; median: number; max: number };
  /** Allowed (proxy, service port) edges realised in the output. */
  edges: number;
  out: string;
  /** Application insights of the compiled proxies (printed as the summary's second line). */
  insights?: { target: 'envoy' | 'grpc'; accessLog: AccessLogFormat; statsPort: number; tracing?: string };
}

export type CompileStatus = 'written' | 'check-failed' | 'compile-failed' | 'output-failed' | 'internal-error';

export interface CompileResult {
  status: CompileStatus;
  diagnostics: Diagnostic[];
  checked: CheckResult;
  summary: CompileSummary | null;
}

export const DEFAULT_XDS: XdsAddress = { host: '127.0.0.1', port: 18000 };

/** Nodes translated ahead of the one being written (work for the encoder workers). */
const WINDOW = 32;

/** MESHC_WRITE_WORKER=0|1 overrides; else a writer thread for meshes of 200 nodes or more. */
function useWriterWorker(nodes: number): boolean {
  const env = process.env.MESHC_WRITE_WORKER;
  if (env === '0' || env === '1') return env === '1';
  return nodes >= 200;
}

/** Runs `limit` writes at a time. */
class WritePool {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown = null;
  constructor(private readonly limit: number) {}
  async add(task: () => Promise<void>): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.failure) throw this.failure;
    const p: Promise<void> = task().catch((e) => {
      this.failure ??= e;
    }).finally(() => this.running.delete(p));
    this.running.add(p);
  }
  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure;
  }
}

/**
 * ADS bootstraps differ between nodes only in `node`: the rest is validated
 * (with a stand-in node, as Bootstrap checks need one) and rendered once per
 * distinct content; each real `node` (the first Bootstrap field, so it leads
 * the canonical YAML) is validated on its own as a Node with id and cluster.
 */
class BootstrapCache {
  private readonly rest = new Map<string, { yaml: string; violations: Violation[] }>();
  constructor(private readonly encoder: Encoder) {}
  ads(boot: Json): { yaml: string; violations: Violation[] } {
    const { node, ...rest } = boot;
    const key = JSON.stringify(rest);
    let r = this.rest.get(key);
    if (!r) {
      const m = this.encoder.message(BOOTSTRAP_TYPE_URL, { node: { id: 'node', cluster: 'cluster' }, ...rest });
      const { node: _standIn, ...canonical } = m.json ?? {};
      r = { yaml: m.json ? yamlStringify(canonical, { lineWidth: 0 }) : '', violations: m.violations };
      this.rest.set(key, r);
    }
    const n = this.encoder.message(NODE_TYPE, node as Json);
    const violations = [...n.violations.map((v) => ({ ...v, path: v.path ? `node.${v.path}` : 'node' })), ...r.violations];
    for (const f of ['id', 'cluster']) {
      if (!(node as Json)[f]) violations.push({ path: `node.${f}`, rule: 'invariant.bootstrap_node', message: `ads: node '${f}' is required`, severity: 'error' });
    }
    return { yaml: n.json ? yamlStringify({ node: n.json }, { lineWidth: 0 }) + r.yaml : '', violations };
  }
}

const NODE_TYPE = 'envoy.config.core.v3.Node';

/** ` --log-level LEVEL` when the MeshConfig sets the sidecar's log level (a flag, not configuration). */
function logLevelArg(ir: MeshIR): string {
  const level = envoyLogLevel(ir.options.osm);
  return level ? ` --log-level ${level}` : '';
}

function bootstrapFile(node: ProxyIR, ir: MeshIR, mode: BootstrapMode, xds: XdsAddress, resources: NodeResources, encoder: Encoder, cache: BootstrapCache): { name: string; text: string; violations: Violation[] } {
  if (ir.options.target === 'grpc') return { name: 'bootstrap.json', text: jsonText(grpcBootstrap(node, xds)), violations: [] };
  const header = `# Envoy bootstrap of meshc node ${node.id} (${mode === 'static' ? 'static: no control plane' : 'ADS'}); run: envoy -c bootstrap.yaml${logLevelArg(ir)}\n`;
  if (mode === 'ads') {
    const { yaml, violations } = cache.ads(adsBootstrap(node, ir.options, xds));
    return { name: 'bootstrap.yaml', text: header + yaml, violations };
  }
  const { json, violations } = encoder.message(BOOTSTRAP_TYPE_URL, staticBootstrap(node, ir.options, resources));
  return { name: 'bootstrap.yaml', text: json ? header + yamlStringify(json, { lineWidth: 0 }) : '', violations };
}

const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

export async function compile(paths: string[], options: CompileOptions): Promise<CompileResult> {
  const timings = options.timings ?? {};
  let mark = performance.now();
  /** Adds the time since the previous lap to `phase`. */
  const lap = (phase: string) => {
    const now = performance.now();
    timings[phase] = (timings[phase] ?? 0) + (now - mark);
    mark = now;
  };
  // Never read our own previous output back as input (`meshc compile . --out build`).
  const checked = await check(withoutOutput(paths, options.out, options.cwd ?? process.cwd()), options);
  lap('check');
  const done = (status: CompileStatus, diagnostics: Diagnostic[], summary: CompileSummary | null = null): CompileResult => ({
    status, checked, summary, diagnostics: sortDiagnostics(dedupeDiagnostics(diagnostics)),
  });
  const keep = options.keep ?? ((ds: Diagnostic[]) => ds);
  const blocking = (ds: Diagnostic[]) => keep(ds, checked).some((d) => d.severity === 'error');
  if (blocking(checked.diagnostics)) return done('check-failed', checked.diagnostics);

  const sink = new DiagnosticSink();
  const reporter: Reporter = {
    report(code, args, at) {
      sink.report(code, args, at ? checked.sources.locate(at.meta.origin, at.path ?? []) : null, at ? refOf(at.meta) : null);
    },
  };
  const translate: TranslateOptions = {
    target: options.target ?? 'envoy',
    trustDomain: checked.config.trustDomain,
    clusterDomain: checked.config.clusterDomain,
    permissive: checked.config.permissive,
    tls: { ...DEFAULT_TLS, ...options.tls },
    ports: { ...DEFAULT_PORTS, ...options.ports },
  };
  const osm = osmSettings(checked.mesh, checked.config);
  if (osm.meshConfig) translate.osm = osm;
  if (translate.target === 'envoy') translate.accessLog = options.accessLog ?? 'json';
  const reach = computeReachability(checked.mesh, checked.index, checked.config);
  lap('reach');
  const ir = buildMeshIR(checked.index, reach, translate, reporter);
  lap('ir');
  const all = () => [...checked.diagnostics, ...sink.items];
  if (blocking(sink.items)) return done('compile-failed', all());

  const { loadValidator } = await import('../envoy/validate/index.ts');
  const backends = await import('./encode-backend.ts');
  let encoder: Encoder;
  let backend: EncodeBackend;
  try {
    const validator = await loadValidator();
    const workers = backends.workerCount(ir.nodes.length);
    backend = workers > 0 ? new backends.WorkerBackend(workers) : new backends.InlineBackend(validator.api, validator);
    encoder = new Encoder(validator, backend);
  } catch (e) {
    sink.report('MESH0805', { reason: (e as Error).message }, null);
    return done('internal-error', all());
  }
  const mode = options.bootstrap ?? 'ads';
  const xds = options.xds ?? DEFAULT_XDS;

  // Big meshes: the files are written by a worker thread while this one keeps compiling.
  const writer = !options.fs && useWriterWorker(ir.nodes.length) ? new (await import('./write-backend.ts')).WorkerWriterFs() : null;
  const closeAll = async () => {
    await backend.close();
    await writer?.close();
  };
  let output: AtomicOutput;
  try {
    output = await AtomicOutput.open(options.out, { fs: options.fs ?? writer ?? undefined, note: (code, args) => sink.report(code, args, null) });
  } catch (e) {
    await closeAll();
    if (!(e instanceof OutputError)) throw e;
    sink.report(e.code, e.args, null);
    return done('output-failed', all());
  }

  const pool = new WritePool(32);
  const envoyCache = new ClusterCache(ir);
  const grpcCache = new GrpcClusterCache(ir);
  const bootstraps = new BootstrapCache(encoder);
  const nodes: ManifestNode[] = [];
  const counts: Record<string, number> = { listeners: 0, routes: 0, clusters: 0, endpoints: 0 };
  const sizes: number[] = [];
  let totalBytes = 0;
  let failed: CompileStatus | null = null;
  try {
    /** Everything after encoding, in node order: validation findings, files, writes, manifest entry. */
    const finish = async (node: ProxyIR, resources: NodeResources, pending: Promise<EncodedNode>): Promise<void> => {
      lap('other');
      const encoded = await pending;
      lap('encode+validate');
      const boot = bootstrapFile(node, ir, mode, xds, resources, encoder, bootstraps);
      lap('bootstrap');
      const violations = nodeViolations(node.id, encoded, translate.target, boot.violations);
      lap('invariants');
      for (const v of violations) {
        const d = sink.report(v.code, v.args, null);
        if (d.severity === 'error') failed = 'internal-error';
      }
      if (failed) return;

      const base = `${NODES_DIR}/${node.dir}`;
      const files: Record<string, string> = { bootstrap: `${base}/${boot.name}` };
      const writes: [string, Uint8Array | string][] = [[boot.name, boot.text]];
      const resourcesByType: ManifestNode['resources'] = {};
      for (const t of encoded.types) {
        files[t.stem] = `${base}/${t.stem}.json`;
        files[`${t.stem}Binary`] = `${base}/${t.stem}.pb`;
        writes.push([`${t.stem}.json`, typeJsonFile(t)], [`${t.stem}.pb`, typeBinaryFile(t)]);
        resourcesByType[t.typeUrl] = t.resources.map((r) => ({ name: r.name, hash: r.hash }));
        counts[t.stem] += t.resources.length;
      }
      let size = 0;
      for (const [, data] of writes) size += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      sizes.push(size);
      totalBytes += size;
      lap('files');
      await pool.add(() => output.writeDir(base, writes));
      lap('write');
      const entry: ManifestNode = {
        id: node.id, target: translate.target, workload: { ...node.workload },
        serviceAccount: node.identity, version: encoded.version, files, resources: resourcesByType,
      };
      const logLevel = translate.target === 'envoy' ? envoyLogLevel(translate.osm) : undefined;
      if (logLevel) entry.envoyArgs = ['--log-level', logLevel];
      nodes.push(entry);
      options.onProgress?.(nodes.length, ir.nodes.length);
    };
    // A window of nodes in flight: while workers encode the next ones, this thread finishes the oldest.
    const window: { node: ProxyIR; resources: NodeResources; pending: Promise<EncodedNode> }[] = [];
    for (const node of ir.nodes) {
      lap('other');
      const resources = translate.target === 'grpc' ? grpcResources(node, ir, grpcCache) : envoyResources(node, ir, envoyCache);
      lap('translate');
      const pending = encoder.node(resources);
      pending.catch(() => undefined); // awaited in order below; a rejection must not go unhandled meanwhile
      window.push({ node, resources, pending });
      lap('encode+validate');
      if (window.length >= WINDOW) {
        const w = window.shift()!;
        await finish(w.node, w.resources, w.pending);
      }
    }
    for (const w of window.splice(0)) await finish(w.node, w.resources, w.pending);
    await pool.drain();
    lap('write');
    if (failed) {
      await output.abort();
      await closeAll();
      return done(failed, all());
    }
    const manifest: Manifest = { meshc: meshcVersion(), target: translate.target, nodes };
    const manifestText = jsonText(manifest);
    totalBytes += Buffer.byteLength(manifestText);
    await output.write(MANIFEST, manifestText);
    await output.commit();
    lap('commit');
  } catch (e) {
    await pool.drain().catch(() => undefined);
    await output.abort();
    await closeAll();
    if (!(e instanceof OutputError)) throw e;
    sink.report(e.code, e.args, null);
    return done('output-failed', all());
  }
  await closeAll();
  return done('written', all(), {
    nodes: nodes.length, resources: counts, totalBytes,
    perNode: { min: sizes.reduce((a, b) => Math.min(a, b), sizes[0] ?? 0), median: median(sizes), max: sizes.reduce((a, b) => Math.max(a, b), 0) },
    edges: ir.edges, out: options.out,
    insights: {
      target: translate.target, accessLog: translate.accessLog ?? 'off', statsPort: translate.ports.stats,
      ...(translate.osm?.tracing ? { tracing: `${translate.osm.tracing.address}:${translate.osm.tracing.port}${translate.osm.tracing.endpoint}` } : {}),
    },
  });
}
