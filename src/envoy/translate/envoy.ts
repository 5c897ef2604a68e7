/**
 * Per-proxy IR → xDS resources for Envoy sidecars (`--target envoy`).
 *
 * Listeners: `inbound-listener` (mTLS, RBAC on SPIFFE principals, one filter
 * chain per target port), `outbound-listener` (one HTTP chain per port routed
 * by Host, one TCP chain per TCP service port matched by destination IP), and
 * `stats-listener` (only /stats/prometheus of the admin interface), and the
 * plaintext probe listeners of rewritten kubelet probes (probes.ts).
 * Every resource is built from the IR alone; shared clusters are built once.
 */
import type { ClusterIR, InboundPortIR, MeshIR, OutboundPortIR, OutboundRouteIR, ProxyIR, RetryIR, TranslateOptions } from './ir.ts';
import {
  CLUSTER_ADMIN, inboundRouteName, LISTENER_INBOUND, LISTENER_OUTBOUND, LISTENER_STATS, localClusterName, outboundRouteName,
  spiffeId, statToken,
} from './names.ts';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, HTTP_RBAC_TYPE_URL, LISTENER_TYPE_URL, NETWORK_RBAC_TYPE_URL, ORIGINAL_DST_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, TCP_PROXY_TYPE_URL, TLS_INSPECTOR_TYPE_URL,
} from '../protos/type-urls.ts';
import {
  adsConfigSource, cidr, CONNECT_TIMEOUT, downstreamProtocolOptions, downstreamTls, http2Options, localityEndpoints, rbacPermission, rbacPrincipal, routeMatch, routerFilter, singleEndpoint, socketAddress, sortedRecord, upstreamTls, type Json,
} from './shapes.ts';
import { secretResources } from './secrets.ts';
import { passthroughChain, passthroughCluster, tlsParams } from './mesh-config.ts';
import { accessLogs } from './access-log.ts';
import { hcmTracing, tracingCluster } from './tracing.ts';
import { policyActionFields, policyHeaderFields } from './route-policy.ts';
import { egressResources } from './egress.ts';
import { ingressChain, ingressRoute } from './ingress.ts';
import { activeHealthChecksOn, clusterHealthChecks, healthCheckFilter } from './active-health.ts';
import { applyClusterSettings, httpRateLimitFilter, httpRateLimitPerRoute, tcpRateLimitFilter } from './upstream-settings.ts';

/** What every HTTP connection manager of a sidecar carries besides its routes: the access log and tracing. */
function hcmInsights(options: TranslateOptions): Json {
  const logs = accessLogs(options.accessLog);
  return { ...(logs.length > 0 ? { access_log: logs } : {}), ...hcmTracing(options.osm) };
}
import { probeResources } from './probes.ts';
import { circuitBreakers as defaultCircuitBreakers, duration, outlierDetection, type ClusterSettings } from './cluster-defaults.ts';

export interface NodeResources {
  listeners: Json[];
  routes: Json[];
  clusters: Json[];
  endpoints: Json[];
  /** SDS: the certificate and trust anchors the TLS contexts name (secrets.ts). */
  secrets: Json[];
}

// ---------------------------------------------------------------- inbound

function rbacRules(port: InboundPortIR, options: TranslateOptions): Json {
  const policies = port.policies.map((p): [string, Json] => [p.name, {
    permissions: p.permissions === 'all' ? [{ any: true }] : p.permissions.map(rbacPermission),
    principals: p.principals.map((id) => rbacPrincipal(spiffeId(options.trustDomain, id))),
  }]);
  // ALLOW with no policies denies everything: SMI is deny-by-default.
  return { action: 'ALLOW', policies: sortedRecord(policies) };
}

