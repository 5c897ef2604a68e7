import { isAbsolute } from 'node:path';
import type { Diagnostic } from '../../core/types.ts';
import { applySuppressions } from '../../report/suppress.ts';
import type { CommandModule } from '../command.ts';
import {
  CONFIG_HELP, CONFIG_OPTIONS, DOMAIN_HELP, DOMAIN_OPTIONS, REPORT_HELP, REPORT_OPTIONS, conflictFailure, finishReport, formFailure, oneOf, portFailure, requiredFailure, runCommand, useCache,
  type CommandContext, type CommandSpec,
} from '../common.ts';
import { parseXdsAddress } from '../../envoy/translate/bootstrap.ts';
import { DEFAULT_PORTS, DEFAULT_TLS, PROBE_PORTS, TARGETS, type ProxyPorts, type TlsFiles } from '../../envoy/translate/ir.ts';
import { DEFAULT_BOOTSTRAP_DIR, DEFAULT_XDS_SERVER_IDENTITY, type CompileSummary } from '../../pipeline/compile-defaults.ts';
import { spiffeId } from '../../envoy/translate/names.ts';
import { parseNamespace } from '../../config/values.ts';
import { ACCESS_LOG_FORMATS } from '../../envoy/translate/access-log.ts';
import type { CheckResult } from '../../pipeline/check.ts';
import { CLUSTER_HELP, CLUSTER_OPTIONS, clusterSettings } from './cluster-flags.ts';

const SPEC: CommandSpec = {
  name: 'compile',
  usage: `usage: meshc compile [options] [PATH...] --out DIR

Compile a checked mesh into the exact configuration each proxy loads: one
xDS v3 snapshot per workload (Deployment, StatefulSet, DaemonSet, bare Pod)
with its bootstrap, written atomically to DIR (see docs/guide-compile.md).
Nothing is written when check finds errors.

options:
  -o, --out DIR             output directory (required; replaced atomically)
  --target TARGET           envoy (sidecars, default) or grpc (proxyless gRPC clients)
  --bootstrap MODE          ads (default: everything from 'meshc serve') or static (no control plane)
  --xds-address HOST:PORT   where 'meshc serve' listens (default: 127.0.0.1:18000)
  --xds-server-identity ID  the identity 'meshc serve' must present, NS/SA or a SPIFFE id
                            (default: ${DEFAULT_XDS_SERVER_IDENTITY} in the trust domain)
  --xds-insecure            plaintext to 'meshc serve' (local demos only; default: mTLS)
  --bootstrap-dir PATH      where the pod mounts its node directory: bootstrap and SDS files
                            (default: ${DEFAULT_BOOTSTRAP_DIR})
  --cert-chain PATH         pod certificate chain (default: ${DEFAULT_TLS.certChain})
  --private-key PATH        pod private key (default: ${DEFAULT_TLS.privateKey})
  --ca-cert PATH            mesh CA bundle (default: ${DEFAULT_TLS.caCert})
  --inbound-port PORT       inbound listener (default: ${DEFAULT_PORTS.inbound})
  --outbound-port PORT      outbound listener (default: ${DEFAULT_PORTS.outbound})
  --stats-port PORT         Prometheus /stats/prometheus listener (default: ${DEFAULT_PORTS.stats})
  --admin-port PORT         Envoy admin on 127.0.0.1 (default: ${DEFAULT_PORTS.admin})
  --access-log FORMAT       access log of every HTTP connection manager: json (default), text or off
  --review-json             also write <type>.json (listeners, routes, ...) beside each node's xds.pb:
                            its resources in proto3 JSON, for review (default: off; serve reads xds.pb)
                            (15901-15903 are the kubelet probe listeners: see probe-patch.yaml)
${CLUSTER_HELP}${DOMAIN_HELP}${CONFIG_HELP}${REPORT_HELP}  -h, --help                this text

exit codes: 0 written, 1 findings at or above --fail-level (nothing written
when they are errors), 2 usage error, unwritable output, internal error.
`,
  options: {
    ...CONFIG_OPTIONS, ...REPORT_OPTIONS, ...DOMAIN_OPTIONS,
    out: { type: 'string', short: 'o' },
    target: { type: 'string' },
    bootstrap: { type: 'string' },
    'xds-address': { type: 'string' },
    'xds-server-identity': { type: 'string' },
    'xds-insecure': { type: 'boolean' },
    'bootstrap-dir': { type: 'string' },
    'cert-chain': { type: 'string' },
    'private-key': { type: 'string' },
    'ca-cert': { type: 'string' },
    'inbound-port': { type: 'string' },
    'outbound-port': { type: 'string' },
    'stats-port': { type: 'string' },
    'admin-port': { type: 'string' },
    'access-log': { type: 'string' },
    'review-json': { type: 'boolean' },
    ...CLUSTER_OPTIONS,
  },
};


