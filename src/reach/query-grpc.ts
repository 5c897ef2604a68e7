/**
 * `why --target grpc`: what a proxyless gRPC client gets of an edge the
 * policy allows, as `compile --target grpc` builds its configuration
 * (src/envoy/translate/ir-builder: outbound.ts, clusters.ts,
 * split-targets.ts). Such a client speaks HTTP/2 only and resolves nothing
 * itself, so compile gives it:
 * - no route to a TCP port (MESH0863);
 * - no route to a Service port whose endpoint addresses meshc does not know
 *   (no Endpoints/EndpointSlice, no pod IP: MESH0855);
 * - of a split, only the backends whose addresses it knows; a backend that
 *   would take the caller's traffic but has none is left out, and the others
 *   share its requests (MESH0856). A backend that denies the caller keeps its
 *   share, which fails, as for sidecars;
 * - no route for a split or Gateway API rule's match on query parameters (MESH1214): such a rule takes no call.
 */
import { portProtocol } from '../model/port-protocol.ts';
import type { Verdict, WhyAnswer, WhyQuery } from './query-answer.ts';
import type { Delivery } from './delivery.ts';
import type { ReachPort, ServiceKey } from './types.ts';

/**
 * Whether compile leaves out a route match for gRPC clients: a match on query parameters (gRPC calls have no query
 * string, and grpc-js-xds would ignore the condition and match every call; MESH1214).
 */
export const grpcDropsMatch = (m: { queryParams?: readonly unknown[] }): boolean => (m.queryParams?.length ?? 0) > 0;

/** Why the gRPC clients' configuration leaves a backend out of a split that would take the caller's traffic, if it does. */
export const GRPC_NO_ADDRESSES = 'its endpoint addresses are unknown, and gRPC clients need IP addresses';

/** A backend verdict that would send the caller's traffic to the backend's pods (allowed, or served by pods that cannot be told apart). */
const takesTraffic = (v: Verdict) => v.allowed || v.denial === 'pods-deny-caller';

/** Whether a gRPC client's split leaves this backend out: it would take traffic, but its addresses are unknown. */
export function grpcLeavesOut(delivery: Delivery, backend: ServiceKey, port: number, v: Verdict): boolean {
  return takesTraffic(v) && delivery.addresses(backend, port) === null;
}

/** The answer for a proxyless gRPC client; `a` is the answer for a sidecar. */
export function grpcDelivered(delivery: Delivery, q: WhyQuery, port: ReachPort, a: WhyAnswer): WhyAnswer {
  const p = `${q.to}:${port.port}`;
  if (portProtocol(port) === 'tcp') {
    if (!a.allowed) return a;
    const note = `${p} is TCP, and proxyless gRPC clients speak only HTTP/2: compile gives them no route to it`;
    return { ...a, allowed: false, denial: 'not-delivered', reason: `${a.reason}; but ${note} (MESH0863)`, delivery: { code: 'MESH0863', note } };
  }
  if (a.split || !takesTraffic(a) || delivery.addresses(q.to, port.port) !== null) return a;
  const note = `meshc knows no endpoint address of ${p} (no Endpoints or EndpointSlice, no pod IP), and proxyless gRPC clients cannot resolve its DNS name themselves: compile leaves it out of their configuration`;
  return { ...a, allowed: false, denial: 'not-delivered', reason: `${a.reason}; but ${note} (MESH0855)`, delivery: { code: 'MESH0855', note } };
}