function inboundChain(port: InboundPortIR, options: TranslateOptions): Json {
  const filters: Json[] = [];
  const stat = `inbound_${port.targetPort}`;
  // UpstreamTrafficSetting rateLimit.local.tcp limits connections on every in-mesh chain, HTTP ones too (as OSM).
  const tcpLimit = port.rateLimit?.tcp ? [tcpRateLimitFilter(port.rateLimit.tcp, stat)] : [];
  if (port.protocol === 'tcp') {
    if (!options.permissive) {
      filters.push({ name: 'envoy.filters.network.rbac', typed_config: { '@type': NETWORK_RBAC_TYPE_URL, rules: rbacRules(port, options), stat_prefix: `${stat}.` } });
    }
    filters.push(...tcpLimit);
    filters.push({ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE_URL, stat_prefix: stat, cluster: localClusterName(port.targetPort) } });
  } else {
    filters.push(...tcpLimit);
    // MeshConfig enableEnvoyActiveHealthChecks: the sidecar answers its clients' checks, before RBAC (active-health.ts).
    const httpFilters: Json[] = activeHealthChecksOn(options.osm) ? [healthCheckFilter()] : [];
    if (!options.permissive) httpFilters.push({ name: 'envoy.filters.http.rbac', typed_config: { '@type': HTTP_RBAC_TYPE_URL, rules: rbacRules(port, options) } });
    if (port.rateLimit && (port.rateLimit.http || port.rateLimit.routes.length > 0)) httpFilters.push(httpRateLimitFilter(stat));
    httpFilters.push(routerFilter());
    filters.push({
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: stat, codec_type: 'AUTO',
        rds: { config_source: adsConfigSource(), route_config_name: inboundRouteName(port.targetPort) },
        http_filters: httpFilters,
        ...hcmInsights(options),
        // The application learns the caller's SPIFFE id from x-forwarded-client-cert.
        forward_client_cert_details: 'SANITIZE_SET', set_current_client_cert_details: { uri: true },
      },
    });
  }
  return {
    name: `inbound_${port.targetPort}_${port.protocol}`,
    filter_chain_match: { destination_port: port.targetPort, transport_protocol: 'tls' },
    filters,
    transport_socket: downstreamTls(options.sds, tlsParams(options.osm)),
  };
}

function inboundRoute(port: InboundPortIR): Json {
  const cluster = localClusterName(port.targetPort);
  const stat = `inbound_${port.targetPort}`;
  const rl = port.rateLimit;
  const routes: Json[] = port.routes === 'all'
    ? [{ match: { prefix: '/' }, route: { cluster, timeout: '0s' } }]
    : port.routes.map((m) => {
      const route: Json = { name: m.name, match: routeMatch(m), route: { cluster, timeout: '0s' } };
      // UpstreamTrafficSetting httpRoutes: a limit for the route whose path regex is exactly `path` (as OSM).
      const limit = rl?.routes.find((r) => r.path === m.pathRegex);
      if (limit) route.typed_per_filter_config = httpRateLimitPerRoute(limit.limit, stat);
      return route;
    });
  const vhost: Json = { name: `inbound|${port.targetPort}`, domains: ['*'], routes };
  if (rl?.http) vhost.typed_per_filter_config = httpRateLimitPerRoute(rl.http, stat);
  return { '@type': ROUTE_CONFIGURATION_TYPE_URL, name: inboundRouteName(port.targetPort), virtual_hosts: [vhost] };
}

function localCluster(port: InboundPortIR, settings: ClusterSettings): Json {
  const name = localClusterName(port.targetPort);
  const c: Json = {
    '@type': CLUSTER_TYPE_URL, name, type: 'STATIC', connect_timeout: duration(settings.connectTimeoutMs),
    load_assignment: singleEndpoint(name, '127.0.0.1', port.targetPort),
    // Every caller of the pod funnels into this one cluster: Envoy's default limits would overflow first here.
    circuit_breakers: defaultCircuitBreakers(settings.circuitBreakers),
  };
  if (port.protocol === 'grpc') c.typed_extension_protocol_options = http2Options();
  return c;
}

// ---------------------------------------------------------------- outbound

/**
 * A client-side route's action; `timeout` is --route-timeout ('0s' = none), unless the route has its own (Gateway
 * API `timeouts.request`); with the route's per-try timeout, the Retry policy and the mirrors (route-policy.ts).
 */
export function routeAction(r: OutboundRouteIR, timeout: string, retry?: RetryIR): Json {
  const fields = policyActionFields(r, timeout, retry);
  if (r.targets.length === 1) return { cluster: r.targets[0].cluster, ...fields };
  // No total_weight: the weights are relative (deprecated field; see xds-protocol.md 8.8).
  return { weighted_clusters: { clusters: r.targets.map((t) => ({ name: t.cluster, weight: t.weight })) }, ...fields };
}

function outboundRoute(port: number, entries: OutboundPortIR[], timeout: string): Json {
  return {
    '@type': ROUTE_CONFIGURATION_TYPE_URL, name: outboundRouteName(port),
    virtual_hosts: entries.map((e) => ({
      name: `${e.service}|${e.port}`, domains: e.hostnames,
      routes: e.routes.map((r): Json => {
        const head = r.match ? { name: r.match.name, match: routeMatch(r.match) } : { match: routeMatch(r.match) };
        // A Gateway API rule none of whose backends this client can use: its requests fail (500), never fall through.
        if (r.targets.length === 0) return { ...head, direct_response: { status: 500 } };
        const action = routeAction(r, timeout, e.retry);
        return { ...head, route: action, ...policyHeaderFields(r) };
      }),
    })),
  };
}

function outboundHttpChain(port: number, options: TranslateOptions): Json {
  return {
    name: `outbound_${port}_http`,
    filter_chain_match: { destination_port: port },
    filters: [{
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: `outbound_${port}`, codec_type: 'AUTO',
        rds: { config_source: adsConfigSource(), route_config_name: outboundRouteName(port) },
        http_filters: [routerFilter()],
        ...hcmInsights(options),
      },
    }],
  };
}

