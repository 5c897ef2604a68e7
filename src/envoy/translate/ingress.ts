/**
 * IngressBackend IR → Envoy (osm-translation.md section 14), beside the mesh's own chains on `inbound-listener`:
 *
 * - filter chain `ingress_<ns>/<svc>_<port>_<protocol>` (OSM's name) matching the destination port, the source
 *   prefix ranges, and for https the TLS transport and the server names (tls.sniHosts); plain http matches
 *   `raw_buffer`, so a mesh mTLS connection never lands on it;
 * - https: a DownstreamTlsContext with the pod's certificate (`service-cert`), and unless
 *   skipClientCertValidation the mesh's trust anchors (`root-cert`) with a required client certificate, as OSM's
 *   `GetDownstreamTLSContext` (the ingress controller presents a certificate of the mesh CA);
 * - an HTTP connection manager (RDS `rds-ingress.<port>`; OSM had one `rds-ingress` for every port, which two
 *   backends on one proxy would fill with two `*` virtual hosts) with an RBAC filter on the client certificate's
 *   principal when there are AuthenticatedPrincipals to check, and the sidecar's access log and tracing;
 * - virtual host `ingress_virtual-host|<ns>/<svc>_from_<ingressBackend>` (domains `*`) routing the catch-all or
 *   the IngressBackend's HTTPRouteGroup matches to the local cluster of the port.
 */
import type { IngressIR, TranslateOptions } from './ir.ts';
import { localClusterName } from './names.ts';
import { DOWNSTREAM_TLS_CONTEXT_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, HTTP_RBAC_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '../protos/type-urls.ts';
import { adsConfigSource, rbacPermission, rbacPrincipal, routeMatch, routerFilter, type Json } from './shapes.ts';
import { secretRef, SECRET_ROOT_CERT, SECRET_SERVICE_CERT } from './secrets.ts';
import { tlsParams } from './mesh-config.ts';

export function ingressChainName(ir: IngressIR): string {
  return `ingress_${ir.service}_${ir.targetPort}_${ir.protocol}`;
}

export function ingressRouteName(targetPort: number): string {
  return `rds-ingress.${targetPort}`;
}

/** Source prefix range from 'a.b.c.d/n'. */
function prefixRange(range: string): Json {
  const [address, len] = range.split('/');
  return { address_prefix: address, prefix_len: Number(len) };
}

function ingressTls(ir: IngressIR, options: TranslateOptions): Json {
  const params = tlsParams(options.osm);
  const validate = ir.tls?.validateClient === true;
  const common: Json = {
    ...(params ? { tls_params: params } : {}),
    tls_certificate_sds_secret_configs: [secretRef(options.sds, SECRET_SERVICE_CERT)],
    ...(validate ? { validation_context_sds_secret_config: secretRef(options.sds, SECRET_ROOT_CERT) } : {}),
  };
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: { '@type': DOWNSTREAM_TLS_CONTEXT_TYPE_URL, common_tls_context: common, require_client_certificate: validate },
  };
}

function rbacFilter(ir: IngressIR, principals: string[]): Json {
  const permissions = ir.routes === 'all' ? [{ any: true }] : ir.routes.length > 0 ? ir.routes.map(rbacPermission) : [{ any: true }];
  return {
    name: 'envoy.filters.http.rbac',
    typed_config: {
      '@type': HTTP_RBAC_TYPE_URL,
      // ALLOW: only the AuthenticatedPrincipals' certificates (principal_name matches a URI SAN, else a DNS SAN, else the subject).
      rules: { action: 'ALLOW', policies: { [ir.from]: { permissions, principals: principals.map(rbacPrincipal) } } },
    },
  };
}

/** The ingress filter chain of one IngressIR; `hcmExtra` is the sidecar's access log and tracing. */
export function ingressChain(ir: IngressIR, options: TranslateOptions, hcmExtra: Json): Json {
  const httpFilters: Json[] = [];
  if (ir.principals !== 'any') httpFilters.push(rbacFilter(ir, ir.principals));
  httpFilters.push(routerFilter());
  const match: Json = { destination_port: ir.targetPort };
  if (ir.tls && ir.tls.serverNames.length > 0) match.server_names = ir.tls.serverNames;
  match.transport_protocol = ir.tls ? 'tls' : 'raw_buffer';
  if (ir.sourceRanges.length > 0) match.source_prefix_ranges = ir.sourceRanges.map(prefixRange);
  const chain: Json = {
    name: ingressChainName(ir),
    filter_chain_match: match,
    filters: [{
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: `ingress_${ir.targetPort}`, codec_type: 'AUTO',
        rds: { config_source: adsConfigSource(), route_config_name: ingressRouteName(ir.targetPort) },
        http_filters: httpFilters,
        ...hcmExtra,
      },
    }],
  };
  if (ir.tls) chain.transport_socket = ingressTls(ir, options);
  return chain;
}

/** The route configuration of one ingress chain: the catch-all or the admitted matches, to the port's local cluster. */
export function ingressRoute(ir: IngressIR): Json {
  const cluster = localClusterName(ir.targetPort);
  const routes: Json[] = ir.routes === 'all'
    ? [{ match: { prefix: '/' }, route: { cluster, timeout: '0s' } }]
    : ir.routes.map((m) => ({ name: m.name, match: routeMatch(m), route: { cluster, timeout: '0s' } }));
  return {
    '@type': ROUTE_CONFIGURATION_TYPE_URL, name: ingressRouteName(ir.targetPort),
    virtual_hosts: [{ name: `ingress_virtual-host|${ir.service}_from_${ir.from.split('/')[1]}`, domains: ['*'], routes }],
  };
}
