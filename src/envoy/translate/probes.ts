/**
 * The sidecar's plaintext probe listeners (IR `probes`, ir-builder/probes.ts), as Open Service Mesh compiles them:
 * `<kind>-probe-listener` on 15901/15902/15903. HTTP probes are routed by their rewritten path
 * (`/meshc-<kind>-probe/<container>`, exact) with `prefix_rewrite` back to the original path, a gRPC health check
 * by its fixed path prefix; both with the probe's timeout. An HTTPS probe is passed through as TCP: the kubelet's
 * TLS reaches the application as before. Clusters: `probe|<port>` (127.0.0.1, HTTP/1.1 or raw TCP) and
 * `probe|<port>|h2` (HTTP/2, gRPC).
 */
import type { ProbeIR } from './ir.ts';
import { HTTP_CONNECTION_MANAGER_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, TCP_PROXY_TYPE_URL } from '../protos/type-urls.ts';
import { CONNECT_TIMEOUT, http2Options, routerFilter, singleEndpoint, socketAddress, type Json } from './shapes.ts';

export const probeListenerName = (kind: string) => `${kind}-probe-listener`;
export const probeClusterName = (p: ProbeIR) => (p.scheme === 'GRPC' ? `probe|${p.appPort}|h2` : `probe|${p.appPort}`);

function route(p: ProbeIR): Json {
  const timeout = `${p.timeoutSeconds}s`;
  if (p.scheme === 'GRPC') return { match: { prefix: '/grpc.health.v1.Health/' }, route: { cluster: probeClusterName(p), timeout } };
  return { match: { path: p.probePath }, route: { cluster: probeClusterName(p), prefix_rewrite: p.path, timeout } };
}

function listener(kind: string, probes: ProbeIR[]): Json {
  const first = probes[0];
  const stat = `${kind}_probe`;
  const filter: Json = first.scheme === 'HTTPS'
    ? { name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE_URL, stat_prefix: stat, cluster: probeClusterName(first) } }
    : {
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: stat, codec_type: 'AUTO',
        route_config: { name: stat, virtual_hosts: [{ name: stat, domains: ['*'], routes: probes.map(route) }] },
        http_filters: [routerFilter()],
      },
    };
  return {
    '@type': LISTENER_TYPE_URL, name: probeListenerName(kind), address: socketAddress('0.0.0.0', first.listenerPort),
    filter_chains: [{ filters: [filter] }],
  };
}

function cluster(p: ProbeIR): Json {
  const name = probeClusterName(p);
  const c: Json = { '@type': CLUSTER_TYPE_URL, name, type: 'STATIC', connect_timeout: CONNECT_TIMEOUT, load_assignment: singleEndpoint(name, '127.0.0.1', p.appPort) };
  if (p.scheme === 'GRPC') c.typed_extension_protocol_options = http2Options();
  return c;
}

/** The probe listeners and their clusters of one node (unsorted; the caller sorts by name). */
export function probeResources(probes: ProbeIR[]): { listeners: Json[]; clusters: Json[] } {
  const byKind = new Map<string, ProbeIR[]>();
  for (const p of probes) {
    const list = byKind.get(p.kind);
    if (list) list.push(p);
    else byKind.set(p.kind, [p]);
  }
  const clusters = new Map<string, Json>();
  for (const p of probes) if (!clusters.has(probeClusterName(p))) clusters.set(probeClusterName(p), cluster(p));
  return { listeners: [...byKind].map(([kind, list]) => listener(kind, list)), clusters: [...clusters.values()] };
}