function outboundTcpChain(e: OutboundPortIR): Json {
  const r = e.routes[0];
  const proxy: Json = { '@type': TCP_PROXY_TYPE_URL, stat_prefix: `outbound_${statToken(e.service)}_${e.port}` };
  if (r.targets.length === 1) proxy.cluster = r.targets[0].cluster;
  else proxy.weighted_clusters = { clusters: r.targets.map((t) => ({ name: t.cluster, weight: t.weight })) };
  const match: Json = { destination_port: e.port };
  if (e.destinationIPs.length > 0) match.prefix_ranges = e.destinationIPs.map(cidr);
  return {
    name: `outbound_${e.service}_${e.port}_tcp`,
    filter_chain_match: match,
    filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: proxy }],
  };
}

// ---------------------------------------------------------------- clusters

/** The Cluster and (for EDS) ClusterLoadAssignment of one Service port, as an Envoy sidecar dials it. */
export function upstreamCluster(c: ClusterIR, options: TranslateOptions): { cluster: Json; endpoints: Json | null } {
  const cluster: Json = { '@type': CLUSTER_TYPE_URL, name: c.name };
  if (c.localities !== null) {
    cluster.type = 'EDS';
    cluster.eds_cluster_config = { eds_config: adsConfigSource(), service_name: c.name };
  } else {
    cluster.type = 'STRICT_DNS';
    cluster.load_assignment = singleEndpoint(c.name, c.dns.host, c.dns.port);
  }
  const settings = options.cluster;
  cluster.connect_timeout = duration(settings.connectTimeoutMs);
  cluster.circuit_breakers = defaultCircuitBreakers(settings.circuitBreakers);
  // Only known endpoints can be ejected one by one (cluster-defaults.ts).
  const outlier = c.localities !== null ? outlierDetection(settings.ejectAfter) : undefined;
  if (outlier) cluster.outlier_detection = outlier;
  cluster.transport_socket = upstreamTls(options.sds, c.sni, c.peerIds, tlsParams(options.osm));
  if (c.protocol === 'grpc') cluster.typed_extension_protocol_options = http2Options();
  else if (c.protocol === 'http') cluster.typed_extension_protocol_options = downstreamProtocolOptions();
  if (c.settings) applyClusterSettings(cluster, c.settings);
  if (c.protocol !== 'tcp' && activeHealthChecksOn(options.osm)) cluster.health_checks = clusterHealthChecks(c.sni);
  const endpoints = c.localities === null ? null : {
    '@type': CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, cluster_name: c.name,
    endpoints: c.localities.map((l) => localityEndpoints(l.zone, l.endpoints)),
  };
  return { cluster, endpoints };
}

function statsListener(options: TranslateOptions): Json {
  return {
    '@type': LISTENER_TYPE_URL, name: LISTENER_STATS, address: socketAddress('0.0.0.0', options.ports.stats),
    filter_chains: [{
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: {
          '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: 'stats', codec_type: 'AUTO',
          route_config: {
            name: 'stats',
            virtual_hosts: [{ name: 'stats', domains: ['*'], routes: [{ match: { prefix: '/stats/prometheus' }, route: { cluster: CLUSTER_ADMIN } }] }],
          },
          http_filters: [routerFilter()],
        },
      }],
    }],
  };
}

function adminCluster(options: TranslateOptions): Json {
  return {
    '@type': CLUSTER_TYPE_URL, name: CLUSTER_ADMIN, type: 'STATIC', connect_timeout: CONNECT_TIMEOUT,
    load_assignment: singleEndpoint(CLUSTER_ADMIN, '127.0.0.1', options.ports.admin),
  };
}

