/**
 * The canonical mesh model. Every accepted API version is upgraded into this
 * one shape (access v1alpha3 + IdentityBinding draft, specs v1alpha4,
 * split v1alpha4) in src/model; later stages never see version differences.
 *
 * Everything here is plain, serialisable data. Paths used with `origin` are
 * canonical (e.g. ['spec', 'rules', 0, 'name']) whatever the source version:
 * `SourceSet.locate(obj.meta.origin, path)` maps them back to the exact field.
 */
import type { Origin, ResourceRef } from '../core/types.ts';
import type { Duration, OsmMesh } from './osm-types.ts';

export interface ObjectMeta {
  /** apiVersion as written in the source (e.g. access.smi-spec.io/v1alpha1). */
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped kinds (Namespace). Defaulted from --namespace when omitted. */
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  origin: Origin;
  /** True when metadata.namespace was absent and the default namespace was used. */
  namespaceDefaulted?: boolean;
}

export function refOf(meta: ObjectMeta): ResourceRef {
  return { apiVersion: meta.apiVersion, kind: meta.kind, namespace: meta.namespace, name: meta.name };
}

/** How messages name a split (`key`: its 'namespace/name'): a lowered Gateway API rule by the route the user wrote. */
export function splitLabel(split: { synthesizedFrom?: ResourceRef } | undefined, key: string): string {
  const from = split?.synthesizedFrom;
  return from ? `${from.kind} ${from.namespace}/${from.name}` : `TrafficSplit ${key}`;
}

// ---------------------------------------------------------------- Kubernetes

export interface Namespace { meta: ObjectMeta }

export interface ServiceAccount { meta: ObjectMeta }

