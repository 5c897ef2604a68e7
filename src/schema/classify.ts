/**
 * Decides what a document is from its apiVersion and kind: a kind meshc
 * models (and which schema validates it), meshc's own kinds, metrics output,
 * a kind meshc skips, or a mistake in apiVersion/kind.
 */
import type { SchemaIssue, SchemaTarget } from './issues.ts';
import {
  KINDS, KIND_BY_NAME, MESHC_GROUP, METRICS, OWNED_GROUPS, SMI_GROUPS,
  apiVersionOf, describeVersions, latestApiVersion, schemaKey, splitApiVersion, type KindInfo,
} from './kinds.ts';
import { closest } from '../core/suggest.ts';
import { describeValue, orList } from './text.ts';

export type Classification =
  | { type: 'model'; info: KindInfo; target: SchemaTarget; draft: boolean }
  /** meshc.dev kinds: kept raw in mesh.extra. */
  | { type: 'extra'; apiVersion: string; kind: string }
  /** metrics.smi-spec.io output: reported as info and ignored. */
  | { type: 'metrics'; issue: SchemaIssue }
  /** A kind meshc does not read: skipped and counted. */
  | { type: 'skip'; apiVersion: string; kind: string }
  /** apiVersion/kind are wrong. `info` is set when the kind is one meshc models (the object still "exists"). */
  | { type: 'invalid'; issue: SchemaIssue; info?: KindInfo };

const SMI_KIND_GROUPS = [...new Set(KINDS.filter((k) => k.family === 'smi').map((k) => k.group))];

function kindsOf(group: string): string[] {
  return KINDS.filter((k) => k.group === group).map((k) => k.kind);
}

function missingApiVersion(value: Record<string, unknown>, kind: string): Classification {
  const info = KIND_BY_NAME.get(kind);
  const present = Object.prototype.hasOwnProperty.call(value, 'apiVersion');
  const bad = present ? `: apiVersion must be a string, not ${describeValue(value.apiVersion)}` : '';
  const hint = info
    ? `${bad}${bad ? '; ' : ': '}meshc does not guess the version (${kind} exists in ${describeVersions(info)}; the latest released is ${latestApiVersion(info)})`
    : bad;
  return { type: 'invalid', issue: { code: 'MESH0100', args: { hint }, path: [present ? 'apiVersion' : 'kind'] }, info };
}

/** Classifies one document from its apiVersion and kind. */
export function classify(value: Record<string, unknown>): Classification {
  const rawKind = value.kind;
  const rawApiVersion = value.apiVersion;
  const hasKind = typeof rawKind === 'string' && rawKind !== '';
  const hasApiVersion = typeof rawApiVersion === 'string' && rawApiVersion !== '';

  if (!hasKind) {
    const present = Object.prototype.hasOwnProperty.call(value, 'kind');
    if (!hasApiVersion && !present) {
      return { type: 'invalid', issue: { code: 'MESH0100', args: { hint: ' and no kind: it is not a Kubernetes object' }, path: [] } };
    }
    let hint = present ? `: kind must be a non-empty string, not ${describeValue(rawKind)}` : '';
    if (hasApiVersion) {
      const kinds = kindsOf(splitApiVersion(rawApiVersion).group);
      if (kinds.length > 0 && SMI_KIND_GROUPS.includes(splitApiVersion(rawApiVersion).group)) hint += ` (${splitApiVersion(rawApiVersion).group} kinds: ${orList(kinds)})`;
    }
    return { type: 'invalid', issue: { code: 'MESH0101', args: { hint }, path: present ? ['kind'] : hasApiVersion ? ['apiVersion'] : [] } };
  }
  const kind = rawKind as string;
  if (!hasApiVersion) return missingApiVersion(value, kind);

  const apiVersion = rawApiVersion as string;
  const { group, version } = splitApiVersion(apiVersion);
  if (group === MESHC_GROUP) return { type: 'extra', apiVersion, kind };
  if (group === METRICS) return { type: 'metrics', issue: { code: 'MESH0107', args: { kind, apiVersion }, path: ['kind'] } };

  const info = KIND_BY_NAME.get(kind);
  if (info && info.group === group) {
    if (!info.versions.includes(version)) {
      return { type: 'invalid', info, issue: { code: 'MESH0102', args: { kind, apiVersion, accepted: describeVersions(info) }, path: ['apiVersion'] } };
    }
    const target: SchemaTarget = { kind, group, version, apiVersion, schemaKey: schemaKey(info, version) };
    return { type: 'model', info, target, draft: info.draftVersions.includes(version) };
  }
  if (info && OWNED_GROUPS.has(group)) {
    const suggestion = info.versions.includes(version) ? apiVersionOf(info.group, version) : latestApiVersion(info);
    const given = group === '' ? `the core API group (apiVersion ${apiVersion})` : group;
    const belongs = info.group === '' ? 'the core API group' : info.group;
    return { type: 'invalid', info, issue: { code: 'MESH0103', args: { kind, given, group: belongs, suggestion }, path: ['apiVersion'] } };
  }
  if ((SMI_KIND_GROUPS as string[]).includes(group)) {
    const kinds = kindsOf(group);
    const guess = closest(kind, kinds) ?? closest(kind, KINDS.filter((k) => k.family === 'smi').map((k) => k.kind));
    const hint = guess ? `; did you mean ${guess}?` : '';
    return { type: 'invalid', issue: { code: 'MESH0104', args: { group, kind, kinds: orList(kinds), hint }, path: ['kind'] } };
  }
  // A group a typo away from an SMI group (split.smi-specs.io, acess.smi-spec.io) is a mistake, not a kind to skip.
  const groupGuess = closest(group, SMI_GROUPS);
  if (groupGuess || group.endsWith('smi-spec.io')) {
    const hint = groupGuess ? `: did you mean ${groupGuess}?` : `: the SMI groups are ${orList(SMI_GROUPS)}`;
    return { type: 'invalid', info, issue: { code: 'MESH0105', args: { group, hint }, path: ['apiVersion'] } };
  }
  return { type: 'skip', apiVersion, kind };
}
