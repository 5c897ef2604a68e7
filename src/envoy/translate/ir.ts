/**
 * The per-proxy intermediate representation (like Envoy Gateway's xDS IR):
 * what each proxy must do, decided from the model and reachability, before
 * any Envoy message is shaped. The xDS translators (envoy.ts, grpc.ts) only
 * read this; every policy decision lives in build-ir.ts.
 *
 * Plain data; clusters are shared between proxies by name (a Service port
 * compiles to the same Cluster for every client that may reach it).
 */
import type { ProbeKind, WorkloadKind } from '../../model/types.ts';
import type { IdentityKey, ServiceKey } from '../../reach/types.ts';
import type { PortProtocol } from './protocol.ts';
import type { SdsSource } from './secrets.ts';
import type { OsmSettings } from '../../model/osm-settings.ts';
import type { AccessLogFormat } from './access-log.ts';
import type { ClusterSettings } from './cluster-defaults.ts';

/** The data planes meshc compiles for (`--target`): Envoy sidecars (the default) or proxyless gRPC clients. */
export const TARGETS = ['envoy', 'grpc'] as const;
export type Target = (typeof TARGETS)[number];

export interface TlsFiles {
  /** PEM certificate chain of the pod's identity (SPIFFE URI SAN). */
  certChain: string;
  privateKey: string;
  /** PEM bundle of the mesh's trust anchors. */
  caCert: string;
}

export interface ProxyPorts {
  inbound: number;
  outbound: number;
  /** Prometheus scrape port (serves only /stats/prometheus). */
  stats: number;
  /** Envoy admin, bound to 127.0.0.1 only. */
  admin: number;
}

export interface TranslateOptions {
  target: Target;
  trustDomain: string;
  clusterDomain: string;
  permissive: boolean;
  /** Pod paths of the certificate files the Secrets name. */
  tls: TlsFiles;
  /** Where TLS contexts get their Secrets: ADS (`--bootstrap ads`) or SDS files (`--bootstrap static`). */
  sds: SdsSource;
  ports: ProxyPorts;
  /** The OSM MeshConfig's settings and policy switches (src/model/osm-settings.ts). */
  osm?: OsmSettings;
  /** Access log of every sidecar HTTP connection manager (default json). */
  accessLog?: AccessLogFormat;
  /** Connect/route timeouts, circuit breakers and outlier detection of every cluster (cluster-defaults.ts). */
  cluster: ClusterSettings;
}

export const DEFAULT_TLS: TlsFiles = {
  certChain: '/etc/meshc/tls/cert-chain.pem',
  privateKey: '/etc/meshc/tls/key.pem',
  caCert: '/etc/meshc/tls/ca.pem',
};

export const DEFAULT_PORTS: ProxyPorts = { inbound: 15003, outbound: 15001, stats: 15010, admin: 15000 };

/** Plaintext listeners the kubelet's rewritten probes reach (OSM's ports); not configurable, like OSM's. */
export const PROBE_PORTS: Record<ProbeKind, number> = { liveness: 15901, readiness: 15902, startup: 15903 };

/**
 * One kubelet probe rewritten to the sidecar's plaintext probe listener of its kind (the inbound listener requires
 * mTLS, which the kubelet cannot present). HTTP and gRPC probes are routed (several per listener); an HTTPS probe
 * is passed through as TCP, so it has its listener alone.
 */
export interface ProbeIR {
  kind: ProbeKind;
  container: string;
  /** The probe listener's port (PROBE_PORTS). */
  listenerPort: number;
  scheme: 'HTTP' | 'HTTPS' | 'GRPC';
  /** The application's port, reached at 127.0.0.1. */
  appPort: number;
  /** HTTP: the path the rewritten probe requests, and the original path it is rewritten back to. */
  probePath?: string;
  path?: string;
  timeoutSeconds: number;
}

/** One HTTPRouteGroup match, normalised (methods sorted, `*` collapsed, headers sorted). */
export interface HttpMatchIR {
  /** `namespace/group/match`: route and RBAC permission names. */
  name: string;
  /** As written in SMI: RE2, anchored at the start only. Undefined = every path. */
  pathRegex?: string;
  /** Sorted, de-duplicated; undefined = every method. */
  methods?: string[];
  /** Sorted by name; values are RE2 full-match regexes. */
  headers: { name: string; value: string }[];
  /** Gateway API routes only: query parameters (exact value or RE2 full-match regex), sorted by name; AND-ed. */
  queryParams?: { name: string; type: 'Exact' | 'RegularExpression'; value: string }[];
}

