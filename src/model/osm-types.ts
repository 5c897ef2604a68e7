/**
 * The canonical model of Open Service Mesh's configuration and policy kinds:
 * config.openservicemesh.io MeshConfig (v1alpha1–v1alpha3) and
 * policy.openservicemesh.io/v1alpha1 Egress, IngressBackend,
 * UpstreamTrafficSetting and Retry. Canonical paths are those of the source
 * (every version shares the layout), e.g. ['spec', 'ports', 0, 'protocol'].
 */
import type { ObjectMeta } from './types.ts';

/** A Go duration (time.ParseDuration), as written and in nanoseconds. */
export interface Duration { text: string; nanos: number }

export const SIDECAR_LOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical', 'off'] as const;
export const TLS_VERSIONS = ['TLS_AUTO', 'TLSv1_0', 'TLSv1_1', 'TLSv1_2', 'TLSv1_3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

export interface MeshConfigTracing {
  enable: boolean;
  address?: string;
  port?: number;
  endpoint?: string;
}

export interface MeshConfig {
  meta: ObjectMeta;
  /** Each undefined when the source leaves it out (the OSM default then applies, src/osm/settings.ts). */
  traffic: {
    enablePermissiveTrafficPolicyMode?: boolean;
    enableEgress?: boolean;
    outboundIPRangeExclusionList: string[];
    outboundIPRangeInclusionList: string[];
    outboundPortExclusionList: number[];
    inboundPortExclusionList: number[];
  };
  sidecar: {
    logLevel?: string;
    tlsMinProtocolVersion?: TlsVersion;
    tlsMaxProtocolVersion?: TlsVersion;
    cipherSuites?: string[];
    ecdhCurves?: string[];
    localProxyMode?: 'Localhost' | 'PodIP';
  };
  tracing?: MeshConfigTracing;
  /** spec.featureFlags as written (flag name → value). */
  featureFlags: Record<string, boolean>;
}

export interface PolicySubject { kind: string; name: string; namespace: string }
export interface TypedRef { apiGroup: string; kind: string; name: string }

export const EGRESS_PROTOCOLS = ['http', 'https', 'tcp', 'tcp-server-first'] as const;
export type EgressProtocol = (typeof EGRESS_PROTOCOLS)[number];

/** A CIDR block, normalised (`10.0.0.0/8`), with the text as written. */
export interface Cidr { text: string; address: string; prefix: number }

export interface Egress {
  meta: ObjectMeta;
  /** Canonical path ['spec', 'sources', i]. */
  sources: PolicySubject[];
  hosts: string[];
  /** Canonical path ['spec', 'ipAddresses', i]. */
  ipAddresses: Cidr[];
  /** Canonical path ['spec', 'ports', i]. */
  ports: { number: number; protocol: EgressProtocol }[];
  /** Canonical path ['spec', 'matches', i]. */
  matches: TypedRef[];
}

export const INGRESS_PROTOCOLS = ['http', 'https'] as const;

export interface IngressBackend {
  meta: ObjectMeta;
  /** Canonical path ['spec', 'backends', i]. */
  backends: {
    name: string;
    port: { number: number; protocol: 'http' | 'https' };
    tls?: { skipClientCertValidation: boolean; sniHosts: string[] };
  }[];
  /** Canonical path ['spec', 'sources', i]; `namespace` '' when omitted; `cidr` for a valid IPRange. */
  sources: { kind: string; name: string; namespace: string; cidr?: Cidr }[];
  matches: TypedRef[];
}

export const RATE_LIMIT_UNITS = ['second', 'minute', 'hour'] as const;
export type RateLimitUnit = (typeof RATE_LIMIT_UNITS)[number];

export interface HttpLocalRateLimit {
  requests: number;
  unit: RateLimitUnit;
  burst: number;
  responseStatusCode?: number;
  responseHeadersToAdd: { name: string; value: string }[];
}

export interface UpstreamTrafficSetting {
  meta: ObjectMeta;
  /** Canonical path ['spec', 'host']. */
  host: string;
  connectionSettings: {
    tcp?: { maxConnections?: number; connectTimeout?: Duration };
    http?: { maxRequests?: number; maxRequestsPerConnection?: number; maxPendingRequests?: number; maxRetries?: number };
  };
  rateLimit: {
    tcp?: { connections: number; unit: RateLimitUnit; burst: number };
    http?: HttpLocalRateLimit;
  };
  /** Canonical path ['spec', 'httpRoutes', i]. */
  httpRoutes: { path: string; rateLimit?: HttpLocalRateLimit }[];
}

export interface Retry {
  meta: ObjectMeta;
  /** Canonical path ['spec', 'source']. */
  source: PolicySubject;
  /** Canonical path ['spec', 'destinations', i]. */
  destinations: PolicySubject[];
  retryPolicy: {
    /** Envoy retry_on conditions, split at commas. */
    retryOn: string[];
    numRetries?: number;
    perTryTimeout?: Duration;
    retryBackoffBaseInterval?: Duration;
  };
}

/** The OSM collections of the mesh model. */
export interface OsmMesh {
  meshConfigs: MeshConfig[];
  egresses: Egress[];
  ingressBackends: IngressBackend[];
  upstreamTrafficSettings: UpstreamTrafficSetting[];
  retries: Retry[];
}
