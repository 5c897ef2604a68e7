/**
 * Extra words for schema findings at places where users are known to go
 * wrong (fields of other versions, the draft `group`, header values, …).
 */
import type { Path } from '../core/types.ts';
import type { SchemaTarget } from './issues.ts';

const isSubject = (path: Path) =>
  (path.length === 2 && path[0] === 'spec' && path[1] === 'destination') ||
  (path.length === 3 && path[0] === 'spec' && path[1] === 'sources') ||
  (path.length === 1 && path[0] === 'destination') ||
  (path.length === 2 && path[0] === 'sources');

/** Why a field is unknown, for the well-known cases ("; …"), or undefined. */
export function unknownFieldHint(target: SchemaTarget, parent: Path, field: string): string | undefined {
  const { kind, version } = target;
  if (kind === 'TrafficTarget') {
    if (field === 'port' && isSubject(parent)) {
      const isDestination = parent.includes('destination');
      if (!isDestination) return '; SMI has no source port (only access v1alpha1/v1alpha2 had a destination port)';
      return '; ports belong in a TCPRoute (spec.matches.ports) named in spec.rules, destination.port was removed in access.smi-spec.io/v1alpha3';
    }
    if (field === 'group' && isSubject(parent)) return '; the draft v1alpha4 prose writes `group`, but no CRD defines it';
    if (field === 'status' && parent.length === 2) return '; rules have no status';
  }
  if (kind === 'HTTPRouteGroup' && version === 'v1alpha1' && field === 'headers') {
    return '; header matches arrived in specs.smi-spec.io/v1alpha2';
  }
  if (kind === 'TCPRoute') {
    if ((version === 'v1alpha1' || version === 'v1alpha2') && parent.length === 0 && field === 'spec') {
      return '; TCPRoutes have no spec before specs.smi-spec.io/v1alpha3 and no ports before v1alpha4';
    }
    if (version === 'v1alpha3' && parent.length === 1 && parent[0] === 'spec') {
      return '; the v1alpha3 TCPRoute spec is empty, ports arrived in specs.smi-spec.io/v1alpha4 (spec.matches.ports)';
    }
  }
  if ((kind === 'TCPRoute' || kind === 'UDPRoute') && version === 'v1alpha4' && field === 'ports' && parent.length === 1 && parent[0] === 'spec') {
    return '; ports belong in spec.matches.ports';
  }
  if (kind === 'TrafficSplit' && (version === 'v1alpha1' || version === 'v1alpha2') && field === 'matches' && parent.length === 1) {
    return '; TrafficSplit matches arrived in split.smi-spec.io/v1alpha3';
  }
  return undefined;
}

/** Extra words for a type error. */
export function typeHint(path: Path, expected: string[], value: unknown): string {
  const parent = path.at(-2);
  const inHeaders = parent === 'headers' || (typeof parent === 'number' && path.at(-3) === 'headers');
  if (inHeaders && typeof value !== 'string' && expected.includes('string')) {
    return `; header values are regular expressions, quote it: ${JSON.stringify(String(value))}`;
  }
  if ((parent === 'labels' || parent === 'annotations' || parent === 'matchLabels' || parent === 'selector') &&
      typeof value !== 'string' && value !== null && typeof value !== 'object' && expected.includes('string')) {
    return `; Kubernetes ${parent === 'annotations' ? 'annotation' : 'label'} values are strings, quote it: ${JSON.stringify(String(value))}`;
  }
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) && (expected.includes('integer') || expected.includes('number'))) {
    return '; meshc converts nothing, write the number without quotes';
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && expected.includes('string') && !expected.includes('integer')) {
    return `; quote it: ${JSON.stringify(String(value))}`;
  }
  return '';
}

/** Extra words for a value outside an enum. */
export function enumHint(target: SchemaTarget, path: Path, value: unknown): string {
  const last = path.at(-1);
  if (target.kind === 'TrafficTarget' && value === 'UDPRoute' && (target.version === 'v1alpha1' || target.version === 'v1alpha2')) {
    return '; UDPRoute rules arrived in access.smi-spec.io/v1alpha3';
  }
  if (target.kind === 'TrafficSplit' && last === 'apiGroup' && typeof value === 'string' && value.startsWith('specs.smi-spec.io/')) {
    return '; apiGroup names the group only, without a version';
  }
  return '';
}
