/**
 * Bootstrap per proxy (xds-protocol.md section 10):
 *
 * - `ads` (default): node id and cluster, ADS over gRPC (api_type GRPC,
 *   transport V3) to a static cluster `meshc-xds` speaking HTTP/2 at
 *   `--xds-address` (where `meshc serve` listens), LDS and CDS from ADS,
 *   admin on 127.0.0.1 only. The xDS connection is mTLS by default: the
 *   proxy's own certificate and the mesh CA from the SDS files beside the
 *   bootstrap (secrets.ts), and the server must present `--xds-server-identity`
 *   (`--xds-insecure` opts out, for local demos).
 * - `static`: the node's whole snapshot in static_resources (routes inlined
 *   into their HTTP connection managers, EDS clusters turned STATIC with their
 *   endpoints inline) for running with no control plane.
 * - gRPC clients: the JSON bootstrap @grpc/grpc-js-xds reads from
 *   GRPC_XDS_BOOTSTRAP (xds_servers with insecure channel credentials, node
 *   with id, cluster and locality). @grpc/grpc-js-xds 1.14 accepts only the
 *   `insecure` and `google_default` channel credentials for xds_servers
 *   (SUPPORTED_CHANNEL_CREDS_TYPES in its xds-bootstrap.ts): no TLS to the
 *   control plane is possible for it.
 */
import type { ValueProblem } from '../../config/values.ts';
import { isIP } from 'node:net';
import { UPSTREAM_TLS_CONTEXT_TYPE_URL } from '../protos/type-urls.ts';
import type { ProxyIR, TranslateOptions } from './ir.ts';
import { CLUSTER_XDS, splitKey } from './names.ts';
import type { NodeResources } from './envoy.ts';
import { HTTP_CONNECTION_MANAGER_TYPE_URL } from '../protos/type-urls.ts';
import { adsConfigSource, CONNECT_TIMEOUT, http2Options, singleEndpoint, socketAddress, type Json } from './shapes.ts';
import { sdsTlsContext, type SdsSource } from './secrets.ts';
import { GRPC_SERVER_LISTENER_TEMPLATE, grpcCertificateProviders } from './grpc-security.ts';
import { statsConfig, statsTagsOn } from './stats-tags.ts';

export type BootstrapMode = 'ads' | 'static';

export interface XdsAddress {
  host: string;
  port: number;
}

/** Parses `HOST:PORT` or `[IPv6]:PORT`; returns an error text when malformed. */
export function parseXdsAddress(text: string): XdsAddress | ValueProblem {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) return { expected: 'HOST:PORT (e.g. 127.0.0.1:18000 or [::1]:18000)', actual: JSON.stringify(text) };
  const host = m[1] ?? m[2];
  if (m[1] !== undefined && isIP(host) !== 6) return { expected: 'an IPv6 address between [ and ]', actual: JSON.stringify(host) };
  return { host, port };
}

export function formatXdsAddress(a: XdsAddress): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** Envoy's node.cluster: `<serviceaccount>.<namespace>` (as OSM's --service-cluster). */
export function serviceCluster(node: ProxyIR): string {
  const [ns, sa] = splitKey(node.identity);
  return `${sa}.${ns}`;
}

function admin(options: TranslateOptions): Json {
  return { address: socketAddress('127.0.0.1', options.ports.admin) };
}

/** mTLS to `meshc serve`: the SPIFFE id its certificate must carry, and the pod directory of the SDS files. */
export interface XdsTls {
  serverId: string;
  sdsDir: string;
}

/** The xDS cluster's TLS: the proxy's own certificate, and the server must be `serverId` (SNI: the server's host). */
function xdsTransportSocket(xds: XdsAddress, tls: XdsTls): Json {
  const files: SdsSource = { kind: 'files', dir: tls.sdsDir };
  const context: Json = {
    '@type': UPSTREAM_TLS_CONTEXT_TYPE_URL,
    common_tls_context: { ...sdsTlsContext(files, [tls.serverId]), alpn_protocols: ['h2'] },
  };
  if (!isIP(xds.host)) context.sni = xds.host;
  return { name: 'envoy.transport_sockets.tls', typed_config: context };
}