export interface ServicePort {
  name?: string;
  port: number;
  /** Number or named port; defaults to `port` when absent in the source. */
  targetPort: number | string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface Service {
  meta: ObjectMeta;
  /** null when the Service has no selector (endpoints managed by hand). */
  selector: Record<string, string> | null;
  ports: ServicePort[];
  type: string;
  clusterIP?: string;
  externalName?: string;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Pod';

export interface ContainerPort {
  container: string;
  name?: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** The kubelet probes of the pod spec (livenessProbe, readinessProbe, startupProbe). */
export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface Probe {
  kind: ProbeKind;
  container: string;
  /** Index of the container in spec.containers (for positions). */
  containerIndex: number;
  /** httpGet with scheme HTTP or HTTPS, grpc, tcpSocket, exec; null = no handler meshc recognises. */
  handler: 'http' | 'https' | 'grpc' | 'tcp' | 'exec' | null;
  /** The port as written (a named port stays a string until resolved). */
  port?: number | string;
  /** httpGet.path as written ('/' when unset). */
  path?: string;
  /** httpGet.host: a probe sent to another host does not reach the pod. */
  host?: string;
  /** grpc.service (the health service name checked). */
  grpcService?: string;
  /** timeoutSeconds (Kubernetes default 1). */
  timeoutSeconds: number;
}

export interface Workload {
  meta: ObjectMeta;
  workloadKind: WorkloadKind;
  /** Labels of the pods it runs (template labels; a Pod's own labels). */
  podLabels: Record<string, string>;
  /** Path of the pod spec inside the object, for positions (['spec','template','spec'] or ['spec']). */
  podSpecPath: (string | number)[];
  /** As written; null when unset (the pod then runs as `default`). */
  serviceAccountName: string | null;
  containerPorts: ContainerPort[];
  /** Probes of the pod's containers, in container order then liveness, readiness, startup. */
  probes: Probe[];
  replicas?: number;
  /** Pod IP when the input is a Pod with status.podIP. */
  podIP?: string;
  /** A Pod managed by a controller (an ownerReference with controller: true): a replica, not a bare Pod. */
  controlled?: boolean;
}

export interface EndpointAddress {
  ip: string;
  ready: boolean;
  zone?: string;
  nodeName?: string;
  /** targetRef.name when it names a Pod. */
  podName?: string;
}

export interface EndpointPort { name?: string; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }

/**
 * Endpoints and EndpointSlice objects, both flattened to the Service they belong to.
 * An Endpoints object gives one EndpointSet per subset (addresses and ports of
 * different subsets do not mix); canonical paths ['addresses', i] and
 * ['ports', i] locate the source field.
 */
export interface EndpointSet {
  meta: ObjectMeta;
  serviceName: string;
  addresses: EndpointAddress[];
  ports: EndpointPort[];
}

// ---------------------------------------------------------------- SMI specs

export const HTTP_METHODS = ['*', 'GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface HeaderMatch {
  /** Lower-cased header name. */
  name: string;
  /** RE2 regular expression the value must match. */
  value: string;
}

/** A query-parameter condition (Gateway API `queryParams`; SMI has none). Names compare exactly. */
export interface QueryParamMatch {
  name: string;
  /** Exact: the value as written; RegularExpression: RE2, whole value. */
  type: 'Exact' | 'RegularExpression';
  value: string;
}

export interface HTTPMatch {
  name: string;
  pathRegex?: string;
  /** Undefined when absent in the source (meaning: every method). */
  methods?: HttpMethod[];
  headers: HeaderMatch[];
  /** Only in groups lowered from Gateway API routes (src/model/gamma-lower.ts); AND-ed with the rest. */
  queryParams?: QueryParamMatch[];
}

export interface HTTPRouteGroup {
  meta: ObjectMeta;
  /** Set when meshc built this group from the matches of a Gateway API route rule (src/model/gamma-lower.ts). */
  synthesizedFrom?: ResourceRef;
  /** Canonical path of match i: ['spec', 'matches', i]; of header h: [..., 'headers', name]. */
  matches: HTTPMatch[];
}

export interface TCPRoute {
  meta: ObjectMeta;
  /** Destination ports; [] means every port. */
  ports: number[];
  /** Set when meshc synthesised this route from a v1alpha1/v1alpha2 TrafficTarget `destination.port`. */
  synthesizedFrom?: ResourceRef;
}

export interface UDPRoute {
  meta: ObjectMeta;
  /** Destination ports; [] means every port. */
  ports: number[];
}

// ---------------------------------------------------------------- SMI access

export interface IdentitySubject {
  kind: string;
  name: string;
  /** Resolved namespace: the TrafficTarget's own namespace when omitted. */
  namespace: string;
  /** False when the source left `namespace` out. */
  namespaceExplicit: boolean;
}

export interface TrafficTargetRule {
  kind: string;
  name: string;
  /** Undefined when omitted: every match of the group. */
  matches?: string[];
}

export interface TrafficTarget {
  meta: ObjectMeta;
  /** Canonical paths: ['spec','destination'], ['spec','rules',i], ['spec','sources',i]. */
  destination: IdentitySubject;
  rules: TrafficTargetRule[];
  sources: IdentitySubject[];
}

export interface IdentityBinding {
  meta: ObjectMeta;
  podLabelSelector?: Record<string, string>;
  serviceAccount?: string;
  spiffeIdentities?: string[];
}

// ---------------------------------------------------------------- SMI split

export interface SplitBackend {
  service: string;
  /**
   * Whole, non-negative relative weight. v1alpha1 Quantity weights are
   * normalised to milli-units ({1, 500m} → {1000, 500}).
   */
  weight: number;
  /** Set only for a GAMMA backendRef in another namespace than its route (granted by a ReferenceGrant). */
  namespace?: string;
}

/** Header changes of a Gateway API RequestHeaderModifier / ResponseHeaderModifier filter (names lower-cased). */
export interface HeaderMutation {
  /** Replace the header (or add it). */
  set: { name: string; value: string }[];
  /** Append a value (or add the header). */
  add: { name: string; value: string }[];
  remove: string[];
}

/** A Gateway API RequestMirror filter: a copy of each request (or a fraction of them) goes to `service`. */
export interface RouteMirror {
  /** Service 'namespace/name'. */
  service: string;
  /** Undefined: the port the request was sent to. */
  port?: number;
  /** Share of the requests mirrored; undefined = all. */
  fraction?: { numerator: number; denominator: number };
  /** Index of the filter in its rule's `filters` (canonical path ['spec', 'rules', rule, 'filters', filter]). */
  filter: number;
}

/**
 * What a Gateway API route rule does to the requests it routes besides choosing backends (timeouts and filters,
 * GEP-1742 and the filter types Envoy realises). SMI TrafficSplits never carry one.
 */
export interface RoutePolicy {
  /** The route rule it comes from (canonical path ['spec', 'rules', rule]). */
  rule: number;
  /** `timeouts.request`: the whole request, retries included; 0 = no timeout. */
  request?: Duration;
  /** `timeouts.backendRequest`: each try to a backend; 0 = no timeout. */
  backendRequest?: Duration;
  requestHeaders?: HeaderMutation;
  responseHeaders?: HeaderMutation;
  mirrors?: RouteMirror[];
}

export interface TrafficSplit {
  meta: ObjectMeta;
  /** Set when meshc built this split from a Gateway API (GAMMA) route; `meta` is then the route's. */
  synthesizedFrom?: ResourceRef;
  /** Root (apex) service name. Canonical path ['spec','service']. */
  service: string;
  /** Canonical path ['spec','backends',i]. */
  backends: SplitBackend[];
  /** Canonical path ['spec','matches',i]. */
  matches: { kind: string; name: string; apiGroup?: string }[];
  /** 'milli' when weights came from v1alpha1 Quantities. */
  weightUnit: 'integer' | 'milli';
  /**
   * Set (> 0) only when a v1alpha1 weight was finer than 1m (e.g. "1u", "0.5m"):
   * the whole split was scaled by 10^weightScale, so each weight is
   * milli-units × 10^weightScale. Ratios are exact; no weight is rounded.
   */
  weightScale?: number;
  /**
   * Only on splits lowered from Gateway API routes: the policy of the requests the split routes (`split`: every
   * request, or those matching `matches`) and of the rest, which go to the root Service (`root`, the catch-all rule).
   */
  policies?: { split?: RoutePolicy; root?: RoutePolicy };
  /**
   * Set on the splits lowered from the rules of Gateway API mesh routes (one per route rule; several for one
   * Service when it has several rules or routes): together they route the Service, and unmatched requests get 404.
   * Their `policies.split` is the rule's policy.
   */
  gamma?: GammaSplitRule;
}

/** Where one lowered GAMMA route rule stands in its Service's merged rule table. */
export interface GammaSplitRule {
  /** Index of the rule in its route's `spec.rules`. */
  rule: number;
  /**
   * One entry per match of the rule (its HTTPRouteGroup's match `match`; none = every request), each with its
   * Gateway API precedence key: the Service's entries sorted by `key` (compared element by element) are its route order.
   * `shadowed`: an earlier entry takes every request this one would (MESH1230), so it never matches.
   */
  entries: { match?: number; key: number[]; shadowed?: true }[];
  /** The parentRef port the route applies to (the Service's other ports go to its pods); undefined = every port. */
  port?: number;
}

// ---------------------------------------------------------------- Gateway API (GAMMA)

/** Canonical paths of a GAMMA route are its source paths (one layout in every served version). */
export interface GammaParentRef {
  /** '' = core (a Service); the API default is gateway.networking.k8s.io. */
  group: string;
  /** The API default is Gateway. */
  kind: string;
  namespace: string;
  name: string;
  port?: number;
  sectionName?: string;
}

export interface GammaBackendRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  port?: number;
  /** Default 1. */
  weight: number;
}

export interface GammaStringMatch { type: string; name: string; value: string }

export interface GammaMatch {
  path?: { type: string; value: string };
  headers: GammaStringMatch[];
  queryParams: GammaStringMatch[];
  method?: string;
  /** GRPCRoute `method` match. */
  grpc?: { type: string; service?: string; method?: string };
}

export interface GammaHeaderModifier { set: { name: string; value: string }[]; add: { name: string; value: string }[]; remove: string[] }

/** A rule-level filter as written (the parts meshc models; other types keep only `type`). */
export interface GammaFilter {
  type: string;
  requestHeaderModifier?: GammaHeaderModifier;
  responseHeaderModifier?: GammaHeaderModifier;
  requestMirror?: { backendRef: GammaBackendRef; percent?: number; fraction?: { numerator: number; denominator: number } };
}

export interface GammaRule {
  matches: GammaMatch[];
  backendRefs: GammaBackendRef[];
  /** Filter types of the rule and of its backendRefs, in order (the rule's first). */
  filters: string[];
  /** The rule's own filters (not its backendRefs'), in order: `filters[i]` is `ruleFilters[i].type`. */
  ruleFilters?: GammaFilter[];
  timeouts?: { request?: string; backendRequest?: string };
  /** Experimental-channel fields present (retry, sessionPersistence). */
  other: string[];
}

/** An HTTPRoute or GRPCRoute, as written (defaults applied); src/model/gamma-lower.ts lowers the mesh routes. */
export interface GammaRoute {
  meta: ObjectMeta;
  parentRefs: GammaParentRef[];
  hostnames: string[];
  rules: GammaRule[];
  /** metadata.creationTimestamp as written: the older of two routes wins a precedence tie. */
  createdAt?: string;
}

export interface ReferenceGrant {
  meta: ObjectMeta;
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}

// ---------------------------------------------------------------- the mesh

/** A resource present in the input but left out of the model because it failed validation. */
export interface RejectedResource { ref: ResourceRef; origin: Origin }

export interface Mesh extends OsmMesh {
  namespaces: Namespace[];
  serviceAccounts: ServiceAccount[];
  services: Service[];
  workloads: Workload[];
  endpoints: EndpointSet[];
  httpRouteGroups: HTTPRouteGroup[];
  tcpRoutes: TCPRoute[];
  udpRoutes: UDPRoute[];
  trafficTargets: TrafficTarget[];
  identityBindings: IdentityBinding[];
  trafficSplits: TrafficSplit[];
  /** Gateway API HTTPRoutes and GRPCRoutes (meta.kind tells which). */
  gammaRoutes: GammaRoute[];
  referenceGrants: ReferenceGrant[];
  /** Failed schema validation: they exist (so no "not found" cascade) but are not modelled. */
  rejected: RejectedResource[];
  /** Documents of other kinds (meshc.dev ReachabilityTest, …) kept raw for the stages that read them. */
  extra: { apiVersion: string; kind: string; value: Record<string, unknown>; origin: Origin }[];
}

export function emptyMesh(): Mesh {
  return {
    namespaces: [], serviceAccounts: [], services: [], workloads: [], endpoints: [],
    httpRouteGroups: [], tcpRoutes: [], udpRoutes: [], trafficTargets: [], identityBindings: [],
    trafficSplits: [], gammaRoutes: [], referenceGrants: [], rejected: [], extra: [],
    meshConfigs: [], egresses: [], ingressBackends: [], upstreamTrafficSettings: [], retries: [],
  };
}
