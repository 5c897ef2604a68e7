/**
 * The kinds meshc reads: which API group and versions each belongs to, which
 * versions are unreleased drafts, and which schema validates it.
 */

export type KindFamily = 'smi' | 'kubernetes';

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
}

const smi = (kind: string, group: string, versions: string[], draftVersions: string[] = []): KindInfo =>
  ({ kind, group, versions, draftVersions, family: 'smi' });
const k8s = (kind: string, group: string, versions: string[], extra: Partial<KindInfo> = {}): KindInfo =>
  ({ kind, group, versions, draftVersions: [], family: 'kubernetes', ...extra });

export const ACCESS = 'access.smi-spec.io';
export const SPECS = 'specs.smi-spec.io';
export const SPLIT = 'split.smi-spec.io';
export const METRICS = 'metrics.smi-spec.io';
/** meshc's own kinds (ReachabilityTest, …): passed to `mesh.extra` untouched. */
export const MESHC_GROUP = 'meshc.dev';

export const KINDS: readonly KindInfo[] = [
  smi('TrafficTarget', ACCESS, ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'], ['v1alpha4']),
  smi('IdentityBinding', ACCESS, ['v1alpha4'], ['v1alpha4']),
  smi('HTTPRouteGroup', SPECS, ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']),
  smi('TCPRoute', SPECS, ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']),
  smi('UDPRoute', SPECS, ['v1alpha4']),
  smi('TrafficSplit', SPLIT, ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']),
  k8s('Namespace', '', ['v1'], { clusterScoped: true }),
  k8s('ServiceAccount', '', ['v1']),
  k8s('Service', '', ['v1']),
  k8s('Pod', '', ['v1']),
  k8s('Endpoints', '', ['v1']),
  k8s('Deployment', 'apps', ['v1']),
  k8s('StatefulSet', 'apps', ['v1']),
  k8s('DaemonSet', 'apps', ['v1']),
  k8s('ReplicaSet', 'apps', ['v1']),
  k8s('EndpointSlice', 'discovery.k8s.io', ['v1', 'v1beta1']),
];

/** SMI groups meshc knows; TrafficMetrics (metrics) is read-only API output and only reported. */
export const SMI_GROUPS = [ACCESS, SPECS, SPLIT, METRICS] as const;

/** Groups whose kinds meshc knows completely enough to call a misplaced kind a mistake. */
export const OWNED_GROUPS = new Set<string>(['', 'apps', 'extensions', 'discovery.k8s.io', ...SMI_GROUPS]);

export const KIND_BY_NAME: ReadonlyMap<string, KindInfo> = new Map(KINDS.map((k) => [k.kind, k]));

/** Path of the schema under schemas/ (also the key of the generated validator). */
export function schemaKey(info: KindInfo, version: string): string {
  return info.family === 'smi' ? `${info.group}/${info.kind}-${version}` : `kubernetes/${info.kind}`;
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
