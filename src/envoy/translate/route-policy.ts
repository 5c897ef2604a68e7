/**
 * A Gateway API route policy (OutboundRouteIR timeout, perTryTimeout, headers, mirrors) as Envoy Route fields:
 * `timeout` (whole request) and `retry_policy.per_try_timeout` (each try) per GEP-1742, `request_mirror_policies`
 * (RequestMirror), and the route's request/response header additions and removals (append_action
 * OVERWRITE_IF_EXISTS_OR_ADD for Gateway `set`, APPEND_IF_EXISTS_OR_ADD for `add`).
 */
import type { OutboundRouteIR, RetryIR } from './ir.ts';
import { retryPolicy } from './retry.ts';
import type { Json } from './shapes.ts';

function headerOptions(list: { name: string; value: string; append: boolean }[]): Json[] {
  return list.map((h) => ({ header: { key: h.name, value: h.value }, append_action: h.append ? 'APPEND_IF_EXISTS_OR_ADD' : 'OVERWRITE_IF_EXISTS_OR_ADD' }));
}

/** RouteAction fields besides the clusters: the timeout, the retry policy (with the per-try timeout) and the mirrors. */
export function policyActionFields(r: OutboundRouteIR, timeout: string, retry: RetryIR | undefined): Json {
  const out: Json = { timeout: r.timeout ?? timeout };
  if (retry || r.perTryTimeout !== undefined) {
    const p: Json = retry ? retryPolicy(retry) : {};
    // The route's backendRequest is more specific than the Retry policy's perTryTimeout.
    if (r.perTryTimeout !== undefined) p.per_try_timeout = r.perTryTimeout;
    out.retry_policy = p;
  }
  if (r.mirrors && r.mirrors.length > 0) {
    out.request_mirror_policies = r.mirrors.map((m) => (m.fraction ? { cluster: m.cluster, runtime_fraction: { default_value: m.fraction } } : { cluster: m.cluster }));
  }
  return out;
}

/** Route fields of the header filters (after `route`), or {}. */
export function policyHeaderFields(r: OutboundRouteIR): Json {
  const h = r.headers;
  if (!h) return {};
  const out: Json = {};
  if (h.requestAdd) out.request_headers_to_add = headerOptions(h.requestAdd);
  if (h.requestRemove) out.request_headers_to_remove = [...h.requestRemove];
  if (h.responseAdd) out.response_headers_to_add = headerOptions(h.responseAdd);
  if (h.responseRemove) out.response_headers_to_remove = [...h.responseRemove];
  return out;
}