function ports(values: CommandContext['values']): ProxyPorts {
  const out = { ...DEFAULT_PORTS };
  for (const key of Object.keys(out) as (keyof ProxyPorts)[]) {
    const raw = values[`${key}-port`];
    if (raw === undefined) continue;
    const n = /^\d{1,5}$/.test(String(raw)) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= 65535)) throw formFailure(`--${key}-port`, { expected: 'a port number from 1 to 65535', actual: JSON.stringify(raw) });
    out[key] = n;
  }
  const taken = new Map<number, string>();
  for (const [key, port] of Object.entries(out)) {
    if (taken.has(port)) throw portFailure(`--${key}-port`, `--${taken.get(port)}-port`, port);
    taken.set(port, key);
    const probe = Object.entries(PROBE_PORTS).find(([, p]) => p === port);
    if (probe) throw portFailure(`--${key}-port`, `the sidecar's ${probe[0]} probe listener`, port);
  }
  return out;
}

/** 127.0.0.0/8, ::1 and localhost: the pod itself, where Envoy's own ports are taken. */
function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1' || host.toLowerCase() === 'localhost';
}

function tls(values: CommandContext['values']): TlsFiles {
  const out = { ...DEFAULT_TLS };
  const flags: [keyof TlsFiles, string][] = [['certChain', 'cert-chain'], ['privateKey', 'private-key'], ['caCert', 'ca-cert']];
  for (const [key, flag] of flags) out[key] = podPath(values, flag, 'file') ?? out[key];
  return out;
}

/** The ADS bootstrap's control-plane identity: null = plaintext (--xds-insecure), undefined = the default. */
function xdsServerId(values: CommandContext['values'], target: string, bootstrap: string, trustDomain: string): string | null | undefined {
  const raw = values['xds-server-identity'];
  if (values['xds-insecure'] === true) {
    if (bootstrap !== 'ads') throw conflictFailure('--xds-insecure', `--bootstrap ${bootstrap}`);
    if (raw !== undefined) throw conflictFailure('--xds-insecure', '--xds-server-identity');
    return null;
  }
  if (raw === undefined) return undefined;
  if (target === 'grpc') throw conflictFailure('--xds-server-identity', '--target grpc');
  const text = String(raw);
  if (/^spiffe:\/\/[a-z0-9._-]+\/\S+$/.test(text)) return text;
  const [ns, sa, extra] = text.split('/');
  if (extra === undefined && ns && sa && !('error' in parseNamespace(ns)) && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(sa) && sa.length <= 253) {
    return spiffeId(trustDomain, `${ns}/${sa}`);
  }
  throw formFailure('--xds-server-identity', { expected: 'NAMESPACE/SERVICEACCOUNT or a spiffe:// id', actual: JSON.stringify(text) });
}

/** An absolute path inside the pod, without '..'; a file's path may not end in '/'. */
function podPath(values: CommandContext['values'], flag: string, what: 'file' | 'directory' = 'directory'): string | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const absolute = typeof raw === 'string' && isAbsolute(raw) && !raw.split('/').includes('..');
  if (absolute && !(what === 'file' && raw.endsWith('/'))) return raw;
  throw formFailure(`--${flag}`, { expected: `an absolute path inside the pod, ${what === 'file' ? 'of a file' : "without '..'"}`, actual: JSON.stringify(raw) });
}

const KB = 1024;
function bytes(n: number): string {
  if (n < KB) return `${n} B`;
  if (n < KB * KB) return `${(n / KB).toFixed(1)} KiB`;
  return `${(n / KB / KB).toFixed(1)} MiB`;
}

export function summaryText(s: CompileSummary): string {
  const r = s.resources;
  const total = r.listeners + r.routes + r.clusters + r.endpoints + r.secrets;
  const perEdge = s.edges > 0 ? `, ${bytes(Math.round(s.totalBytes / s.edges))} per edge` : '';
  return `meshc compile: wrote ${s.nodes} node(s) to ${s.out}: ${total} resources (${r.listeners} listeners, ${r.routes} routes, ${r.clusters} clusters, ${r.endpoints} endpoints, ${r.secrets} secrets); `
    + `${bytes(s.totalBytes)} in ${s.files} files in total, per node ${bytes(s.perNode.min)} min / ${bytes(s.perNode.median)} median / ${bytes(s.perNode.max)} max; `
    + `${s.edges} allowed edge(s) (proxy → service port)${perEdge}\n`
    + reviewText(s) + insightsText(s) + ingressText(s);
}

/** Whether the proto3 JSON review copies were written, and how to get them when not. */
export function reviewText(s: CompileSummary): string {
  if (s.reviewJson) return 'meshc compile: review copies: <type>.json beside each xds.pb (proto3 JSON, one resource per line)\n';
  return 'meshc compile: review copies: none (--review-json, or review-json: true under compile: in .meshc.yaml, writes <type>.json beside each xds.pb)\n';
}

