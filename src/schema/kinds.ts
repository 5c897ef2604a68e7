/**
 * The kinds meshc reads: which API group and versions each belongs to, which
 * versions are unreleased drafts, and which schema validates it.
 */

export type KindFamily = 'smi' | 'osm' | 'kubernetes' | 'gateway';

export interface KindInfo {
  kind: string;
  group: string;
  /** Accepted versions, oldest first. */
  versions: readonly string[];
  /** Versions that were never released (accepted with a warning unless `draft` is set). */
  draftVersions: readonly string[];
  family: KindFamily;
  /** Namespace objects are cluster-scoped. */
  clusterScoped?: boolean;
  /** What the API server accepts as metadata.name (default: a DNS-1123 subdomain). */
  nameRule?: NameRule;
}

/**
 * The name formats of Kubernetes (apimachinery validation): most kinds take
 * a DNS-1123 subdomain, Namespaces a DNS-1123 label, Services a DNS-1035
 * label (their name becomes a DNS label of the cluster domain).
 */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label';

export const NAME_RULES: Record<NameRule, { pattern: RegExp; max: number; text: string }> = {
  'dns1123-subdomain': {
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, max: 253,
    text: 'a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters',
  },
  'dns1123-label': {
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, max: 63,
    text: 'a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
  },
  'dns1035-label': {
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, max: 63,
    text: 'a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters',
  },
};

/** What is wrong with `name` under `rule` (first problem found), or undefined when it is valid. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  const r = NAME_RULES[rule];
  if (name.length <= r.max && r.pattern.test(name)) return undefined;
  if (name.length === 0) return 'it is empty';
  if (name.length > r.max) return `it is ${name.length} characters long`;
  if (/[A-Z]/.test(name)) return 'it has uppercase letters';
  const allowed = rule === 'dns1123-subdomain' ? /[-a-z0-9.]/ : /[-a-z0-9]/;
  const bad = [...name].find((c) => !allowed.test(c));
  if (bad !== undefined) return `${JSON.stringify(bad)} is not allowed`;
  if (rule === 'dns1035-label' && /^[0-9]/.test(name)) return 'it starts with a digit';
  if (/^[-.]|[-.]$/.test(name)) return `it ${/^[-.]/.test(name) ? 'starts' : 'ends'} with ${JSON.stringify(/^[-.]/.test(name) ? name[0] : name.at(-1))}`;
  return 'a "." is next to another "." or a "-"';
}

const smi = (kind: string, group: string, versions: string[], draftVersions: string[] = []): KindInfo =>
  ({ kind, group, versions, draftVersions, family: 'smi' });
const osm = (kind: string, group: string, versions: string[], draftVersions: string[] = []): KindInfo =>
  ({ kind, group, versions, draftVersions, family: 'osm' });
const k8s = (kind: string, group: string, versions: string[], extra: Partial<KindInfo> = {}): KindInfo =>
  ({ kind, group, versions, draftVersions: [], family: 'kubernetes', ...extra });

export const ACCESS = 'access.smi-spec.io';
export const SPECS = 'specs.smi-spec.io';
export const SPLIT = 'split.smi-spec.io';
export const METRICS = 'metrics.smi-spec.io';
/** Open Service Mesh's configuration and policy groups (OSM v1.2). */
export const OSM_CONFIG = 'config.openservicemesh.io';
export const OSM_POLICY = 'policy.openservicemesh.io';
export const OSM_GROUPS = [OSM_CONFIG, OSM_POLICY] as const;
/** Gateway API: its mesh profile (GAMMA) is meshc's second front end (docs/guide-gamma.md). */
export const GATEWAY = 'gateway.networking.k8s.io';
/** meshc's own kinds (ReachabilityTest, …): passed to `mesh.extra` untouched. */
export const MESHC_GROUP = 'meshc.dev';

export const KINDS: readonly KindInfo[] = [
  smi('TrafficTarget', ACCESS, ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'], ['v1alpha4']),
  smi('IdentityBinding', ACCESS, ['v1alpha4'], ['v1alpha4']),
  smi('HTTPRouteGroup', SPECS, ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']),
  smi('TCPRoute', SPECS, ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']),
  smi('UDPRoute', SPECS, ['v1alpha4']),
  smi('TrafficSplit', SPLIT, ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']),
  // MeshConfig v1alpha3 was on OSM's main branch for a few days (osm#4671, reverted by osm#4684) and never released.
  osm('MeshConfig', OSM_CONFIG, ['v1alpha1', 'v1alpha2', 'v1alpha3'], ['v1alpha3']),
  osm('Egress', OSM_POLICY, ['v1alpha1']),
  osm('IngressBackend', OSM_POLICY, ['v1alpha1']),
  osm('UpstreamTrafficSetting', OSM_POLICY, ['v1alpha1']),
  osm('Retry', OSM_POLICY, ['v1alpha1']),
  k8s('Namespace', '', ['v1'], { clusterScoped: true, nameRule: 'dns1123-label' }),
  k8s('ServiceAccount', '', ['v1']),
  k8s('Service', '', ['v1'], { nameRule: 'dns1035-label' }),
  k8s('Pod', '', ['v1']),
  k8s('Endpoints', '', ['v1']),
  k8s('Deployment', 'apps', ['v1']),
  k8s('StatefulSet', 'apps', ['v1']),
  k8s('DaemonSet', 'apps', ['v1']),
  k8s('ReplicaSet', 'apps', ['v1']),
  k8s('EndpointSlice', 'discovery.k8s.io', ['v1', 'v1beta1']),
  // Served versions of the Gateway API CRDs (GRPCRoute v1alpha2 left the CRDs in v1.2.0).
  { kind: 'HTTPRoute', group: GATEWAY, versions: ['v1beta1', 'v1'], draftVersions: [], family: 'gateway' },
  { kind: 'GRPCRoute', group: GATEWAY, versions: ['v1'], draftVersions: [], family: 'gateway' },
  { kind: 'ReferenceGrant', group: GATEWAY, versions: ['v1beta1', 'v1'], draftVersions: [], family: 'gateway' },
];

/** SMI groups meshc knows; TrafficMetrics (metrics) is read-only API output and only reported. */
export const SMI_GROUPS = [ACCESS, SPECS, SPLIT, METRICS] as const;

/** Groups whose kinds meshc knows completely enough to call a misplaced kind a mistake. */
export const OWNED_GROUPS = new Set<string>(['', 'apps', 'extensions', 'discovery.k8s.io', ...SMI_GROUPS, ...OSM_GROUPS]);

export const KIND_BY_NAME: ReadonlyMap<string, KindInfo> = new Map(KINDS.map((k) => [k.kind, k]));

/** Path of the schema under schemas/ (also the key of the generated validator). */
export function schemaKey(info: KindInfo, version: string): string {
  return info.family === 'kubernetes' ? `kubernetes/${info.kind}` : `${info.group}/${info.kind}-${version}`;
}

/** `group/version`, or just `version` for the core group. */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The latest accepted released version of a kind (for "write apiVersion: …" hints). */
export function latestApiVersion(info: KindInfo): string {
  const released = info.versions.filter((v) => !info.draftVersions.includes(v));
  return apiVersionOf(info.group, (released.length > 0 ? released : info.versions).at(-1)!);
}

/** "specs.smi-spec.io/v1alpha1, v1alpha2, v1alpha3 or v1alpha4". */
export function describeVersions(info: KindInfo): string {
  const list = info.versions.map((v, i) => (i === 0 ? apiVersionOf(info.group, v) : v) + (info.draftVersions.includes(v) ? ' (draft)' : ''));
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
}