const byName = (a: Json, b: Json) => {
  const x = String(a.name ?? a.cluster_name);
  const y = String(b.name ?? b.cluster_name);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Shared per-compile cache: a Service port's Cluster/CLA objects are built once, and so are the resources that are
 * the same on every node (stats listener, admin cluster, Secrets, the local cluster of a target port): one object
 * each, which the encoder then reads, hashes and encodes once (src/snapshot/encode.ts caches by object).
 */
export class ClusterCache {
  private readonly built = new Map<string, { cluster: Json; endpoints: Json | null }>();
  private readonly shared = new Map<string, unknown>();
  constructor(private readonly ir: MeshIR) {}

  /** The resource(s) `build` makes, built on the first call with this key; never modified by the callers. */
  common<T>(key: string, build: () => T): T {
    if (!this.shared.has(key)) this.shared.set(key, build());
    return this.shared.get(key) as T;
  }
  get(name: string): { cluster: Json; endpoints: Json | null } {
    let b = this.built.get(name);
    if (!b) {
      b = upstreamCluster(this.ir.clusters.get(name)!, this.ir.options);
      this.built.set(name, b);
    }
    return b;
  }
}

export function envoyResources(node: ProxyIR, ir: MeshIR, cache: ClusterCache): NodeResources {
  const options = ir.options;
  const listeners: Json[] = [cache.common('stats-listener', () => statsListener(options))];
  const routes: Json[] = [];
  const clusters: Json[] = [cache.common('admin-cluster', () => adminCluster(options))];
  const tracing = cache.common('tracing-cluster', () => tracingCluster(options.osm));
  if (tracing) clusters.push(tracing);
  const endpoints: Json[] = [];

  if (node.inbound.length > 0) {
    listeners.push({
      '@type': LISTENER_TYPE_URL, name: LISTENER_INBOUND, address: socketAddress('0.0.0.0', options.ports.inbound),
      traffic_direction: 'INBOUND',
      listener_filters: [
        { name: 'envoy.filters.listener.original_dst', typed_config: { '@type': ORIGINAL_DST_TYPE_URL } },
        { name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TLS_INSPECTOR_TYPE_URL } },
      ],
      // IngressBackend chains sit beside the mesh's own (ingress.ts); they route to the same local clusters.
      filter_chains: [...node.inbound.map((p) => inboundChain(p, options)), ...(node.ingress ?? []).map((i) => ingressChain(i, options, hcmInsights(options)))],
    });
    for (const p of node.inbound) {
      if (p.protocol !== 'tcp') routes.push(inboundRoute(p));
      clusters.push(cache.common(`local-cluster ${p.targetPort} ${p.protocol}`, () => localCluster(p, options.cluster)));
    }
    for (const i of node.ingress ?? []) routes.push(ingressRoute(i));
  }

  const passthrough = options.osm?.egressPassthrough === true;
  if (node.outbound.length > 0 || passthrough || node.egress) {
    const chains: Json[] = [];
    const httpByPort = new Map<number, OutboundPortIR[]>();
    const used = new Set<string>();
    for (const e of node.outbound) {
      for (const r of e.routes) for (const t of [...r.targets, ...(r.mirrors ?? [])]) used.add(t.cluster);
      if (e.protocol === 'tcp') chains.push(outboundTcpChain(e));
      else {
        const list = httpByPort.get(e.port);
        if (list) list.push(e);
        else httpByPort.set(e.port, [e]);
      }
    }
    const egress = node.egress
      ? egressResources(node.egress, new Set(httpByPort.keys()), new Map([...httpByPort].map(([port, es]) => [port, new Set(es.flatMap((e) => e.hostnames))])), hcmInsights(options))
      : undefined;
    for (const [port, entries] of [...httpByPort].sort(([a], [b]) => a - b)) {
      chains.push(outboundHttpChain(port, options));
      const route = outboundRoute(port, entries, duration(options.cluster.routeTimeoutMs));
      // Egress HTTP hosts on a port of the mesh's own HTTP routing join its route configuration.
      const extra = egress?.vhostsByPort.get(port);
      if (extra) route.virtual_hosts = [...(route.virtual_hosts as Json[]), ...extra];
      routes.push(route);
    }
    if (egress) {
      chains.push(...egress.chains);
      routes.push(...egress.routes);
      clusters.push(...egress.clusters);
    }
    chains.sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
    const listenerFilters: Json[] = [{ name: 'envoy.filters.listener.original_dst', typed_config: { '@type': ORIGINAL_DST_TYPE_URL } }];
    // Egress by TLS server name needs the SNI of the ClientHello.
    if (egress?.sni) listenerFilters.push({ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TLS_INSPECTOR_TYPE_URL } });
    const outbound: Json = {
      '@type': LISTENER_TYPE_URL, name: LISTENER_OUTBOUND, address: socketAddress('0.0.0.0', options.ports.outbound),
      traffic_direction: 'OUTBOUND',
      listener_filters: listenerFilters,
      filter_chains: chains,
    };
    if (passthrough) {
      // Global egress (MeshConfig traffic.enableEgress): what no chain matches leaves the mesh as it was addressed.
      outbound.default_filter_chain = passthroughChain();
      clusters.push(passthroughCluster());
    }
    listeners.push(outbound);
    for (const name of used) {
      const b = cache.get(name);
      clusters.push(b.cluster);
      if (b.endpoints) endpoints.push(b.endpoints);
    }
  }
  const probes = probeResources(node.probes);
  listeners.push(...probes.listeners);
  clusters.push(...probes.clusters);
  return {
    listeners: listeners.sort(byName), routes: routes.sort(byName), clusters: clusters.sort(byName), endpoints: endpoints.sort(byName),
    secrets: [...cache.common('secrets', () => secretResources(options.tls))],
  };
}