/** The IngressBackend chains compiled (docs/guide-osm.md), when there are any. */
export function ingressText(s: CompileSummary): string {
  const i = s.ingress;
  if (!i || i.chains === 0) return '';
  return `meshc compile: ingress: ${i.chains} IngressBackend chain(s) on ${i.proxies} proxy(ies), from ${i.ingressBackends} IngressBackend(s)\n`;
}

/** Which application insights the compiled proxies have (docs/guide-osm.md). */
export function insightsText(s: CompileSummary): string {
  const i = s.insights;
  if (!i) return '';
  if (i.target === 'grpc') return 'meshc compile: application insights: none (proxyless gRPC clients have no access log, stats listener or tracing)\n';
  const log = i.accessLog === 'off' ? 'access log off' : `access log ${i.accessLog} (stdout) on every HTTP connection manager`;
  const tracing = i.tracing ? `tracing on (Zipkin → ${i.tracing})` : 'tracing off';
  const tags = i.statsTags ? ' tagged by source workload and destination Service' : '';
  const health = i.activeHealthChecks ? '; active health checks on HTTP clusters' : '';
  return `meshc compile: application insights: ${log}; Prometheus stats${tags} on :${i.statsPort}/stats/prometheus; ${tracing}${health}\n`;
}

/** Progress on a terminal, only once the compile has taken more than a second (at most ten updates a second). */
export function progress(
  out: { isTTY?: boolean; write(text: string): unknown } = process.stderr, clock: () => number = Date.now,
): { update(done: number, total: number): void; clear(): void } {
  const tty = out.isTTY === true;
  const start = clock();
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = clock();
      if (!tty || now - start < 1000 || (now - last < 100 && done < total)) return;
      last = now;
      shown = true;
      out.write(`\rmeshc compile: ${done}/${total} nodes (${Math.floor((done * 100) / Math.max(total, 1))}%)\u001b[K`);
    },
    clear() {
      if (shown) out.write('\r\u001b[K');
    },
  };
}

export const command: CommandModule = {
  summary: 'compile the mesh into per-proxy xDS snapshots and bootstraps',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => {
    const v = ctx.values;
    if (typeof v.out !== 'string' || v.out === '') throw requiredFailure('--out DIR');
    const target = oneOf('target', v.target, TARGETS, 'envoy');
    const bootstrap = oneOf('bootstrap', v.bootstrap, ['ads', 'static'] as const, 'ads');
    const accessLog = oneOf('access-log', v['access-log'], ACCESS_LOG_FORMATS, 'json');
    if (target === 'grpc' && bootstrap === 'static') throw conflictFailure('--bootstrap static', '--target grpc');
    let xds;
    if (v['xds-address'] !== undefined) {
      const parsed = parseXdsAddress(String(v['xds-address']));
      if ('expected' in parsed) throw formFailure('--xds-address', parsed);
      xds = parsed;
    }
    const proxyPorts = ports(v);
    if (target === 'envoy' && xds && isLoopback(xds.host)) {
      const own = Object.entries(proxyPorts).find(([, port]) => port === xds.port);
      if (own) throw portFailure(`--xds-address ${String(v['xds-address'])}`, `the proxy's own --${own[0]}-port`, xds.port);
    }
    const settings = ctx.settings;
    const bootstrapDir = podPath(v, 'bootstrap-dir');
    const serverId = xdsServerId(v, target, bootstrap, settings.config.trustDomain);
    const keep = (ds: Diagnostic[], loaded: CheckResult) => applySuppressions(ds, { suppress: settings.suppressions, inline: !settings.config.noInlineSuppress, loaded }).kept;
    const bar = progress();
    // Loaded only here: protobufjs and the Envoy protos never load for `meshc check`.
    const { compile } = await import('../../pipeline/compile.ts');
    const result = await compile(settings.paths, {
      ...settings.config, cwd: ctx.cwd, cache: useCache(ctx), out: v.out, target, bootstrap, xds, tls: tls(v), ports: proxyPorts, accessLog,
      bootstrapDir, xdsServerId: serverId, cluster: clusterSettings({ ...settings.config.compile, ...v }),
      reviewJson: v['review-json'] === true || settings.config.compile['review-json'] === true,
      onProgress: (done, total) => bar.update(done, total), keep,
    });
    bar.clear();
    const checked = result.checked;
    const code = finishReport(ctx, { diagnostics: result.diagnostics, files: checked.files.length, resources: checked.resources, loaded: checked });
    if (result.summary && !settings.quiet) process.stderr.write(summaryText(result.summary));
    else if (result.status !== 'written' && !settings.quiet) process.stderr.write(`meshc compile: nothing written to ${v.out}\n`);
    return code;
  }),
};