/** An RBAC ALLOW policy: one TrafficTarget rule as it applies to one inbound port. */
export interface RbacPolicyIR {
  /** `<tt-namespace>/<tt-name>#<rule-index>`. */
  name: string;
  /** Source identities, sorted. */
  principals: IdentityKey[];
  /** 'all' = any request/bytes; else the admitted HTTP matches (OR-ed). */
  permissions: 'all' | HttpMatchIR[];
}

export interface InboundPortIR {
  targetPort: number;
  protocol: Exclude<PortProtocol, 'none'>;
  /** Service ports that deliver here, sorted. */
  services: { service: ServiceKey; port: number }[];
  /** Empty (and not permissive) = deny everything. Unused in permissive mode. */
  policies: RbacPolicyIR[];
  /** HTTP routes: 'all' (one catch-all) or the distinct admitted matches. */
  routes: 'all' | HttpMatchIR[];
  rateLimit?: RateLimitIR;
}

export interface WeightedTarget {
  cluster: string;
  weight: number;
}

/** Header changes of a route (Gateway API header filters), names lower-cased, in filter order. */
export interface HeaderMutationsIR {
  /** `append: false` replaces the header (Gateway `set`), `true` appends a value (`add`). */
  requestAdd?: { name: string; value: string; append: boolean }[];
  requestRemove?: string[];
  responseAdd?: { name: string; value: string; append: boolean }[];
  responseRemove?: string[];
}

