/**
 * Types of the meshc TypeScript DSL (`import { defineMesh } from 'meshc'`).
 *
 * Two layers:
 * - the *input shapes* (`MeshInput`, `NamespaceInput`, …): what a mesh
 *   description may contain, in SMI terms;
 * - `CheckMesh<M>`: computed from the literal type `defineMesh` infers for its
 *   argument, it narrows every reference (route group, match, service,
 *   service account, namespace) to the names defined in the same mesh and
 *   turns unknown fields into errors, so the editor rejects a typo before
 *   meshc runs.
 *
 * This file must stay self-contained (no imports, no Node types): meshc
 * type-checks users' files against it.
 */

export type Labels = { readonly [key: string]: string };

export type HttpMethod = '*' | 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/**
 * A name defined outside this mesh description (in YAML next to it, or in the
 * cluster): made with `external('name')`; references to it are not checked.
 */
export interface External {
  readonly external: string;
}

/** A reference by name: to an object of this mesh, or `external(...)`. */
export type Ref = string | External;

/** Metadata every object may carry. */
export interface ObjectInput {
  labels?: Labels;
  annotations?: Labels;
}

// ------------------------------------------------------------------ Kubernetes

export interface ServiceAccountInput extends ObjectInput {}

export interface ServicePortInput {
  name?: string;
  port: number;
  /** Defaults to `port`. */
  targetPort?: number | string;
  /** Defaults to TCP. */
  protocol?: Protocol;
  appProtocol?: string;
}

export interface ServiceInput extends ObjectInput {
  /** Pod labels the Service selects; `null` for a Service without selector. */
  selector?: Labels | null;
  ports: readonly ServicePortInput[];
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP?: string;
  externalName?: string;
}

export interface ContainerPortInput {
  name?: string;
  containerPort: number;
  protocol?: Protocol;
}

export interface EnvVarInput {
  name: string;
  value?: string;
  valueFrom?: { readonly [key: string]: unknown };
}

/** A kubelet probe (Kubernetes' Probe): compile rewrites HTTP, HTTPS and gRPC ones to the sidecar's probe listeners. */
export interface ProbeInput {
  httpGet?: { path?: string; port: number | string; scheme?: 'HTTP' | 'HTTPS'; host?: string; httpHeaders?: readonly { name: string; value: string }[] };
  grpc?: { port: number; service?: string };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command?: readonly string[] };
  timeoutSeconds?: number;
  periodSeconds?: number;
  initialDelaySeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export interface ContainerInput {
  name: string;
  image?: string;
  ports?: readonly ContainerPortInput[];
  livenessProbe?: ProbeInput;
  readinessProbe?: ProbeInput;
  startupProbe?: ProbeInput;
  command?: readonly string[];
  args?: readonly string[];
  /** A map of plain values, or the Kubernetes list form. */
  env?: Labels | readonly EnvVarInput[];
}

interface PodTemplateInput extends ObjectInput {
  /** Labels of the pods (spec.template.metadata.labels). */
  podLabels?: Labels;
  podAnnotations?: Labels;
  /** spec.selector.matchLabels; defaults to `podLabels`. */
  selector?: Labels;
  /** The identity the pods run as (serviceAccountName); `default` when omitted. */
  serviceAccount?: Ref;
  containers: readonly ContainerInput[];
}

export interface DeploymentInput extends PodTemplateInput {
  replicas?: number;
}

export interface StatefulSetInput extends DeploymentInput {
  /** The governing (usually headless) Service. */
  serviceName?: string;
}

export interface ReplicaSetInput extends DeploymentInput {}

export interface DaemonSetInput extends PodTemplateInput {}

export interface PodInput extends ObjectInput {
  serviceAccount?: Ref;
  containers: readonly ContainerInput[];
  /** status.podIP, for meshes that describe running pods. */
  podIP?: string;
}

// ------------------------------------------------------------------ SMI specs

