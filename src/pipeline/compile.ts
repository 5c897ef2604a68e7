/**
 * `meshc compile` as an API: check → reachability → per-proxy IR
 * (src/envoy/translate) → xDS resources, encoded and self-validated, written
 * atomically (src/snapshot/emit.ts). Nothing is written when check or the
 * compile find errors; the Envoy protos are loaded lazily.
 */
import { resolve } from 'node:path';
import { check, type CheckOptions, type CheckResult } from './check.ts';
import { DiagnosticSink, dedupeDiagnostics, sortDiagnostics } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import { refOf } from '../model/types.ts';
import { computeReachability } from '../reach/index.ts';
import type { BootstrapMode, XdsAddress } from '../envoy/translate/bootstrap.ts';
import { buildMeshIR, type Reporter } from '../envoy/translate/build-ir.ts';
import { spiffeId } from '../envoy/translate/names.ts';
import { osmSettings } from '../model/osm-settings.ts';
import type { AccessLogFormat } from '../envoy/translate/access-log.ts';
import { DEFAULT_BOOTSTRAP_DIR, DEFAULT_XDS, DEFAULT_XDS_SERVER_IDENTITY } from './compile-defaults.ts';
import {
  DEFAULT_PORTS, DEFAULT_TLS, type MeshIR, type ProxyPorts, type Target, type TlsFiles, type TranslateOptions,
} from '../envoy/translate/ir.ts';
import { DEFAULT_CLUSTER_SETTINGS, resolveClusterSettings, type CircuitBreakerLimits, type ClusterSettings } from '../envoy/translate/cluster-defaults.ts';
import { writeSnapshot, type CompileSummary, type Lap } from '../snapshot/emit.ts';
import type { OutputFs } from '../snapshot/writer.ts';

export type { CompileSummary } from '../snapshot/emit.ts';

/** What shapes the IR: the target and the proxy's own files and ports (the domains come from the config). */
export interface TranslateChoices {
  target?: Target;
  tls?: Partial<TlsFiles>;
  ports?: Partial<ProxyPorts>;
  /** ads (default) or static: also decides where TLS contexts get their Secrets (ADS or SDS files). */
  bootstrap?: BootstrapMode;
  /** Pod path where the node's directory (bootstrap and SDS files) is mounted. */
  bootstrapDir?: string;
  /** Access log of the sidecars' HTTP connection managers (default json). */
  accessLog?: AccessLogFormat;
  /** Timeouts, circuit breakers and outlier detection of every cluster (default DEFAULT_CLUSTER_SETTINGS). */
  cluster?: Partial<Omit<ClusterSettings, 'circuitBreakers'>> & { circuitBreakers?: Partial<CircuitBreakerLimits> };
}

export interface CompileOptions extends CheckOptions, TranslateChoices {
  /** Output directory (replaced atomically). */
  out: string;
  xds?: XdsAddress;
  /**
   * The SPIFFE id `meshc serve` must present to an ADS bootstrap's xDS connection; null = plaintext control channel
   * (`--xds-insecure`). Default: spiffeId(trust domain, DEFAULT_XDS_SERVER_IDENTITY).
   */
  xdsServerId?: string | null;
  /** Also write the proto3 JSON review copies (`<type>.json`) beside each node's xds.pb (`--review-json`; default off). */
  reviewJson?: boolean;
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

export type CompileStatus = 'written' | 'check-failed' | 'compile-failed' | 'output-failed' | 'internal-error';

export interface CompileResult {
  status: CompileStatus;
  diagnostics: Diagnostic[];
  checked: CheckResult;
  summary: CompileSummary | null;
}

export { DEFAULT_BOOTSTRAP_DIR, DEFAULT_XDS, DEFAULT_XDS_SERVER_IDENTITY } from './compile-defaults.ts';

/**
 * A checked mesh → reachability → the per-proxy IR. The compile's findings go to `sink`, placed on the input's
 * sources. Exposed for tests that review the IR itself (test/compile-golden.test.ts).
 */
export function meshIR(checked: CheckResult, choices: TranslateChoices, sink: DiagnosticSink, lap: Lap = () => {}): MeshIR {
  const reporter: Reporter = {
    report(code, args, at) {
      sink.report(code, args, at ? checked.sources.locate(at.meta.origin, at.path ?? []) : null, at ? refOf(at.meta) : null);
    },
  };
  const translate: TranslateOptions = {
    target: choices.target ?? 'envoy',
    trustDomain: checked.config.trustDomain,
    clusterDomain: checked.config.clusterDomain,
    permissive: checked.config.permissive,
    tls: { ...DEFAULT_TLS, ...choices.tls },
    sds: choices.bootstrap === 'static' ? { kind: 'files', dir: choices.bootstrapDir ?? DEFAULT_BOOTSTRAP_DIR } : { kind: 'ads' },
    ports: { ...DEFAULT_PORTS, ...choices.ports },
    cluster: resolveClusterSettings(DEFAULT_CLUSTER_SETTINGS, choices.cluster),
  };
  const osm = osmSettings(checked.mesh, checked.config);
  if (osm.meshConfig) translate.osm = osm;
  if (translate.target === 'envoy') translate.accessLog = choices.accessLog ?? 'json';
  const reach = computeReachability(checked.mesh, checked.index, checked.config);
  lap('reach');
  const ir = buildMeshIR(checked.index, reach, translate, reporter);
  lap('ir');
  return ir;
}

/** Milliseconds per phase into `timings`: each lap adds the time since the previous one. */
function lapTimer(timings: Record<string, number>): Lap {
  let mark = performance.now();
  return (phase) => {
    const now = performance.now();
    timings[phase] = (timings[phase] ?? 0) + (now - mark);
    mark = now;
  };
}

export async function compile(paths: string[], options: CompileOptions): Promise<CompileResult> {
  const lap = lapTimer(options.timings ?? {});
  // Never read our own previous output back as input (`meshc compile . --out build`): walks pass over it, with every
  // other walk rule (tool files, MESH0016 for walked non-manifests) the same as for `meshc check .`.
  const checked = await check(paths, { ...options, skipPaths: [...(options.skipPaths ?? []), resolve(options.cwd ?? process.cwd(), options.out)] });
  lap('check');
  const done = (status: CompileStatus, diagnostics: Diagnostic[], summary: CompileSummary | null = null): CompileResult => ({
    status, checked, summary, diagnostics: sortDiagnostics(dedupeDiagnostics(diagnostics)),
  });
  const keep = options.keep ?? ((ds: Diagnostic[]) => ds);
  const blocking = (ds: Diagnostic[]) => keep(ds, checked).some((d) => d.severity === 'error');
  if (blocking(checked.diagnostics)) return done('check-failed', checked.diagnostics);

  const sink = new DiagnosticSink();
  const ir = meshIR(checked, options, sink, lap);
  const all = () => [...checked.diagnostics, ...sink.items];
  if (blocking(sink.items)) return done('compile-failed', all());

  const serverId = options.xdsServerId === undefined
    ? spiffeId(checked.config.trustDomain, DEFAULT_XDS_SERVER_IDENTITY) : options.xdsServerId;
  const { status, summary } = await writeSnapshot(ir, {
    out: options.out, bootstrap: options.bootstrap ?? 'ads', xds: options.xds ?? DEFAULT_XDS, fs: options.fs, onProgress: options.onProgress,
    reviewJson: options.reviewJson === true,
    xdsTls: serverId === null ? null : { serverId, sdsDir: options.bootstrapDir ?? DEFAULT_BOOTSTRAP_DIR },
  }, sink, lap);
  return done(status, all(), summary);
}
