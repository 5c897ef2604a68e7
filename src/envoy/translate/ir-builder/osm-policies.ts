/**
 * OSM policies in the IR, applied after the walk over the proxies (one pass,
 * so inbound/outbound/clusters stay as they were):
 *
 * - Retry → `OutboundPortIR.retry` on the HTTP entries of the source
 *   identity's proxies for each destination Service (when the MeshConfig's
 *   enableRetryPolicy is on, or there is no MeshConfig); the first Retry by
 *   namespace/name wins (MESH1152 reports the others);
 * - UpstreamTrafficSetting whose host is `<svc>.<ns>.svc.<domain>` of a
 *   Service of its namespace → `ClusterIR.settings` of that Service's
 *   clusters (every client) and `InboundPortIR.rateLimit` on the ports of the
 *   proxies that serve it. Settings named by an Egress's matches apply to
 *   its egress clusters (egress.ts).
 */
import { envoyDuration } from '../../../model/duration.ts';
import { ENVOY_STATUS_CODES } from '../../../model/osm.ts';
import type { HttpLocalRateLimit, Retry, UpstreamTrafficSetting } from '../../../model/osm-types.ts';
import type { ClusterSettingsIR, HttpRateLimitIR, ProxyIR, RateLimitIR, RetryIR, TokenBucketIR } from '../ir.ts';
import { cmp, type BuildContext } from './context.ts';

const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600 } as const;
const keyOf = (m: { meta: { namespace: string; name: string } }) => `${m.meta.namespace}/${m.meta.name}`;

function retryIR(r: Retry): RetryIR {
  const p = r.retryPolicy;
  const ir: RetryIR = { from: keyOf(r), retryOn: p.retryOn.join(',') };
  if (p.numRetries !== undefined) ir.numRetries = p.numRetries;
  if (p.perTryTimeout) ir.perTryTimeout = envoyDuration(p.perTryTimeout);
  if (p.retryBackoffBaseInterval) ir.backoffBaseInterval = envoyDuration(p.retryBackoffBaseInterval);
  return ir;
}

function bucket(count: number, burst: number, unit: keyof typeof UNIT_SECONDS): TokenBucketIR {
  return { maxTokens: count + burst, tokensPerFill: count, fillInterval: `${UNIT_SECONDS[unit]}s` };
}

function httpLimit(l: HttpLocalRateLimit): HttpRateLimitIR {
  const ir: HttpRateLimitIR = { bucket: bucket(l.requests, l.burst, l.unit), headers: l.responseHeadersToAdd.map((h) => ({ ...h })) };
  if (l.responseStatusCode !== undefined) ir.status = ENVOY_STATUS_CODES[l.responseStatusCode];
  return ir;
}

export function clusterSettings(u: UpstreamTrafficSetting): ClusterSettingsIR | undefined {
  const { tcp, http } = u.connectionSettings;
  if (!tcp && !http) return undefined;
  const s: ClusterSettingsIR = { from: keyOf(u) };
  if (tcp?.maxConnections !== undefined) s.maxConnections = tcp.maxConnections;
  if (tcp?.connectTimeout) s.connectTimeout = envoyDuration(tcp.connectTimeout);
  if (http?.maxRequests !== undefined) s.maxRequests = http.maxRequests;
  if (http?.maxPendingRequests !== undefined) s.maxPendingRequests = http.maxPendingRequests;
  if (http?.maxRetries !== undefined) s.maxRetries = http.maxRetries;
  if (http?.maxRequestsPerConnection !== undefined) s.maxRequestsPerConnection = http.maxRequestsPerConnection;
  return s;
}

function rateLimit(u: UpstreamTrafficSetting): RateLimitIR | undefined {
  const rl: RateLimitIR = { from: keyOf(u), routes: [] };
  if (u.rateLimit.tcp) rl.tcp = bucket(u.rateLimit.tcp.connections, u.rateLimit.tcp.burst, u.rateLimit.tcp.unit);
  if (u.rateLimit.http) rl.http = httpLimit(u.rateLimit.http);
  for (const r of u.httpRoutes) if (r.rateLimit) rl.routes.push({ path: r.path, limit: httpLimit(r.rateLimit) });
  return rl.tcp || rl.http || rl.routes.length > 0 ? rl : undefined;
}

/** UpstreamTrafficSettings by the Service key ('ns/name') their host names, first by namespace/name. */
function settingsByService(ctx: BuildContext): Map<string, UpstreamTrafficSetting> {
  const out = new Map<string, UpstreamTrafficSetting>();
  const suffix = `.svc.${ctx.options.clusterDomain}`;
  for (const u of [...ctx.mesh.upstreamTrafficSettings].sort((a, b) => cmp(keyOf(a), keyOf(b)))) {
    const host = u.host.toLowerCase();
    if (!host.endsWith(suffix)) continue;
    const [name, namespace, ...rest] = host.slice(0, -suffix.length).split('.');
    if (rest.length > 0 || namespace !== u.meta.namespace || !name) continue;
    const key = `${namespace}/${name}`;
    if (!out.has(key)) out.set(key, u);
  }
  return out;
}

export function applyOsmPolicies(ctx: BuildContext, nodes: ProxyIR[]): void {
  const osm = ctx.options.osm;
  if (!osm || osm.features.enableRetryPolicy) {
    const retries = new Map<string, RetryIR>();
    for (const r of [...ctx.mesh.retries].sort((a, b) => cmp(keyOf(a), keyOf(b)))) {
      if (r.source.kind !== 'ServiceAccount') continue;
      for (const d of r.destinations) {
        const key = `${r.source.namespace}/${r.source.name}>${d.namespace}/${d.name}`;
        if (d.kind === 'Service' && !retries.has(key)) retries.set(key, retryIR(r));
      }
    }
    if (retries.size > 0) {
      for (const node of nodes) {
        for (const e of node.outbound) {
          const retry = e.protocol !== 'tcp' ? retries.get(`${node.identity}>${e.service}`) : undefined;
          if (retry) e.retry = retry;
        }
      }
    }
  }
  const settings = settingsByService(ctx);
  if (settings.size === 0) return;
  for (const c of ctx.clusters.values()) {
    const u = settings.get(c.service);
    const s = u ? clusterSettings(u) : undefined;
    if (s) c.settings = s;
  }
  for (const node of nodes) {
    for (const p of node.inbound) {
      const u = p.services.map((s) => settings.get(s.service)).find((x) => x !== undefined);
      const rl = u ? rateLimit(u) : undefined;
      if (rl) p.rateLimit = rl;
    }
  }
}