export interface HttpMatchInput {
  /** RE2 regular expression, anchored at the start of the path. */
  pathRegex?: string;
  /** Omitted: every method. */
  methods?: readonly HttpMethod[];
  /** Header name → RE2 regular expression the value must match (AND-ed). */
  headers?: Labels;
}

export interface HttpRouteGroupInput extends ObjectInput {
  /** Match name → match. The names are what TrafficTarget rules list. */
  matches: { readonly [name: string]: HttpMatchInput };
}

export interface PortRouteInput extends ObjectInput {
  /** Destination ports; omitted or [] = every port. */
  ports?: readonly number[];
}

// ------------------------------------------------------------------ SMI access

export type SubjectKind = 'ServiceAccount' | 'IdentityBinding';

/**
 * An identity: `'name'` (a service account in the TrafficTarget's namespace),
 * `'namespace/name'`, or the SMI object form.
 */
export type SubjectInput = Ref | { kind?: SubjectKind; name: Ref; namespace?: string };

export interface RuleInput {
  kind: 'HTTPRouteGroup' | 'TCPRoute' | 'UDPRoute';
  name: Ref;
  /** HTTPRouteGroup match names; omitted = every match of the group. */
  matches?: readonly Ref[];
}

export interface TrafficTargetInput extends ObjectInput {
  destination: SubjectInput;
  rules: readonly RuleInput[];
  sources: readonly SubjectInput[];
}

export interface IdentityBindingInput extends ObjectInput {
  podLabelSelector?: Labels;
  serviceAccount?: string;
  spiffeIdentities?: readonly string[];
}

// ------------------------------------------------------------------ SMI split

export interface BackendInput {
  service: Ref;
  weight: number;
}

export interface SplitMatchInput {
  kind: 'HTTPRouteGroup';
  name: Ref;
  apiGroup?: string;
}

export interface TrafficSplitInput extends ObjectInput {
  /** The root (apex) Service clients call. */
  service: Ref;
  /** The SMI list of backends. Give this or `weights`. */
  backends?: readonly BackendInput[];
  /** Shorthand for `backends`: `{ 'service-v1': 90, 'service-v2': 10 }`. */
  weights?: { readonly [service: string]: number };
  matches?: readonly SplitMatchInput[];
}

// ------------------------------------------------------------------ the mesh

export interface NamespaceInput extends ObjectInput {
  /** Emit the Namespace object itself (default true). Set false for namespaces that exist already. */
  declare?: boolean;
  /** Names, or name → metadata. */
  serviceAccounts?: readonly string[] | { readonly [name: string]: ServiceAccountInput };
  services?: { readonly [name: string]: ServiceInput };
  deployments?: { readonly [name: string]: DeploymentInput };
  statefulSets?: { readonly [name: string]: StatefulSetInput };
  daemonSets?: { readonly [name: string]: DaemonSetInput };
  replicaSets?: { readonly [name: string]: ReplicaSetInput };
  pods?: { readonly [name: string]: PodInput };
  httpRouteGroups?: { readonly [name: string]: HttpRouteGroupInput };
  tcpRoutes?: { readonly [name: string]: PortRouteInput };
  udpRoutes?: { readonly [name: string]: PortRouteInput };
  trafficTargets?: { readonly [name: string]: TrafficTargetInput };
  identityBindings?: { readonly [name: string]: IdentityBindingInput };
  trafficSplits?: { readonly [name: string]: TrafficSplitInput };
}

