/**
 * Static reachability: who may talk to whom, on which ports, with which HTTP
 * requests, and why. Computed once per run from the canonical model by
 * `computeReachability(mesh, index, config)` (src/reach/index.ts) and shared
 * by the reachability lint rules, `meshc why`, `meshc graph`, `meshc test`
 * and the Envoy compiler (outbound clusters/routes per source identity,
 * inbound RBAC per destination identity).
 *
 * Everything here is plain, JSON-serialisable data (records, arrays,
 * strings, numbers). Objects are named by keys, never by reference:
 *   IdentityKey  'namespace/serviceaccount'   (e.g. 'bookbuyer/bookbuyer')
 *   ServiceKey   'namespace/service'          (e.g. 'bookstore/bookstore-v1')
 *   ObjectKey    'namespace/name'             (TrafficTarget, HTTPRouteGroup, …)
 * Resolve them against `MeshIndex` to get model objects (and their origins
 * for file:line).
 *
 * Size: everything is indexed by identity and by service; nothing is
 * services × identities. In permissive mode nothing is enumerated per source
 * (every identity reaches every port of every service): check `mode`.
 */

export type IdentityKey = string;
export type ServiceKey = string;
export type ObjectKey = string;

/** The route object a TrafficTarget rule names (its namespace is the TrafficTarget's). */
export interface RouteRef {
  kind: 'HTTPRouteGroup' | 'TCPRoute' | 'UDPRoute';
  namespace: string;
  name: string;
}

/** L7/L4 protocol of a grant. 'tcp' admits any bytes on the port (HTTP included). */
export type GrantProtocol = 'http' | 'tcp' | 'udp';

/** One HTTPRouteGroup match admitted by a grant, resolved from the group. */
export interface AdmittedHttpMatch {
  /** HTTPRouteGroup 'namespace/name'. */
  group: ObjectKey;
  /** Index in the group's `spec.matches` (canonical path ['spec','matches',index]). */
  index: number;
  name: string;
  /** RE2, anchored at the start only (SMI); undefined = every path. */
  pathRegex?: string;
  /** Undefined, empty or containing '*' = every method (as compile reads it). */
  methods?: string[];
  /** Lower-cased header name → RE2 full-match regex; AND-ed. */
  headers: { name: string; value: string }[];
  /** Gateway API query-parameter conditions (split matches only; TrafficTargets never admit them); AND-ed. */
  queryParams?: { name: string; type: 'Exact' | 'RegularExpression'; value: string }[];
}

/** A source entry of a TrafficTarget that a grant admits. */
export interface GrantSource {
  identity: IdentityKey;
  /** Index in the TrafficTarget's `spec.sources` (canonical ['spec','sources',index]). */
  index: number;
}

/**
 * One grant = one rule of one TrafficTarget: it lets `sources` in to every
 * service backed by `destination` on the ports it covers.
 * Grants are numbered by their position in `Reachability.grants` (stable:
 * TrafficTargets in input order, rules in order).
 */
export interface Grant {
  id: number;
  /** TrafficTarget 'namespace/name'. */
  trafficTarget: ObjectKey;
  /** Index in the TrafficTarget's `spec.rules`. */
  rule: number;
  /** Destination identity. */
  destination: IdentityKey;
  /** Sources (ServiceAccount subjects; other subject kinds are left out). */
  sources: GrantSource[];
  protocol: GrantProtocol;
  /**
   * Ports the rule covers: 'all' (HTTPRouteGroup rules; TCPRoute/UDPRoute with
   * `ports: []`), else TCPRoute/UDPRoute port numbers. A port number matches a
   * Service port when it equals the Service `port` or its resolved numeric
   * `targetPort`.
   */
  ports: number[] | 'all';
  /** For 'http': the admitted matches ([] when none resolved: the grant admits nothing). */
  http?: AdmittedHttpMatch[];
  /** Route object the rule names; `routeMissing` when the object does not exist. */
  route: RouteRef;
  routeMissing?: boolean;
}

