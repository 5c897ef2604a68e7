/**
 * Per-proxy IR → xDS resources for proxyless gRPC clients (`--target grpc`,
 * @grpc/grpc-js-xds ≥ 1.14.1; xds-protocol.md section 8):
 *
 * - one Listener per reachable HTTP/gRPC service port, named
 *   `NAME.NS.svc.DOMAIN:PORT` (the client dials `xds:///NAME.NS.svc.DOMAIN:PORT`),
 *   whose `api_listener` is an HCM with RDS over ADS and the router filter last;
 * - one RouteConfiguration of the same name; weighted_clusters without
 *   total_weight (sum checked > 0 and ≤ UINT32_MAX by the IR builder);
 * - EDS clusters only (`eds_config.ads`), ROUND_ROBIN, mTLS through the
 *   bootstrap's certificate provider (grpc-security.ts; applied when the
 *   application dials with XdsChannelCredentials);
 * - server Listeners for the workload's own gRPC ports, with RBAC from the
 *   TrafficTargets (grpc-security.ts);
 * - ClusterLoadAssignments with a locality and `load_balancing_weight` on
 *   every endpoint group and IP-literal addresses.
 */
import type { ClusterIR, MeshIR, OutboundPortIR, ProxyIR, TranslateOptions } from './ir.ts';
import { circuitBreakers, duration, type ClusterSettings } from './cluster-defaults.ts';
import { grpcListenerName, serviceFqdn } from './names.ts';
import type { NodeResources } from './envoy.ts';
import { grpcServerListeners, grpcUpstreamTls } from './grpc-security.ts';
import { routeAction } from './envoy.ts';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL,
} from '../protos/type-urls.ts';
import { adsConfigSource, localityEndpoints, routeMatch, routerFilter, type Json } from './shapes.ts';

function listener(name: string): Json {
  return {
    '@type': LISTENER_TYPE_URL, name,
    api_listener: {
      api_listener: {
        '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: name,
        rds: { config_source: adsConfigSource(), route_config_name: name },
        http_filters: [routerFilter()],
      },
    },
  };
}

function routes(name: string, e: OutboundPortIR, options: TranslateOptions, used: Set<string>): Json | null {
  const clusterDomain = options.clusterDomain;
  const timeout = duration(options.cluster.routeTimeoutMs);
  const fqdn = serviceFqdn(e.service, clusterDomain);
  const domains = [...new Set([`${fqdn}:${e.port}`, ...e.hostnames])].sort();
  const out: Json[] = [];
  for (const r of e.routes) {
    // gRPC calls are always POST: a method list without POST can never match, one with POST always does.
    if (r.match?.methods && !r.match.methods.includes('POST')) continue;
    const match = routeMatch(r.match, { methods: false });
    // A Gateway API rule with no usable backend: gRPC fails such calls (UNAVAILABLE) on a non-forwarding action.
    if (r.targets.length === 0) {
      out.push({ ...(r.match ? { name: r.match.name } : {}), match, direct_response: { status: 500 } });
      continue;
    }
    const action = routeAction(r, timeout);
    // grpc-js-xds reads a route's deadline from max_stream_duration only (gRFC A31), not from `timeout`.
    if (r.timeout !== undefined) action.max_stream_duration = { max_stream_duration: r.timeout };
    out.push(r.match ? { name: r.match.name, match, route: action } : { match, route: action });
    for (const t of r.targets) used.add(t.cluster);
  }
  if (out.length === 0) return null;
  return { '@type': ROUTE_CONFIGURATION_TYPE_URL, name, virtual_hosts: [{ name: `${e.service}|${e.port}`, domains, routes: out }] };
}

/**
 * gRPC clusters: @grpc/grpc-js-xds honours circuit_breakers' DEFAULT max_requests (gRFC A32). No outlier_detection:
 * gRPC's (A50) knows success-rate and failure-percentage ejection only, not the consecutive-5xx ejection meshc sets.
 */
export function grpcCluster(c: ClusterIR, settings: ClusterSettings): { cluster: Json; endpoints: Json } {
  return {
    cluster: {
      '@type': CLUSTER_TYPE_URL, name: c.name, type: 'EDS',
      eds_cluster_config: { eds_config: adsConfigSource(), service_name: c.name },
      connect_timeout: duration(settings.connectTimeoutMs), lb_policy: 'ROUND_ROBIN',
      circuit_breakers: circuitBreakers(settings.circuitBreakers),
      transport_socket: grpcUpstreamTls(c.peerIds),
    },
    endpoints: {
      '@type': CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, cluster_name: c.name,
      endpoints: (c.localities ?? []).map((l) => localityEndpoints(l.zone, l.endpoints)),
    },
  };
}

export class GrpcClusterCache {
  private readonly built = new Map<string, { cluster: Json; endpoints: Json }>();
  constructor(private readonly ir: MeshIR) {}
  get(name: string): { cluster: Json; endpoints: Json } {
    let b = this.built.get(name);
    if (!b) {
      b = grpcCluster(this.ir.clusters.get(name)!, this.ir.options.cluster);
      this.built.set(name, b);
    }
    return b;
  }
}

const byName = (a: Json, b: Json) => {
  const x = String(a.name ?? a.cluster_name);
  const y = String(b.name ?? b.cluster_name);
  return x < y ? -1 : x > y ? 1 : 0;
};

export function grpcResources(node: ProxyIR, ir: MeshIR, cache: GrpcClusterCache): NodeResources {
  const listeners: Json[] = [];
  const routeConfigs: Json[] = [];
  const used = new Set<string>();
  for (const e of node.outbound) {
    if (e.protocol === 'tcp') continue;
    const name = grpcListenerName(e.service, e.port, ir.options.clusterDomain);
    const rc = routes(name, e, ir.options, used);
    if (!rc) continue;
    listeners.push(listener(name));
    routeConfigs.push(rc);
  }
  listeners.push(...grpcServerListeners(node, ir.options));
  const clusters: Json[] = [];
  const endpoints: Json[] = [];
  for (const name of used) {
    const b = cache.get(name);
    clusters.push(b.cluster);
    endpoints.push(b.endpoints);
  }
  return {
    listeners: listeners.sort(byName), routes: routeConfigs.sort(byName), clusters: clusters.sort(byName), endpoints: endpoints.sort(byName),
    // No SDS: grpc-js-xds takes certificates from its bootstrap's certificate_providers only (xds-protocol.md 8.5).
    secrets: [],
  };
}
