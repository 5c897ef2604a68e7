/** `meshc compile`'s cluster-default flags (src/envoy/translate/cluster-defaults.ts): parsed, range-checked. */
import { parseClusterValue, type ClusterKey } from '../../config/cluster-values.ts';
import { formFailure } from '../common.ts';
import { DEFAULT_CLUSTER_SETTINGS, duration, UNLIMITED, type CircuitBreakerLimits, type ClusterSettings } from '../../envoy/translate/cluster-defaults.ts';

const d = DEFAULT_CLUSTER_SETTINGS;
const limit = (n: number) => (n === UNLIMITED ? 'unlimited' : String(n));

export const CLUSTER_HELP = `  --connect-timeout DUR     upstream connect timeout, e.g. 500ms, 2s (default: ${duration(d.connectTimeoutMs)})
  --route-timeout DUR       client-side request timeout; 0 = none (default: 0, streams are never cut)
  --max-connections N       circuit breaker per cluster (default: ${limit(d.circuitBreakers.maxConnections)})
  --max-pending-requests N  circuit breaker per cluster (default: ${limit(d.circuitBreakers.maxPendingRequests)})
  --max-requests N          circuit breaker per cluster (default: ${limit(d.circuitBreakers.maxRequests)})
  --max-retries N           circuit breaker per cluster (default: ${limit(d.circuitBreakers.maxRetries)})
  --eject-after N           consecutive 5xx/connect failures before an endpoint is ejected
                            (outlier detection, EDS clusters only; 0 = off; default: ${d.ejectAfter})
`;

export const CLUSTER_OPTIONS = {
  'connect-timeout': { type: 'string' },
  'route-timeout': { type: 'string' },
  'max-connections': { type: 'string' },
  'max-pending-requests': { type: 'string' },
  'max-requests': { type: 'string' },
  'max-retries': { type: 'string' },
  'eject-after': { type: 'string' },
} as const;

export { parseDuration } from '../../config/cluster-values.ts';

/**
 * The cluster settings the flags set (only those), over the `compile:` section of `.meshc.yaml` (already checked there);
 * throws the usage error (MESH1052) of a flag value of the wrong form.
 */
export function clusterSettings(values: Record<string, unknown>): Partial<Omit<ClusterSettings, 'circuitBreakers'>> & { circuitBreakers?: Partial<CircuitBreakerLimits> } {
  const out: Partial<Omit<ClusterSettings, 'circuitBreakers'>> & { circuitBreakers?: Partial<CircuitBreakerLimits> } = {};
  const value = (flag: ClusterKey): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const v = parseClusterValue(flag, String(raw));
    if (typeof v === 'object') throw formFailure(`--${flag}`, v);
    return v;
  };
  const connect = value('connect-timeout');
  if (connect !== undefined) out.connectTimeoutMs = connect;
  const route = value('route-timeout');
  if (route !== undefined) out.routeTimeoutMs = route;
  const eject = value('eject-after');
  if (eject !== undefined) out.ejectAfter = eject;
  const limits: [keyof CircuitBreakerLimits, ClusterKey][] = [
    ['maxConnections', 'max-connections'], ['maxPendingRequests', 'max-pending-requests'], ['maxRequests', 'max-requests'], ['maxRetries', 'max-retries'],
  ];
  for (const [key, flag] of limits) {
    const n = value(flag);
    if (n !== undefined) out.circuitBreakers = { ...out.circuitBreakers, [key]: n };
  }
  return out;
}
