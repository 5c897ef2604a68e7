/**
 * Egress IR → the outbound listener's egress chains, routes and clusters, as
 * OSM built them (osm-translation.md section 13), with one deviation: HTTP
 * egress is routed by Host like meshc's in-mesh HTTP, so on a port that
 * already has an in-mesh HTTP chain its virtual hosts join `rds-outbound.<port>`
 * (no http_inspector and application_protocols match, which would take
 * in-mesh HTTP traffic too); elsewhere a chain `egress-http.<port>` with
 * `rds-egress.<port>`.
 *
 * - http: virtual host `egress_virtual-host|<host>`, domains host and
 *   host:port, routes of the named HTTPRouteGroups (or every request) to the
 *   STRICT_DNS cluster `<host>:<port>` (plain HTTP to the external host);
 * - https: chain `egress-https.<port>` by TLS server name (tls_inspector on
 *   the listener), and `egress-https-ip.<port>` by IP range, tcp_proxy to the
 *   ORIGINAL_DST cluster `<port>`;
 * - tcp: chain `egress-tcp.<port>` by IP range (none: any destination on the port);
 * - the connection settings of the UpstreamTrafficSettings the Egresses name
 *   on the clusters they reach (circuit breakers, connect timeout, and for
 *   http max requests per connection).
 */
import type { EgressIR, HttpMatchIR } from './ir.ts';
import {
  CLUSTER_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, TCP_PROXY_TYPE_URL,
} from '../protos/type-urls.ts';
import {
  CONNECT_TIMEOUT, routeMatch, singleEndpoint, adsConfigSource, routerFilter, type Json,
} from './shapes.ts';
import { applyClusterSettings } from './upstream-settings.ts';

export interface EgressOut {
  chains: Json[];
  /** New route configurations (`rds-egress.<port>`). */
  routes: Json[];
  /** Virtual hosts to add to the in-mesh `rds-outbound.<port>`, by port. */
  vhostsByPort: Map<number, Json[]>;
  clusters: Json[];
  /** A chain matches TLS server names: the listener needs tls_inspector. */
  sni: boolean;
}

const range = (r: string) => {
  const [address, len] = r.split('/');
  return { address_prefix: address, prefix_len: Number(len) };
};

function vhost(host: string, port: number, routes: 'all' | HttpMatchIR[]): Json {
  const cluster = `${host}:${port}`;
  const action = { cluster, timeout: '0s' };
  return {
    name: `egress_virtual-host|${host}`, domains: [host, `${host}:${port}`],
    routes: routes === 'all' ? [{ match: { prefix: '/' }, route: action }] : routes.map((m) => ({ name: m.name, match: routeMatch(m), route: action })),
  };
}

function tcpChain(name: string, match: Json, port: number): Json {
  return { name, filter_chain_match: match, filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE_URL, stat_prefix: name, cluster: String(port) } }] };
}

/** `meshHttpPorts`: ports with an in-mesh HTTP chain; `meshDomains`: the domains of their route configurations. */
export function egressResources(e: EgressIR, meshHttpPorts: Set<number>, meshDomains: Map<number, Set<string>>, hcmExtra: Json): EgressOut {
  const out: EgressOut = { chains: [], routes: [], vhostsByPort: new Map(), clusters: [], sni: false };
  const originalDst = new Set<number>();
  for (const p of e.http) {
    const taken = meshDomains.get(p.port) ?? new Set();
    // A host that is also an in-mesh name stays in-mesh (check reports it, MESH1124): Envoy refuses duplicate domains.
    const hosts = p.hosts.filter((h) => !taken.has(h.host) && !taken.has(`${h.host}:${p.port}`));
    if (hosts.length === 0) continue;
    for (const h of hosts) {
      const name = `${h.host}:${p.port}`;
      const cluster: Json = { '@type': CLUSTER_TYPE_URL, name, type: 'STRICT_DNS', connect_timeout: CONNECT_TIMEOUT, load_assignment: singleEndpoint(name, h.host, p.port) };
      const settings = e.clusterSettings?.[name];
      if (settings) applyClusterSettings(cluster, settings, true);
      out.clusters.push(cluster);
    }
    const vhosts = hosts.map((h) => vhost(h.host, p.port, h.routes));
    if (meshHttpPorts.has(p.port)) {
      out.vhostsByPort.set(p.port, vhosts);
      continue;
    }
    const rds = `rds-egress.${p.port}`;
    out.routes.push({ '@type': ROUTE_CONFIGURATION_TYPE_URL, name: rds, virtual_hosts: vhosts });
    out.chains.push({
      name: `egress-http.${p.port}`,
      filter_chain_match: { destination_port: p.port },
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: { '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: `egress-http.${p.port}`, codec_type: 'AUTO', rds: { config_source: adsConfigSource(), route_config_name: rds }, http_filters: [routerFilter()], ...hcmExtra },
      }],
    });
  }
  for (const p of e.https) {
    if (p.serverNames.length > 0) {
      out.chains.push(tcpChain(`egress-https.${p.port}`, { destination_port: p.port, server_names: p.serverNames }, p.port));
      out.sni = true;
    }
    if (p.ranges.length > 0) out.chains.push(tcpChain(`egress-https-ip.${p.port}`, { destination_port: p.port, prefix_ranges: p.ranges.map(range) }, p.port));
    if (p.serverNames.length === 0 && p.ranges.length === 0) out.chains.push(tcpChain(`egress-https.${p.port}`, { destination_port: p.port }, p.port));
    originalDst.add(p.port);
  }
  for (const p of e.tcp) {
    const match: Json = { destination_port: p.port };
    if (p.ranges.length > 0) match.prefix_ranges = p.ranges.map(range);
    out.chains.push(tcpChain(`egress-tcp.${p.port}`, match, p.port));
    originalDst.add(p.port);
  }
  for (const port of [...originalDst].sort((a, b) => a - b)) {
    const cluster: Json = { '@type': CLUSTER_TYPE_URL, name: String(port), type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED', connect_timeout: CONNECT_TIMEOUT };
    const settings = e.clusterSettings?.[String(port)];
    if (settings) applyClusterSettings(cluster, settings);
    out.clusters.push(cluster);
  }
  return out;
}