/** A copy of the route's requests to another Service's cluster (Gateway API RequestMirror); the answer is discarded. */
export interface MirrorIR {
  cluster: string;
  /** Share mirrored, as an Envoy FractionalPercent; undefined = every request. */
  fraction?: { numerator: number; denominator: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION' };
}

export interface OutboundRouteIR {
  /** Undefined = every request (the catch-all). */
  match?: HttpMatchIR;
  /** One entry = a plain cluster; several = weighted_clusters (weights reduced by their GCD). */
  targets: WeightedTarget[];
  /** Gateway API `timeouts.request` (Envoy JSON duration; '0s' = none): replaces --route-timeout on this route. */
  timeout?: string;
  /** Gateway API `timeouts.backendRequest`: each try (retry_policy.per_try_timeout). */
  perTryTimeout?: string;
  headers?: HeaderMutationsIR;
  mirrors?: MirrorIR[];
  /** The route ('Kind namespace/name') these fields come from, for findings. */
  policyFrom?: string;
}

/** A Retry policy on a client's routes to one service (envoy retry_policy; durations as Envoy JSON). */
export interface RetryIR {
  /** The Retry 'namespace/name' it comes from. */
  from: string;
  retryOn: string;
  numRetries?: number;
  perTryTimeout?: string;
  backoffBaseInterval?: string;
}

/** UpstreamTrafficSetting connection settings of a Service's clusters. */
export interface ClusterSettingsIR {
  /** The UpstreamTrafficSetting 'namespace/name' it comes from. */
  from: string;
  maxConnections?: number;
  maxPendingRequests?: number;
  maxRequests?: number;
  maxRetries?: number;
  maxRequestsPerConnection?: number;
  connectTimeout?: string;
}

export interface TokenBucketIR { maxTokens: number; tokensPerFill: number; fillInterval: string }

export interface HttpRateLimitIR {
  bucket: TokenBucketIR;
  /** Envoy StatusCode name (e.g. TooManyRequests); undefined = Envoy's 429. */
  status?: string;
  headers: { name: string; value: string }[];
}

/** UpstreamTrafficSetting local rate limits on the proxies that serve the Service. */
export interface RateLimitIR {
  from: string;
  tcp?: TokenBucketIR;
  http?: HttpRateLimitIR;
  /** Per route: `path` equal to an inbound route's pathRegex. */
  routes: { path: string; limit: HttpRateLimitIR }[];
}

export interface OutboundPortIR {
  service: ServiceKey;
  port: number;
  protocol: Exclude<PortProtocol, 'none'>;
  /** Virtual-host domains (HTTP), sorted. */
  hostnames: string[];
  /** HTTP: in match order, catch-all last. TCP: exactly one route without a match. */
  routes: OutboundRouteIR[];
  /** ClusterIP or pod IPs: the TCP filter chain's prefix ranges. */
  destinationIPs: string[];
  /** HTTP only: the Retry policy of this client for this service. */
  retry?: RetryIR;
}

export interface EndpointIR {
  ip: string;
  port: number;
}

export interface LocalityIR {
  /** '' = unknown zone. */
  zone: string;
  endpoints: EndpointIR[];
}

export interface ClusterIR {
  name: string;
  service: ServiceKey;
  /** Service port. */
  port: number;
  protocol: Exclude<PortProtocol, 'none'>;
  /** Known endpoint addresses (EDS), or null: resolve `dns` (STRICT_DNS). */
  localities: LocalityIR[] | null;
  dns: { host: string; port: number };
  /** TLS SNI: the Service's cluster DNS name. */
  sni: string;
  /** SPIFFE ids of the identities that serve the Service (peer certificate must carry one). Sorted. */
  peerIds: string[];
  settings?: ClusterSettingsIR;
}

/** Egress (policy.openservicemesh.io) of one proxy: what it may reach outside the mesh, per port. */
export interface EgressIR {
  /** HTTP ports: virtual hosts routed by Host to STRICT_DNS clusters `<host>:<port>`. */
  http: { port: number; hosts: { host: string; routes: 'all' | HttpMatchIR[] }[] }[];
  /** HTTPS ports: TLS server names (SNI) and/or IP ranges, to ORIGINAL_DST cluster `<port>`. */
  https: { port: number; serverNames: string[]; ranges: string[] }[];
  /** TCP ports: IP ranges ([] = any destination on the port), to ORIGINAL_DST cluster `<port>`. */
  tcp: { port: number; ranges: string[] }[];
  /** UpstreamTrafficSetting connection settings by egress cluster name (`<host>:<port>`, `<port>`), from the Egresses' matches. */
  clusterSettings?: Record<string, ClusterSettingsIR>;
}

/**
 * IngressBackend (policy.openservicemesh.io) on a proxy serving its backend: one ingress filter chain on the
 * inbound listener for the backend's target port, admitting only the IngressBackend's sources
 * (osm-translation.md section 14; ir-builder/ingress.ts decides it, ingress.ts shapes it).
 */
export interface IngressIR {
  /** The IngressBackend 'namespace/name'. */
  from: string;
  /** The backend Service. */
  service: ServiceKey;
  /** backends[].port.number: the target port the application listens on (an inbound port of this proxy). */
  targetPort: number;
  protocol: 'http' | 'https';
  /** Source prefix ranges 'a.b.c.d/n', sorted: IPRange sources and the endpoint IPs (/32) of Service sources. [] = any address. */
  sourceRanges: string[];
  /** https: TLS terminated with the pod's certificate; `serverNames` from tls.sniHosts; client certificates validated against the mesh CA unless skipClientCertValidation. */
  tls?: { serverNames: string[]; validateClient: boolean };
  /** RBAC on the client certificate: AuthenticatedPrincipal names, sorted; 'any' when no identity can be checked (http, or skipClientCertValidation). */
  principals: 'any' | string[];
  /** HTTP routes: 'all' (OSM's catch-all) or the matches of the HTTPRouteGroups the IngressBackend names. */
  routes: 'all' | HttpMatchIR[];
}

export interface ProxyIR {
  id: string;
  dir: string;
  workload: { kind: WorkloadKind; namespace: string; name: string };
  identity: IdentityKey;
  spiffeId: string;
  inbound: InboundPortIR[];
  outbound: OutboundPortIR[];
  /** Present when an Egress lists this proxy's identity. */
  egress?: EgressIR;
  /** Present when an IngressBackend names a Service port this proxy serves (Envoy target only); by target port. */
  ingress?: IngressIR[];
  /** Rewritten kubelet probes, by kind then container (Envoy target only). */
  probes: ProbeIR[];
}

export interface MeshIR {
  options: TranslateOptions;
  nodes: ProxyIR[];
  clusters: Map<string, ClusterIR>;
  /** Allowed (source identity, service port) pairs the compile realised. */
  edges: number;
}
