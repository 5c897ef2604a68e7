/**
 * IR → files: per node, the xDS resources (envoy.ts or grpc.ts), encoded and
 * self-validated (encode.ts), its bootstrap, then written into an atomic
 * output (writer.ts) with the manifest last. A validation error or a failed
 * write leaves the previous output untouched. The Envoy protos and the
 * validator are loaded here, lazily.
 */
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { BootstrapMode, XdsAddress, XdsTls } from '../envoy/translate/bootstrap.ts';
import { ClusterCache, envoyResources, type NodeResources } from '../envoy/translate/envoy.ts';
import { GrpcClusterCache, grpcResources } from '../envoy/translate/grpc.ts';
import type { MeshIR, ProxyIR } from '../envoy/translate/ir.ts';
import { BootstrapCache, bootstrapFile, sdsFiles } from './bootstrap-file.ts';
import { Encoder, nodeBinaryFile, typeJsonFile, type EncodedNode } from './encode.ts';
import type { EncodeBackend } from './encode-backend.ts';
import {
  jsonText, MANIFEST, NODE_BINARY, NODE_BINARY_KEY, PROBE_PATCH, meshcVersion, nodePath, typeFileNames, type Manifest, type ManifestNode,
} from './layout.ts';
import { nodeViolations } from './validate.ts';
import { envoyLogLevel } from '../envoy/translate/mesh-config.ts';
import type { AccessLogFormat } from '../envoy/translate/access-log.ts';
import { probePatchText } from '../envoy/translate/probe-patch.ts';
import { WritePool } from './write-pool.ts';
import { AtomicOutput, OutputError, type OutputFile, type OutputFs } from './writer.ts';

export interface EmitOptions {
  /** Output directory (replaced atomically). */
  out: string;
  bootstrap: BootstrapMode;
  xds: XdsAddress;
  /** mTLS of an ADS bootstrap's connection to `meshc serve`; null = plaintext (`--xds-insecure`). */
  xdsTls: XdsTls | null;
  /**
   * Also write `<type>.json` beside each node's `xds.pb`: its resources in proto3 JSON, for people reviewing the
   * output (`--review-json`). Off by default: nothing reads them, and on a big mesh they were well over half the
   * bytes and two files in five (docs/guide-compile.md).
   */
  reviewJson?: boolean;
  /** File-system seam (tests inject write failures). */
  fs?: OutputFs;
  /** Called after each node is written: (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface CompileSummary {
  nodes: number;
  /** Resources per type stem (listeners, routes, clusters, endpoints). */
  resources: Record<string, number>;
  /** Bytes of every file written, manifest included. */
  totalBytes: number;
  /** Files written, manifest included. */
  files: number;
  /** Whether the .json review copies were written (EmitOptions.reviewJson). */
  reviewJson: boolean;
  /** Bytes per node directory. */
  perNode: { min: number; median: number; max: number };
  /** Allowed (proxy, service port) edges realised in the output. */
  edges: number;
  out: string;
  /** Application insights of the compiled proxies (printed as the summary's second line). */
  insights?: { target: 'envoy' | 'grpc'; accessLog: AccessLogFormat; statsPort: number; tracing?: string; statsTags?: true; activeHealthChecks?: true };
  /** IngressBackend chains compiled (printed as a summary line when there are any): chains, proxies, IngressBackends. */
  ingress?: { chains: number; proxies: number; ingressBackends: number };
}

function ingressSummary(nodes: MeshIR['nodes']): CompileSummary['ingress'] {
  const withIngress = nodes.filter((n) => n.ingress && n.ingress.length > 0);
  const chains = withIngress.reduce((a, n) => a + n.ingress!.length, 0);
  return { chains, proxies: withIngress.length, ingressBackends: new Set(withIngress.flatMap((n) => n.ingress!.map((i) => i.from))).size };
}

export type EmitStatus = 'written' | 'output-failed' | 'internal-error';

/** Adds the time since the previous lap to a phase (benchmarks). */
export type Lap = (phase: string) => void;

/** Nodes translated ahead of the one being written (work for the encoder workers). */
const WINDOW = 32;

