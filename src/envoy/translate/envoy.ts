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
import type { ClusterIR, InboundPortIR, MeshIR, OutboundPortIR, OutboundRouteIR, ProxyIR, TranslateOptions } from './ir.ts';
import {
  CLUSTER_ADMIN, inboundRouteName, LISTENER_INBOUND, LISTENER_OUTBOUND, LISTENER_STATS, localClusterName, outboundRouteName,
  spiffeId, statToken,
} from './names.ts';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, HTTP_RBAC_TYPE_URL, LISTENER_TYPE_URL, NETWORK_RBAC_TYPE_URL, ORIGINAL_DST_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, TCP_PROXY_TYPE_URL, TLS_INSPECTOR_TYPE_URL,
} from '../protos/type-urls.ts';
import {
  adsConfigSource, cidr, CONNECT_TIMEOUT, downstreamProtocolOptions, downstreamTls, http2Options, localityEndpoints, rbacPermission,
  rbacPrincipal, routeMatch, routerFilter, singleEndpoint, socketAddress, sortedRecord, upstreamTls, type Json,
} from './shapes.ts';
import { secretResources } from './secrets.ts';
import { probeResources } from './probes.ts';
import { circuitBreakers, duration, outlierDetection, type ClusterSettings } from './cluster-defaults.ts';

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
  if (port.protocol === 'tcp') {
    if (!options.permissive) {
      filters.push({ name: 'envoy.filters.network.rbac', typed_config: { '@type': NETWORK_RBAC_TYPE_URL, rules: rbacRules(port, options), stat_prefix: `${stat}.` } });
    }
    filters.push({ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE_URL, stat_prefix: stat, cluster: localClusterName(port.targetPort) } });
  } else {
    const httpFilters: Json[] = [];
    if (!options.permissive) httpFilters.push({ name: 'envoy.filters.http.rbac', typed_config: { '@type': HTTP_RBAC_TYPE_URL, rules: rbacRules(port, options) } });
    httpFilters.push(routerFilter());
    filters.push({
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: stat, codec_type: 'AUTO',
        rds: { config_source: adsConfigSource(), route_config_name: inboundRouteName(port.targetPort) },
        http_filters: httpFilters,
        // The application learns the caller's SPIFFE id from x-forwarded-client-cert.
        forward_client_cert_details: 'SANITIZE_SET', set_current_client_cert_details: { uri: true },
      },
    });
  }
  return {
    name: `inbound_${port.targetPort}_${port.protocol}`,
    filter_chain_match: { destination_port: port.targetPort, transport_protocol: 'tls' },
    filters,
    transport_socket: downstreamTls(options.sds),
  };
}

function inboundRoute(port: InboundPortIR): Json {
  const cluster = localClusterName(port.targetPort);
  const routes = port.routes === 'all'
    ? [{ match: { prefix: '/' }, route: { cluster, timeout: '0s' } }]
    : port.routes.map((m) => ({ name: m.name, match: routeMatch(m), route: { cluster, timeout: '0s' } }));
  return {
    '@type': ROUTE_CONFIGURATION_TYPE_URL, name: inboundRouteName(port.targetPort),
    virtual_hosts: [{ name: `inbound|${port.targetPort}`, domains: ['*'], routes }],
  };
}

function localCluster(port: InboundPortIR, settings: ClusterSettings): Json {
  const name = localClusterName(port.targetPort);
  const c: Json = {
    '@type': CLUSTER_TYPE_URL, name, type: 'STATIC', connect_timeout: duration(settings.connectTimeoutMs),
    load_assignment: singleEndpoint(name, '127.0.0.1', port.targetPort),
    // Every caller of the pod funnels into this one cluster: Envoy's default limits would overflow first here.
    circuit_breakers: circuitBreakers(settings.circuitBreakers),
  };
  if (port.protocol === 'grpc') c.typed_extension_protocol_options = http2Options();
  return c;
}

// ---------------------------------------------------------------- outbound

/** A client-side route's action; `timeout` is --route-timeout ('0s' = none). */
export function routeAction(r: OutboundRouteIR, timeout: string): Json {
  if (r.targets.length === 1) return { cluster: r.targets[0].cluster, timeout };
  // No total_weight: the weights are relative (deprecated field; see xds-protocol.md 8.8).
  return { weighted_clusters: { clusters: r.targets.map((t) => ({ name: t.cluster, weight: t.weight })) }, timeout };
}