/** Any Kubernetes-style object, passed through unchanged (e.g. a meshc.dev ReachabilityTest, Endpoints). */
export interface ResourceInput {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export interface MeshInput {
  namespaces?: { readonly [name: string]: NamespaceInput };
  resources?: readonly ResourceInput[];
}

/** What `defineMesh` returns; the default export of a DSL file. */
export interface MeshDefinition<M extends MeshInput = MeshInput> {
  readonly apiVersion: 'meshc.dev/v1alpha1';
  readonly kind: 'MeshDefinition';
  readonly spec: M;
}

// ------------------------------------------------------------------ checking references
//
// defineMesh's parameter is M when M passes CheckMesh<M>, else CheckMesh<M>:
// M is the literal type of the argument; CheckMesh<M> mirrors it, keeping each
// valid value's own type and replacing a bad one by an error type (a wrong
// scalar by the type the field takes). The editor then underlines the bad
// field, and the error type's name and arguments say what is wrong.

/** A field meshc does not know (usually a typo). */
export interface UnknownField<Field extends PropertyKey, Known extends PropertyKey> {
  readonly 'meshc: unknown field': Field;
  readonly 'known fields': Known;
}

/** A reference to something this mesh does not define. Use external('name') for objects defined elsewhere. */
export interface NotInMesh<What extends string, Name, Known> {
  readonly 'meshc: not defined in this mesh': What;
  readonly name: Name;
  readonly known: Known;
}

type Keys<T> = T extends readonly (infer E)[] ? E & string : T extends object ? keyof T & string : never;

/** `Spec` plus an error type on every key of `Actual` that `Spec` does not have. */
type Exact<Actual, Spec> = string extends keyof Actual ? Spec : Spec & { readonly [K in Exclude<keyof Actual, keyof Spec>]: UnknownField<K, FieldNames<Spec>> };
/**
 * A record computed at run time (`Object.fromEntries(…)`, `{ [name]: … }`)
 * has no literal keys to check: it gets the plain input type instead.
 */
type Checked<Actual, Strict, Plain> = string extends keyof Actual ? Plain : Strict;
/** The field names as a union of literals (so the editor's message lists them). */
type FieldNames<Spec> = Spec extends unknown ? keyof Spec & string : never;
/** Exact, element-wise; a homomorphic mapping over a type parameter keeps tuples tuples. */
type ExactEach<List, Spec> = { readonly [I in keyof List]: Exact<List[I], Spec> };
type ExactRecord<Rec, Spec> = { readonly [K in keyof Rec]: Exact<Rec[K], Spec> };
/** The value itself when it names a known object (or is external), an error type otherwise. */
type Known<Actual, Allowed, What extends string> = Actual extends External ? Actual : Actual extends Allowed ? Actual : NotInMesh<What, Actual, Allowed>;
type KnownEach<List, Allowed, What extends string> = { readonly [I in keyof List]: Known<List[I], Allowed, What> };

type NsMap<M> = M extends { namespaces: infer N } ? N : {};
type NsNames<M> = keyof NsMap<M> & string;
type Ns<M, N> = N extends keyof NsMap<M> ? NsMap<M>[N] : never;
type Field<T, F extends string> = T extends { readonly [P in F]?: infer V } ? Exclude<V, undefined> : never;

type SaNames<NS> = NS extends unknown ? 'default' | Keys<Field<NS, 'serviceAccounts'>> : never;
type ServiceNames<NS> = Keys<Field<NS, 'services'>>;
type GroupNames<NS> = Keys<Field<NS, 'httpRouteGroups'>>;
type BindingNames<NS> = Keys<Field<NS, 'identityBindings'>>;
type MatchNames<NS, G> = G extends keyof Field<NS, 'httpRouteGroups'> ? Keys<Field<Field<NS, 'httpRouteGroups'>[G], 'matches'>> : never;
/** Every `namespace/serviceAccount` of the mesh. */
type QualifiedSas<M> = M extends unknown ? { [K in NsNames<M>]: `${K}/${SaNames<Ns<M, K>>}` }[NsNames<M>] : never;

type ObjectMetaSpec = { labels?: Labels; annotations?: Labels };

/** A TrafficTarget subject: `'name'`, `'namespace/name'`, `{ kind?, name, namespace? }` or external(...). */
type CheckSubject<S, M, N extends string> =
  S extends External ? S
  : S extends string ? Known<S, SaNames<Ns<M, N>> | QualifiedSas<M>, 'service account'>
  : S extends { name: External } ? Exact<S, { kind?: SubjectKind; name: External; namespace?: string }>
  : Exact<S, CheckSubjectObject<S, M, S extends { namespace: infer X extends string } ? X : N>>;

type CheckSubjectObject<S, M, Where extends string> = {
  kind?: SubjectKind;
  namespace?: Known<Where, NsNames<M>, 'namespace'>;
  name: S extends { kind: 'IdentityBinding' }
    ? Known<Field<S, 'name'>, BindingNames<Ns<M, Where>>, 'identity binding'>
    : Known<Field<S, 'name'>, SaNames<Ns<M, Where>>, 'service account'>;
};
type CheckSubjects<List, M, N extends string> = { readonly [I in keyof List]: CheckSubject<List[I], M, N> };

/** A TrafficTarget rule: the route must exist in the namespace, the matches in the route group. */
type CheckRule<R, NS> =
  R extends { kind: 'HTTPRouteGroup'; name: infer G }
    ? Exact<R, {
        kind: 'HTTPRouteGroup';
        name: Known<G, GroupNames<NS>, 'HTTPRouteGroup'>;
        // An unknown group is reported at its name; its matches are not checked against nothing (one error, not one per match).
        matches?: G extends External ? readonly string[] : G extends GroupNames<NS> ? KnownEach<Field<R, 'matches'>, MatchNames<NS, G>, 'match of this HTTPRouteGroup'> : readonly string[];
      }>
    : R extends { kind: 'TCPRoute'; name: infer T } ? Exact<R, { kind: 'TCPRoute'; name: Known<T, Keys<Field<NS, 'tcpRoutes'>>, 'TCPRoute'> }>
    : R extends { kind: 'UDPRoute'; name: infer U } ? Exact<R, { kind: 'UDPRoute'; name: Known<U, Keys<Field<NS, 'udpRoutes'>>, 'UDPRoute'> }>
    : RuleInput;
type CheckRules<List, NS> = { readonly [I in keyof List]: CheckRule<List[I], NS> };

type CheckContainer<C> = Exact<C, Omit<ContainerInput, 'ports'> & { ports?: ExactEach<Field<C, 'ports'>, ContainerPortInput> }>;
type CheckContainers<List> = { readonly [I in keyof List]: CheckContainer<List[I]> };

type CheckWorkloads<W, NS, Base> = Checked<W, {
  readonly [K in keyof W]: Exact<W[K], Omit<Base, 'serviceAccount' | 'containers'> & {
    serviceAccount?: Known<Field<W[K], 'serviceAccount'>, SaNames<NS>, 'service account'>;
    containers: CheckContainers<Field<W[K], 'containers'>>;
  }>;
}, { readonly [name: string]: Base }>;

type CheckBackends<List, NS> = {
  readonly [I in keyof List]: Exact<List[I], { service: Known<Field<List[I], 'service'>, ServiceNames<NS>, 'Service'>; weight: number }>;
};
type CheckWeights<W, NS> = Checked<W, { readonly [S in keyof W]: S extends ServiceNames<NS> ? number : NotInMesh<'Service', S, ServiceNames<NS>> }, { readonly [service: string]: number }>;
/** Service accounts: the list form, or name → metadata (distributes over a union of both). */
type CheckServiceAccounts<S> = S extends readonly unknown[] ? readonly string[] : Checked<S, ExactRecord<S, ServiceAccountInput>, { readonly [name: string]: ServiceAccountInput }>;
type CheckSplitMatches<List, NS> = {
  readonly [I in keyof List]: Exact<List[I], { kind: 'HTTPRouteGroup'; name: Known<Field<List[I], 'name'>, GroupNames<NS>, 'HTTPRouteGroup'>; apiGroup?: string }>;
};

type CheckNamespace<M, N extends string, NS> = Exact<NS, {
  declare?: boolean;
  labels?: Labels;
  annotations?: Labels;
  serviceAccounts?: CheckServiceAccounts<Field<NS, 'serviceAccounts'>>;
  services?: Checked<Field<NS, 'services'>, {
    readonly [K in keyof Field<NS, 'services'>]: Exact<Field<NS, 'services'>[K], Omit<ServiceInput, 'ports'> & {
      ports: ExactEach<Field<Field<NS, 'services'>[K], 'ports'>, ServicePortInput>;
    }>;
  }, { readonly [name: string]: ServiceInput }>;
  deployments?: CheckWorkloads<Field<NS, 'deployments'>, NS, DeploymentInput>;
  statefulSets?: CheckWorkloads<Field<NS, 'statefulSets'>, NS, StatefulSetInput>;
  daemonSets?: CheckWorkloads<Field<NS, 'daemonSets'>, NS, DaemonSetInput>;
  replicaSets?: CheckWorkloads<Field<NS, 'replicaSets'>, NS, ReplicaSetInput>;
  pods?: CheckWorkloads<Field<NS, 'pods'>, NS, PodInput>;
  httpRouteGroups?: Checked<Field<NS, 'httpRouteGroups'>, {
    readonly [K in keyof Field<NS, 'httpRouteGroups'>]: Exact<Field<NS, 'httpRouteGroups'>[K], ObjectMetaSpec & {
      matches: Checked<Field<Field<NS, 'httpRouteGroups'>[K], 'matches'>, ExactRecord<Field<Field<NS, 'httpRouteGroups'>[K], 'matches'>, HttpMatchInput>, HttpRouteGroupInput['matches']>;
    }>;
  }, { readonly [name: string]: HttpRouteGroupInput }>;
  tcpRoutes?: Checked<Field<NS, 'tcpRoutes'>, ExactRecord<Field<NS, 'tcpRoutes'>, PortRouteInput>, { readonly [name: string]: PortRouteInput }>;
  udpRoutes?: Checked<Field<NS, 'udpRoutes'>, ExactRecord<Field<NS, 'udpRoutes'>, PortRouteInput>, { readonly [name: string]: PortRouteInput }>;
  identityBindings?: Checked<Field<NS, 'identityBindings'>, ExactRecord<Field<NS, 'identityBindings'>, IdentityBindingInput>, { readonly [name: string]: IdentityBindingInput }>;
  trafficTargets?: Checked<Field<NS, 'trafficTargets'>, {
    readonly [K in keyof Field<NS, 'trafficTargets'>]: Exact<Field<NS, 'trafficTargets'>[K], ObjectMetaSpec & {
      destination: CheckSubject<Field<Field<NS, 'trafficTargets'>[K], 'destination'>, M, N>;
      rules: CheckRules<Field<Field<NS, 'trafficTargets'>[K], 'rules'>, NS>;
      sources: CheckSubjects<Field<Field<NS, 'trafficTargets'>[K], 'sources'>, M, N>;
    }>;
  }, { readonly [name: string]: TrafficTargetInput }>;
  trafficSplits?: Checked<Field<NS, 'trafficSplits'>, {
    readonly [K in keyof Field<NS, 'trafficSplits'>]: Exact<Field<NS, 'trafficSplits'>[K], ObjectMetaSpec & {
      service: Known<Field<Field<NS, 'trafficSplits'>[K], 'service'>, ServiceNames<NS>, 'Service'>;
      backends?: CheckBackends<Field<Field<NS, 'trafficSplits'>[K], 'backends'>, NS>;
      weights?: CheckWeights<Field<Field<NS, 'trafficSplits'>[K], 'weights'>, NS>;
      matches?: CheckSplitMatches<Field<Field<NS, 'trafficSplits'>[K], 'matches'>, NS>;
    }>;
  }, { readonly [name: string]: TrafficSplitInput }>;
}>;

/**
 * The checks `defineMesh` applies to the literal type of its argument: every
 * reference must name something defined in the mesh (or be `external(...)`),
 * and every field must be known.
 */
export type CheckMesh<M> = Exact<M, {
  namespaces?: Checked<NsMap<M>, { readonly [N in NsNames<M>]: CheckNamespace<M, N, Ns<M, N>> }, MeshInput['namespaces']>;
  resources?: readonly ResourceInput[];
}>;