/** MESHC_WRITE_WORKER=0|1 overrides; else a writer thread for meshes of 200 nodes or more. */
function useWriterWorker(nodes: number): boolean {
  const env = process.env.MESHC_WRITE_WORKER;
  if (env === '0' || env === '1') return env === '1';
  return nodes >= 200;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

/** Writes the snapshot of every node of `ir`; findings go to `sink`. Nothing is written unless the status is 'written'. */
/** A node's xDS resources for the IR's target, with the cluster cache its nodes share (one cluster object per cluster). */
export function nodeTranslator(ir: MeshIR): (node: ProxyIR) => NodeResources {
  if (ir.options.target === 'grpc') {
    const cache = new GrpcClusterCache(ir);
    return (node) => grpcResources(node, ir, cache);
  }
  const cache = new ClusterCache(ir);
  return (node) => envoyResources(node, ir, cache);
}

export async function writeSnapshot(ir: MeshIR, options: EmitOptions, sink: DiagnosticSink, lap: Lap): Promise<{ status: EmitStatus; summary: CompileSummary | null }> {
  const failed = (status: EmitStatus) => ({ status, summary: null });
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
    return failed('internal-error');
  }
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
    return failed('output-failed');
  }
  const emitter = new NodeEmitter(ir, options, encoder, output, sink, lap);
  try {
    await emitter.emitAll();
    if (emitter.failed) {
      await output.abort();
      await closeAll();
      return failed(emitter.failed);
    }
    await emitter.commit();
  } catch (e) {
    await emitter.pool.drain().catch(() => undefined);
    await output.abort();
    await closeAll();
    if (!(e instanceof OutputError)) throw e;
    sink.report(e.code, e.args, null);
    return failed('output-failed');
  }
  await closeAll();
  return { status: 'written', summary: emitter.summary() };
}

/** Translates, encodes, validates and writes the nodes in order, collecting the manifest and the summary figures. */
class NodeEmitter {
  readonly pool = new WritePool(32);
  /** Set when a node fails validation: nothing more is written and the output is aborted. */
  failed: 'internal-error' | null = null;
  private readonly translate: (node: ProxyIR) => NodeResources;
  private readonly bootstraps: BootstrapCache;
  /** SDS file text by Secret JSON text (sdsFiles). */
  private readonly sdsTexts = new Map<string, string>();
  /** The first written SDS file (path relative to DIR) by its text: the later ones are hard links to it. */
  private readonly sdsPaths = new Map<string, string>();
  private readonly nodes: ManifestNode[] = [];
  private readonly counts: Record<string, number> = { listeners: 0, routes: 0, clusters: 0, endpoints: 0, secrets: 0 };
  private readonly sizes: number[] = [];
  private totalBytes = 0;
  private fileCount = 0;

  constructor(
    private readonly ir: MeshIR,
    private readonly options: EmitOptions,
    private readonly encoder: Encoder,
    private readonly output: AtomicOutput,
    private readonly sink: DiagnosticSink,
    private readonly lap: Lap,
  ) {
    this.translate = nodeTranslator(ir);
    this.bootstraps = new BootstrapCache(encoder);
  }

  async emitAll(): Promise<void> {
    const { ir, lap } = this;
    // A window of nodes in flight: while workers encode the next ones, this thread finishes the oldest.
    const window: { node: ProxyIR; resources: NodeResources; pending: Promise<EncodedNode> }[] = [];
    for (const node of ir.nodes) {
      lap('other');
      const resources = this.translate(node);
      lap('translate');
      const pending = this.encoder.node(resources);
      pending.catch(() => undefined); // awaited in order below; a rejection must not go unhandled meanwhile
      window.push({ node, resources, pending });
      lap('encode+validate');
      if (window.length >= WINDOW) {
        const w = window.shift()!;
        await this.finish(w.node, w.resources, w.pending);
      }
    }
    for (const w of window.splice(0)) await this.finish(w.node, w.resources, w.pending);
    await this.pool.drain();
    lap('write');
  }