export function adsBootstrap(node: ProxyIR, options: TranslateOptions, xds: XdsAddress, tls: XdsTls | null): Json {
  const cluster: Json = {
    name: CLUSTER_XDS,
    type: isIP(xds.host) ? 'STATIC' : 'STRICT_DNS',
    connect_timeout: CONNECT_TIMEOUT,
    load_assignment: singleEndpoint(CLUSTER_XDS, xds.host, xds.port),
    // The xDS server speaks gRPC: HTTP/2 is mandatory.
    typed_extension_protocol_options: http2Options(),
  };
  if (tls) cluster.transport_socket = xdsTransportSocket(xds, tls);
  return {
    node: { id: node.id, cluster: serviceCluster(node) },
    static_resources: { clusters: [cluster] },
    dynamic_resources: {
      lds_config: adsConfigSource(),
      cds_config: adsConfigSource(),
      ads_config: {
        api_type: 'GRPC', transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: CLUSTER_XDS } }],
        set_node_on_first_message_only: true,
      },
    },
    admin: admin(options),
    ...statsTags(node, options),
  };
}

/** MeshConfig enableWASMStats: Envoy's own statistics tagged by source and destination (stats-tags.ts). */
function statsTags(node: ProxyIR, options: TranslateOptions): Json {
  return statsTagsOn(options.osm) ? { stats_config: statsConfig(node) } : {};
}

function withoutType(obj: Json): Json {
  const { '@type': _drop, ...rest } = obj;
  return rest;
}

/** Replaces every HCM's RDS reference by the route configuration itself. */
function inlineRoutes(listener: Json, routes: Map<string, Json>): Json {
  const copy = structuredClone(listener) as Json;
  for (const chain of (copy.filter_chains as Json[] | undefined) ?? []) {
    for (const f of (chain.filters as Json[] | undefined) ?? []) {
      const tc = f.typed_config as Json | undefined;
      if (!tc || tc['@type'] !== HTTP_CONNECTION_MANAGER_TYPE_URL || !tc.rds) continue;
      const name = (tc.rds as Json).route_config_name as string;
      delete tc.rds;
      tc.route_config = withoutType(routes.get(name)!);
    }
  }
  return withoutType(copy);
}

/** EDS clusters become STATIC with their assignment inline; others are kept. */
function inlineEndpoints(cluster: Json, endpoints: Map<string, Json>): Json {
  const copy = withoutType(cluster);
  if (copy.type !== 'EDS') return copy;
  const cla = endpoints.get(copy.name as string);
  delete copy.eds_cluster_config;
  copy.type = 'STATIC';
  copy.load_assignment = cla ? withoutType(cla) : { cluster_name: copy.name };
  return copy;
}

export function staticBootstrap(node: ProxyIR, options: TranslateOptions, resources: NodeResources): Json {
  const routes = new Map(resources.routes.map((r) => [r.name as string, r]));
  const endpoints = new Map(resources.endpoints.map((e) => [e.cluster_name as string, e]));
  return {
    node: { id: node.id, cluster: serviceCluster(node) },
    static_resources: {
      listeners: resources.listeners.map((l) => inlineRoutes(l, routes)),
      clusters: resources.clusters.map((c) => inlineEndpoints(c, endpoints)),
    },
    admin: admin(options),
    ...statsTags(node, options),
  };
}

/** The JSON bootstrap of a proxyless gRPC client (GRPC_XDS_BOOTSTRAP). */
export function grpcBootstrap(node: ProxyIR, options: TranslateOptions, xds: XdsAddress): Json {
  return {
    xds_servers: [{ server_uri: formatXdsAddress(xds), channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
    node: { id: node.id, cluster: serviceCluster(node), locality: {} },
    // mTLS between gRPC workloads (XdsChannelCredentials / XdsServerCredentials) and the XdsServer's Listener names.
    certificate_providers: grpcCertificateProviders(options.tls),
    server_listener_resource_name_template: GRPC_SERVER_LISTENER_TEMPLATE,
  };
}
