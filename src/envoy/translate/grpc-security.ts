/**
 * mTLS and authorization for proxyless gRPC (`--target grpc`, gRFC A29 and
 * A36/A41 as @grpc/grpc-js-xds implements them; xds-protocol.md 8.3, 8.5).
 *
 * - Certificates: gRPC clients and servers read no SDS; their bootstrap names a
 *   `file_watcher` certificate provider (`meshc`) over the pod's certificate,
 *   key and CA files (re-read every `refresh_interval`, so rotation needs no
 *   restart), and every TLS context names that provider instance.
 * - Client side: each upstream cluster carries an UpstreamTlsContext that
 *   presents the pod's certificate and accepts only the SPIFFE ids serving the
 *   Service. Used when the application dials with `XdsChannelCredentials`.
 * - Server side: an `XdsServer` bound to `0.0.0.0:PORT` requests the Listener
 *   `grpc/server?xds.resource.listening_address=0.0.0.0:PORT`; meshc compiles
 *   one per gRPC target port of the workload, requiring a client certificate
 *   and carrying an RBAC filter built from the TrafficTargets (the same
 *   policies as the Envoy inbound listener): a caller whose certificate names
 *   no admitted identity gets PERMISSION_DENIED. grpc-js registers the RBAC
 *   filter only with GRPC_XDS_EXPERIMENTAL_RBAC=true; without it the server
 *   refuses the Listener (unknown required filter) and serves nothing: it
 *   fails closed, never open.
 */
import type { HttpMatchIR, InboundPortIR, ProxyIR, TlsFiles, TranslateOptions } from './ir.ts';
import { spiffeId } from './names.ts';
import {
  DOWNSTREAM_TLS_CONTEXT_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, HTTP_RBAC_TYPE_URL, LISTENER_TYPE_URL, UPSTREAM_TLS_CONTEXT_TYPE_URL,
} from '../protos/type-urls.ts';
import { rbacPermission, rbacPrincipal, routerFilter, socketAddress, sortedRecord, type Json } from './shapes.ts';

/** The certificate provider instance every gRPC TLS context names (bootstrap `certificate_providers`). */
export const GRPC_CERT_PROVIDER = 'meshc';
/** The bootstrap's `server_listener_resource_name_template` (gRFC A36's conventional form). */
export const GRPC_SERVER_LISTENER_TEMPLATE = 'grpc/server?xds.resource.listening_address=%s';
/** The address an XdsServer binds (its Listener is named after it). */
export const GRPC_SERVER_BIND_HOST = '0.0.0.0';

export function grpcServerListenerName(port: number): string {
  return GRPC_SERVER_LISTENER_TEMPLATE.replace('%s', `${GRPC_SERVER_BIND_HOST}:${port}`);
}

/** The bootstrap's certificate provider: gRPC's file watcher over the pod's files. */
export function grpcCertificateProviders(tls: TlsFiles): Json {
  return {
    [GRPC_CERT_PROVIDER]: {
      plugin_name: 'file_watcher',
      config: { certificate_file: tls.certChain, private_key_file: tls.privateKey, ca_certificate_file: tls.caCert, refresh_interval: '600s' },
    },
  };
}

function providerContext(validation: Json): Json {
  return {
    tls_certificate_provider_instance: { instance_name: GRPC_CERT_PROVIDER },
    validation_context: { ca_certificate_provider_instance: { instance_name: GRPC_CERT_PROVIDER }, ...validation },
  };
}

/** Client side: present the pod's certificate, accept only these SPIFFE ids (grpc-js reads match_subject_alt_names). */
export function grpcUpstreamTls(peerIds: string[]): Json {
  const validation = peerIds.length > 0 ? { match_subject_alt_names: peerIds.map((id) => ({ exact: id })) } : {};
  return { name: 'envoy.transport_sockets.tls', typed_config: { '@type': UPSTREAM_TLS_CONTEXT_TYPE_URL, common_tls_context: providerContext(validation) } };
}

/**
 * An HTTP match as a gRPC RBAC permission: calls are always POST, so a method list with POST drops out and one
 * without it can never match (null).
 */
function grpcPermission(m: HttpMatchIR): Json | null {
  if (m.methods && !m.methods.includes('POST')) return null;
  return rbacPermission({ ...m, methods: undefined });
}

function grpcRbac(port: InboundPortIR, options: TranslateOptions): Json {
  const policies: [string, Json][] = [];
  for (const p of port.policies) {
    const permissions = p.permissions === 'all' ? [{ any: true }] : p.permissions.map(grpcPermission).filter((x): x is Json => x !== null);
    if (permissions.length === 0) continue;
    policies.push([p.name, { permissions, principals: p.principals.map((id) => rbacPrincipal(spiffeId(options.trustDomain, id))) }]);
  }
  // ALLOW with no policies denies every call: SMI is deny-by-default.
  return { name: 'envoy.filters.http.rbac', typed_config: { '@type': HTTP_RBAC_TYPE_URL, rules: { action: 'ALLOW', policies: sortedRecord(policies) } } };
}

function serverListener(port: InboundPortIR, options: TranslateOptions): Json {
  const name = grpcServerListenerName(port.targetPort);
  const httpFilters = options.permissive ? [routerFilter()] : [grpcRbac(port, options), routerFilter()];
  return {
    '@type': LISTENER_TYPE_URL, name,
    address: socketAddress(GRPC_SERVER_BIND_HOST, port.targetPort),
    filter_chains: [{
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: {
          '@type': HTTP_CONNECTION_MANAGER_TYPE_URL, stat_prefix: `inbound_${port.targetPort}`,
          // A gRPC server routes nothing onward: every call it admits is handled by the application.
          route_config: {
            name: `inbound|${port.targetPort}`,
            virtual_hosts: [{ name: `inbound|${port.targetPort}`, domains: ['*'], routes: [{ match: { prefix: '/' }, non_forwarding_action: {} }] }],
          },
          http_filters: httpFilters,
        },
      }],
      transport_socket: {
        name: 'envoy.transport_sockets.tls',
        typed_config: { '@type': DOWNSTREAM_TLS_CONTEXT_TYPE_URL, common_tls_context: providerContext({}), require_client_certificate: true },
      },
    }],
  };
}

/** The Listeners an XdsServer of this workload requests: one per gRPC target port it serves. */
export function grpcServerListeners(node: ProxyIR, options: TranslateOptions): Json[] {
  return node.inbound.filter((p) => p.protocol === 'grpc').map((p) => serverListener(p, options));
}
