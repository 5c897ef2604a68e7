/**
 * The cluster defaults of `meshc compile` (src/envoy/translate/cluster-defaults.ts) by the names the flags and the
 * `compile:` section of `.meshc.yaml` share: one parser and one range check for both, so a value means the same
 * wherever it is written.
 */
import { UNLIMITED } from '../envoy/translate/cluster-defaults.ts';
import type { ValueProblem } from './values.ts';

export const CLUSTER_KEYS = ['connect-timeout', 'route-timeout', 'max-connections', 'max-pending-requests', 'max-requests', 'max-retries', 'eject-after'] as const;
export type ClusterKey = (typeof CLUSTER_KEYS)[number];

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

/** The value of one cluster default (milliseconds or a count), or what was expected. */
export function parseClusterValue(key: ClusterKey, raw: string): number | ValueProblem {
  if (key === 'connect-timeout' || key === 'route-timeout') {
    const ms = parseDuration(raw);
    if (typeof ms === 'object') return ms;
    if (key === 'connect-timeout' && ms < 1) return { expected: 'more than 0 (Envoy refuses a zero connect timeout)', actual: JSON.stringify(raw) };
    return ms;
  }
  // 0 would refuse every request (max-retries 0 only disables retries, eject-after 0 turns ejection off).
  const min = key === 'max-retries' || key === 'eject-after' ? 0 : 1;
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= UNLIMITED)) return { expected: `a whole number from ${min} to ${UNLIMITED}`, actual: JSON.stringify(raw) };
  return n;
}
