/**
 * The defaults every upstream and local cluster gets, stated in one place (docs/guide-compile.md, "Cluster
 * defaults"): connect timeout, circuit-breaker thresholds, outlier detection, and the client-side route timeout.
 * `--connect-timeout`, `--route-timeout`, `--max-connections`, `--max-pending-requests`, `--max-requests`,
 * `--max-retries` and `--eject-after` change them for the whole compile. A per-Service override (e.g. OSM's
 * UpstreamTrafficSetting) can later replace any field for one cluster: `resolveClusterSettings(defaults, override)`.
 */
import { UINT32_MAX } from '../../core/compare.ts';
import type { Json } from './shapes.ts';

export interface CircuitBreakerLimits {
  maxConnections: number;
  maxPendingRequests: number;
  maxRequests: number;
  maxRetries: number;
}

export interface ClusterSettings {
  /** TCP (and TLS) connect timeout, milliseconds. */
  connectTimeoutMs: number;
  /** Client-side route timeout, milliseconds; 0 = none (Envoy's 15 s default would cut streams and long polls). */
  routeTimeoutMs: number;
  circuitBreakers: CircuitBreakerLimits;
  /** Consecutive 5xx (or connect failures, for TCP) before an endpoint is ejected; 0 = no outlier detection. */
  ejectAfter: number;
}

/** UINT32_MAX: "unlimited" (as OSM sets them). Envoy's own default of 1,024 overflows into 503s at scale. */
export const UNLIMITED = UINT32_MAX;

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  connectTimeoutMs: 1000,
  routeTimeoutMs: 0,
  circuitBreakers: { maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: UNLIMITED, maxRetries: UNLIMITED },
  ejectAfter: 5,
};

/** Fixed parts of outlier detection (Envoy's defaults, stated): how often hosts are checked and for how long ejected. */
export const OUTLIER_INTERVAL = '10s';
export const OUTLIER_BASE_EJECTION = '30s';
/** At most half of a Service's endpoints are ejected at once: the rest keep serving even when all misbehave. */
export const OUTLIER_MAX_EJECTION_PERCENT = 50;

/** A per-cluster override replaces the defaults field by field (circuit-breaker limits one by one). */
export function resolveClusterSettings(defaults: ClusterSettings, override?: Partial<Omit<ClusterSettings, 'circuitBreakers'>> & { circuitBreakers?: Partial<CircuitBreakerLimits> }): ClusterSettings {
  if (!override) return defaults;
  return { ...defaults, ...override, circuitBreakers: { ...defaults.circuitBreakers, ...override.circuitBreakers } };
}

/** Milliseconds as a proto3 JSON Duration ("1s", "0.250s"). */
export function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(3)}s`;
}

export function circuitBreakers(limits: CircuitBreakerLimits): Json {
  return {
    thresholds: [{
      priority: 'DEFAULT',
      max_connections: limits.maxConnections,
      max_pending_requests: limits.maxPendingRequests,
      max_requests: limits.maxRequests,
      max_retries: limits.maxRetries,
      // Exposes remaining capacity as gauges (circuit_breakers.default.remaining_*): overflow is visible before it happens.
      track_remaining: true,
    }],
  };
}

/**
 * Consecutive-5xx ejection; success-rate ejection is switched off (it needs request volume per host to mean
 * anything and would eject on statistics the user never set). Only for clusters whose endpoints are known (EDS):
 * a STRICT_DNS cluster's one address is the Service's ClusterIP, and ejecting it would eject the whole Service.
 */
export function outlierDetection(ejectAfter: number): Json | undefined {
  if (ejectAfter === 0) return undefined;
  return {
    consecutive_5xx: ejectAfter,
    interval: OUTLIER_INTERVAL,
    base_ejection_time: OUTLIER_BASE_EJECTION,
    max_ejection_percent: OUTLIER_MAX_EJECTION_PERCENT,
    enforcing_success_rate: 0,
  };
}
