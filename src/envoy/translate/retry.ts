/** Retry (policy.openservicemesh.io) → the route's Envoy retry_policy on the client (osm-translation.md section 15). */
import type { RetryIR } from './ir.ts';
import type { Json } from './shapes.ts';

export function retryPolicy(r: RetryIR): Json {
  const p: Json = { retry_on: r.retryOn };
  if (r.numRetries !== undefined) p.num_retries = r.numRetries;
  if (r.perTryTimeout !== undefined) p.per_try_timeout = r.perTryTimeout;
  if (r.backoffBaseInterval !== undefined) p.retry_back_off = { base_interval: r.backoffBaseInterval };
  return p;
}
