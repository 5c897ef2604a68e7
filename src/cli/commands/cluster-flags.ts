/** `meshc compile`'s cluster-default flags (src/envoy/translate/cluster-defaults.ts): parsed, range-checked. */
import type { ValueProblem } from '../../config/values.ts';
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

/** Milliseconds of `250ms`, `2s`, `1.5s`, `1m` or `0`; what was expected otherwise. */
export function parseDuration(text: string): number | ValueProblem {
  const actual = JSON.stringify(text);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text) ?? (text === '0' ? ['0', '0', 'ms'] : null);
  if (!m) return { expected: 'a duration such as 500ms, 2s or 1m', actual };
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  if (!Number.isInteger(ms)) return { expected: 'a whole number of milliseconds', actual };
  if (ms > 24 * 3600 * 1000) return { expected: 'a day at most', actual };
  return ms;
}

/** The cluster settings the flags set (only those); throws the usage error (MESH1052) of a value of the wrong form. */
export function clusterSettings(values: Record<string, unknown>): Partial<Omit<ClusterSettings, 'circuitBreakers'>> & { circuitBreakers?: Partial<CircuitBreakerLimits> } {
  const out: Partial<Omit<ClusterSettings, 'circuitBreakers'>> & { circuitBreakers?: Partial<CircuitBreakerLimits> } = {};
  const time = (flag: string, min: number): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const ms = parseDuration(String(raw));
    if (typeof ms === 'object') throw formFailure(`--${flag}`, ms);
    if (ms < min) throw formFailure(`--${flag}`, { expected: 'more than 0 (Envoy refuses a zero connect timeout)', actual: JSON.stringify(raw) });
    return ms;
  };
  const count = (flag: string, min: number): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = /^\d{1,10}$/.test(String(raw)) ? Number(raw) : NaN;
    if (!(n >= min && n <= UNLIMITED)) throw formFailure(`--${flag}`, { expected: `a whole number from ${min} to ${UNLIMITED}`, actual: JSON.stringify(raw) });
    return n;
  };
  const connect = time('connect-timeout', 1);
  if (connect !== undefined) out.connectTimeoutMs = connect;
  const route = time('route-timeout', 0);
  if (route !== undefined) out.routeTimeoutMs = route;
  const eject = count('eject-after', 0);
  if (eject !== undefined) out.ejectAfter = eject;
  const limits: [keyof CircuitBreakerLimits, string][] = [
    ['maxConnections', 'max-connections'], ['maxPendingRequests', 'max-pending-requests'], ['maxRequests', 'max-requests'], ['maxRetries', 'max-retries'],
  ];
  for (const [key, flag] of limits) {
    // 0 would refuse every request (max-retries 0 only disables retries, which is a legitimate choice).
    const n = count(flag, key === 'maxRetries' ? 0 : 1);
    if (n !== undefined) out.circuitBreakers = { ...out.circuitBreakers, [key]: n };
  }
  return out;
}