export interface ReachPort {
  /** Service port number. */
  port: number;
  name?: string;
  /** Numeric target port when it resolves (named ports via the workloads' container ports). */
  targetPort: number | null;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

/** What reachability knows about one Service. */
export interface ReachService {
  key: ServiceKey;
  ports: ReachPort[];
  /** Identities of the workloads its selector picks, sorted. [] = no workloads (nobody serves it). */
  identities: IdentityKey[];
  /** Workloads behind it: 'namespace/Kind/name', sorted. */
  workloads: string[];
  /** Set when the Service is the root of a TrafficSplit (the one that applies). */
  splitRoot?: boolean;
}

/** Access of one source identity to one port of one service (outbound side). */
export interface PortAccess {
  service: ServiceKey;
  port: number;
  /**
   * Grants (ids) that admit this source on this port *to the service's own
   * workloads*. For a split root this is what non-matching requests (split
   * with `matches`) use; with no split it is the whole answer.
   */
  grants: number[];
  /** Present when the service is a TrafficSplit root: the verdict per backend. */
  split?: SplitVerdict;
}

export interface BackendVerdict {
  /** Backend service key. */
  service: ServiceKey;
  weight: number;
  /** The backend's port used for the root port (same `port` number), null when the backend lacks it. */
  port: number | null;
  /** Grants admitting this source to the backend on that port; [] = denied. */
  grants: number[];
  allowed: boolean;
  /** Why a backend is denied: no grant for this source, backend lacks the port, backend has no workloads, backend Service missing. */
  denied?: 'no-grant' | 'no-port' | 'no-workloads' | 'missing-service';
  /**
   * Set when the backend takes no traffic on this root port, for every caller
   * ('no-port', 'no-workloads', 'missing-service'): it is left out of the
   * split (as the spec says and `compile` does) and the other backends share
   * its requests. A 'no-grant' backend is not excluded: its share is denied.
   */
  excluded?: true;
}

/** The verdict of one rule of a split root for one caller (rules in `ReachSplit.rules` order). */
export interface RuleVerdict {
  /** Backends in rule order. */
  backends: BackendVerdict[];
  /** Sum of the weights of the backends that take traffic (excluded ones left out): shares are out of this. */
  totalWeight: number;
  /** Sum of weights of allowed backends. */
  allowedWeight: number;
}

export interface SplitVerdict {
  /** TrafficSplit 'namespace/name' that applies (the first for the root, as OSM; for GAMMA routes the first rule's). */
  split: ObjectKey;
  /** One verdict per rule of the split, in `ReachSplit.rules` order. */
  rules: RuleVerdict[];
}

/** Inbound side: which grants admit which sources to one port of a service backed by the destination identity. */
export interface InboundPort {
  service: ServiceKey;
  port: number;
  targetPort: number | null;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Grant ids (their `sources` and `http` matches are the RBAC principals and routes), in grant order. */
  grants: number[];
}

/**
 * One rule of a split root: requests matching `matches` go to weighted `backends`. An SMI TrafficSplit is one rule
 * (its HTTPRouteGroups, or every request); a Gateway API (GAMMA) route is one rule per match of each of its rules,
 * in Gateway API precedence order, merged over every route on the Service.
 */
export interface ReachRule {
  /** TrafficSplit 'namespace/name' holding the backends (for a GAMMA route, the lowered route rule). */
  split: ObjectKey;
  /** HTTPRouteGroups ('namespace/name') whose requests this rule takes; [] = every request. */
  matches: ObjectKey[];
  /** Set when only this match (index in the one group of `matches`) selects the rule's requests. */
  matchIndex?: number;
  backends: { service: ServiceKey; weight: number }[];
  totalWeight: number;
}

/** The rules that route one Service (a TrafficSplit root, or the parent of Gateway API mesh routes). */
export interface ReachSplit {
  /** The object named in messages: the TrafficSplit that applies, for GAMMA routes the first rule's. */
  split: ObjectKey;
  root: ServiceKey;
  /** Tried in order; the first rule whose matches a request meets takes it. */
  rules: ReachRule[];
  /**
   * Where requests matching no rule go: 'root' = the Service's own pods (SMI); 'none' = nowhere (Gateway API:
   * HTTP 404 once a route is attached and no rule matches).
   */
  unmatched: 'root' | 'none';
  /** Set when the rules apply to this Service port only (a GAMMA parentRef `port`); other ports go to the pods. */
  port?: number;
  /** Other TrafficSplits for the same root, ignored (OSM uses the first). */
  ignored: ObjectKey[];
}

/** Whether a split root's rules govern this port of it. */
export const splitGoverns = (split: ReachSplit | undefined, port: number): split is ReachSplit =>
  split !== undefined && (split.port === undefined || split.port === port);

export interface Reachability {
  mode: 'smi' | 'permissive';
  /** Every modelled Service, by key. */
  services: Record<ServiceKey, ReachService>;
  /** Services served by each identity (sorted), i.e. the destination side of TrafficTargets. */
  servicesByIdentity: Record<IdentityKey, ServiceKey[]>;
  /** Every grant, in TrafficTarget input order. Empty in permissive mode. */
  grants: Grant[];
  /**
   * Per source identity: every (service, port) it may reach, sorted by
   * service then port. Includes split roots whenever a backend or the root
   * itself admits the source. Empty in permissive mode.
   */
  outbound: Record<IdentityKey, PortAccess[]>;
  /** Per destination identity: grants per service port of the services it serves. Empty in permissive mode. */
  inbound: Record<IdentityKey, InboundPort[]>;
  /** Applying TrafficSplits by root service key. */
  splits: Record<ServiceKey, ReachSplit>;
}
