/**
 * Application protocol of a Service port: the one decision `compile` (which
 * filter chain a port gets) and reachability (`why`, `test`, the MESH06xx
 * findings: which rules can apply on the port) share. Decided as Open
 * Service Mesh does (osm-translation.md section 2): `appProtocol` first, else
 * the port-name prefix (`tcp-server-first-`, `tcp-`, `grpc-`), else HTTP.
 *
 *   http  HTTP/1.1 or HTTP/2 (HCM with codec AUTO; upstream uses the downstream protocol)
 *   grpc  HTTP/2 end to end (HCM; the upstream cluster speaks HTTP/2)
 *   tcp   opaque bytes (tcp_proxy), also for TLS, databases and unknown appProtocols
 *   none  not proxied: UDP and SCTP ports (Envoy's UDP proxy is not an SMI data path)
 *
 * Light on purpose: it is on the `check` path (no protobufjs, gRPC or Envoy imports).
 */
export type PortProtocol = 'http' | 'grpc' | 'tcp' | 'none';

const HTTP_APP = new Set(['http', 'http1', 'http/1.1', 'kubernetes.io/ws']);
const GRPC_APP = new Set(['grpc', 'grpc-web', 'http2', 'h2c', 'kubernetes.io/h2c']);

export interface PortLike {
  name?: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export function portProtocol(port: PortLike): PortProtocol {
  if (port.protocol !== 'TCP') return 'none';
  if (port.appProtocol !== undefined) {
    const app = port.appProtocol.toLowerCase();
    if (HTTP_APP.has(app)) return 'http';
    if (GRPC_APP.has(app)) return 'grpc';
    return 'tcp';
  }
  const name = (port.name ?? '').toLowerCase();
  if (name.startsWith('tcp-server-first-') || name.startsWith('tcp-') || name === 'tcp') return 'tcp';
  if (name.startsWith('grpc-') || name === 'grpc') return 'grpc';
  return 'http';
}

export const isHttpLike = (p: PortProtocol): boolean => p === 'http' || p === 'grpc';

/** Can HTTP rules (HTTPRouteGroup matches) apply on this port? Only on TCP ports that carry HTTP or gRPC. */
export const carriesHttp = (port: PortLike): boolean => isHttpLike(portProtocol(port));

/** What made a TCP port plain TCP, for messages: `appProtocol mysql` or `its name tcp-raw`. */
export function tcpReason(port: PortLike): string {
  return port.appProtocol !== undefined ? `appProtocol ${port.appProtocol}` : `its name ${port.name ?? ''}`;
}