function outboundRoute(port: number, entries: OutboundPortIR[], timeout: string): Json {
  return {
    '@type': ROUTE_CONFIGURATION_TYPE_URL, name: outboundRouteName(port),
    virtual_hosts: entries.map((e) => ({
      name: `${e.service}|${e.port}`, domains: e.hostnames,
      routes: e.routes.map((r): Json => (r.match
        ? { name: r.match.name, match: routeMatch(r.match), route: routeAction(r, timeout) }
        : { match: routeMatch(r.match), route: routeAction(r, timeout) })),
    })),
  };
}

function outboundHttpChain(port: number): Json {
  return {
    name: `outbound_${port}_http`,
    filter_chain_match: { destination_port: port },
    filters: [{
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: `outbound_${port}`, codec_type: 'AUTO',
        rds: { config_source: adsConfigSource(), route_config_name: outboundRouteName(port) },
        http_filters: [routerFilter()],
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
  cluster.circuit_breakers = circuitBreakers(settings.circuitBreakers);
  // Only known endpoints can be ejected one by one (cluster-defaults.ts).
  const outlier = c.localities !== null ? outlierDetection(settings.ejectAfter) : undefined;
  if (outlier) cluster.outlier_detection = outlier;
  cluster.transport_socket = upstreamTls(options.sds, c.sni, c.peerIds);
  if (c.protocol === 'grpc') cluster.typed_extension_protocol_options = http2Options();
  else if (c.protocol === 'http') cluster.typed_extension_protocol_options = downstreamProtocolOptions();
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

/** Shared per-compile cache: a Service port's Cluster/CLA objects are built once. */
export class ClusterCache {
  private readonly built = new Map<string, { cluster: Json; endpoints: Json | null }>();
  constructor(private readonly ir: MeshIR) {}
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
  const listeners: Json[] = [statsListener(options)];
  const routes: Json[] = [];
  const clusters: Json[] = [adminCluster(options)];
  const endpoints: Json[] = [];

  if (node.inbound.length > 0) {
    listeners.push({
      '@type': LISTENER_TYPE_URL, name: LISTENER_INBOUND, address: socketAddress('0.0.0.0', options.ports.inbound),
      traffic_direction: 'INBOUND',
      listener_filters: [
        { name: 'envoy.filters.listener.original_dst', typed_config: { '@type': ORIGINAL_DST_TYPE_URL } },
        { name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TLS_INSPECTOR_TYPE_URL } },
      ],
      filter_chains: node.inbound.map((p) => inboundChain(p, options)),
    });
    for (const p of node.inbound) {
      if (p.protocol !== 'tcp') routes.push(inboundRoute(p));
      clusters.push(localCluster(p, options.cluster));
    }
  }

  if (node.outbound.length > 0) {
    const chains: Json[] = [];
    const httpByPort = new Map<number, OutboundPortIR[]>();
    const used = new Set<string>();
    for (const e of node.outbound) {
      for (const r of e.routes) for (const t of r.targets) used.add(t.cluster);
      if (e.protocol === 'tcp') chains.push(outboundTcpChain(e));
      else {
        const list = httpByPort.get(e.port);
        if (list) list.push(e);
        else httpByPort.set(e.port, [e]);
      }
    }
    for (const [port, entries] of [...httpByPort].sort(([a], [b]) => a - b)) {
      chains.push(outboundHttpChain(port));
      routes.push(outboundRoute(port, entries, duration(options.cluster.routeTimeoutMs)));
    }
    chains.sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
    listeners.push({
      '@type': LISTENER_TYPE_URL, name: LISTENER_OUTBOUND, address: socketAddress('0.0.0.0', options.ports.outbound),
      traffic_direction: 'OUTBOUND',
      listener_filters: [{ name: 'envoy.filters.listener.original_dst', typed_config: { '@type': ORIGINAL_DST_TYPE_URL } }],
      filter_chains: chains,
    });
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
    secrets: secretResources(options.tls),
  };
}