  /** Everything after encoding, in node order: validation findings, files, writes, manifest entry. */
  private async finish(node: ProxyIR, resources: NodeResources, pending: Promise<EncodedNode>): Promise<void> {
    const { ir, lap } = this;
    lap('other');
    const encoded = await pending;
    lap('encode+validate');
    const boot = bootstrapFile(node, ir, this.options, resources, this.encoder, this.bootstraps);
    lap('bootstrap');
    const violations = nodeViolations(node.id, encoded, ir.options.target, boot.violations);
    lap('invariants');
    for (const v of violations) {
      const d = this.sink.report(v.code, v.args, null);
      if (d.severity === 'error') this.failed = 'internal-error';
    }
    if (this.failed) return;

    const base = nodePath(node.dir);
    const files: Record<string, string> = { bootstrap: `${base}/${boot.name}` };
    const writes: OutputFile[] = [[boot.name, boot.text]];
    const resourcesByType: ManifestNode['resources'] = {};
    for (const t of encoded.types) {
      if (this.options.reviewJson) {
        const name = typeFileNames(t.stem).json;
        files[t.stem] = `${base}/${name}`;
        writes.push([name, typeJsonFile(t)]);
      }
      resourcesByType[t.typeUrl] = t.resources.map((r) => ({ name: r.name, hash: r.hash }));
      this.counts[t.stem] += t.resources.length;
    }
    files[NODE_BINARY_KEY] = `${base}/${NODE_BINARY}`;
    writes.push([NODE_BINARY, nodeBinaryFile(encoded.types)]);
    for (const [name, text] of sdsFiles(ir, this.options, encoded, this.sdsTexts)) {
      files[name] = `${base}/${name}`;
      // Mostly the same text on every node (the pod's certificate paths): a hard link to the first copy (OutputFile).
      const first = this.sdsPaths.get(text);
      writes.push(first === undefined ? [name, text] : [name, text, first]);
      if (first === undefined) this.sdsPaths.set(text, files[name]);
    }
    const patch = probePatchText(node);
    if (patch) {
      files.probePatch = `${base}/${PROBE_PATCH}`;
      writes.push([PROBE_PATCH, patch]);
    }
    let size = 0;
    for (const [, data] of writes) size += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.sizes.push(size);
    this.totalBytes += size;
    this.fileCount += writes.length;
    lap('files');
    await this.pool.add(() => this.output.writeDir(base, writes));
    lap('write');
    const entry: ManifestNode = {
      id: node.id, target: ir.options.target, workload: { ...node.workload },
      serviceAccount: node.identity, version: encoded.version, files, resources: resourcesByType,
    };
    const logLevel = ir.options.target === 'envoy' ? envoyLogLevel(ir.options.osm) : undefined;
    if (logLevel) entry.envoyArgs = ['--log-level', logLevel];
    this.nodes.push(entry);
    this.options.onProgress?.(this.nodes.length, ir.nodes.length);
  }

  /** Writes the manifest and swaps the complete output in. */
  async commit(): Promise<void> {
    const manifest: Manifest = { meshc: meshcVersion(), target: this.ir.options.target, nodes: this.nodes };
    const manifestText = jsonText(manifest);
    this.totalBytes += Buffer.byteLength(manifestText);
    this.fileCount += 1;
    await this.output.write(MANIFEST, manifestText);
    await this.output.commit();
    this.lap('commit');
  }

  summary(): CompileSummary {
    const { sizes } = this;
    const o = this.ir.options;
    return {
      nodes: this.nodes.length, resources: this.counts, totalBytes: this.totalBytes, files: this.fileCount, reviewJson: this.options.reviewJson === true,
      perNode: { min: sizes.reduce((a, b) => Math.min(a, b), sizes[0] ?? 0), median: median(sizes), max: sizes.reduce((a, b) => Math.max(a, b), 0) },
      edges: this.ir.edges, out: this.options.out,
      insights: {
        target: o.target, accessLog: o.accessLog ?? 'off', statsPort: o.ports.stats,
        ...(o.osm?.tracing ? { tracing: `${o.osm.tracing.address}:${o.osm.tracing.port}${o.osm.tracing.endpoint}` } : {}),
        // MeshConfig enableWASMStats / enableEnvoyActiveHealthChecks (Envoy target only).
        ...(o.osm?.features.enableWASMStats ? { statsTags: true as const } : {}),
        ...(o.osm?.features.enableEnvoyActiveHealthChecks ? { activeHealthChecks: true as const } : {}),
      },
      ingress: ingressSummary(this.ir.nodes),
    };
  }
}
