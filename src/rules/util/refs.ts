import { keyOf } from '../../core/types.ts';
import type { RuleContext } from '../types.ts';
import type { IdentitySubject, ObjectMeta, TrafficTarget } from '../../model/types.ts';
import type { Path } from '../../core/types.ts';
import { isExternal } from './external.ts';
import { lookups } from './lookups.ts';
import { identityNameProblem, looksLikeWildcard } from '../../reach/identity-name.ts';

/** True when an object is in the input (even if rejected by validation) or declared external. */
export function resolves(ctx: RuleContext, kind: string, namespace: string, name: string): boolean {
  return lookups(ctx.mesh, ctx.index).exists(kind, namespace, name) || isExternal(ctx.config, kind, namespace, name);
}

/** Kubernetes creates the `default` ServiceAccount in every namespace. */
export const IMPLICIT_SERVICE_ACCOUNT = 'default';

/**
 * Whether a TrafficTarget subject exists: in the input (even if rejected by
 * validation), declared external, or — for a ServiceAccount — `default`, or
 * run as by a workload of the input (so it exists wherever that workload runs);
 * never when its name cannot be a ServiceAccount name (`"*"`).
 * Subjects that do not are MESH0212 (traffic-target-subjects-exist).
 */
export function subjectDeclared(ctx: RuleContext, s: IdentitySubject): boolean {
  if (impossibleSubject(s)) return false;
  if (resolves(ctx, s.kind, s.namespace, s.name)) return true;
  if (s.kind !== 'ServiceAccount') return false;
  return s.name === IMPLICIT_SERVICE_ACCOUNT || ctx.index.workloadsByIdentity.has(keyOf(s));
}

/**
 * Why a subject can never name an identity — its name is no DNS-1123
 * subdomain or its namespace no DNS-1123 label, e.g. `"*"` — or undefined.
 * Such a subject matches no caller, and no assumeExternal pattern can declare
 * it (smi#18: SMI has no wildcard subjects). `field` is the part at fault.
 */
export function impossibleSubject(s: { kind: string; namespace: string; name: string }): { field: 'name' | 'namespace'; hint: string } | undefined {
  const p = identityNameProblem(s.namespace, s.name);
  if (!p) return undefined;
  const what = p.field === 'name' ? `${s.kind} name` : 'namespace';
  const why = looksLikeWildcard(p.value)
    ? ': SMI has no wildcard subjects (smi-spec#51); list each ServiceAccount, or allow every caller with --permissive (permissive: true)'
    : '';
  return { field: p.field, hint: `; ${JSON.stringify(p.value)} is no ${what} (${p.problem}), so it names no identity and assumeExternal cannot declare it${why}` };
}

/** The rule that reports undeclared subjects (MESH0212); other rules leave those subjects to it unless it is disabled. */
export const SUBJECTS_EXIST_RULE = 'traffic-target-subjects-exist';

/** `; a Service of that name exists in namespace x, y` or ''. */
export function elsewhereHint(ctx: RuleContext, kind: string, namespace: string, name: string, note = ''): string {
  const others = lookups(ctx.mesh, ctx.index).otherNamespaces(kind, name, namespace);
  if (others.length === 0) return '';
  const where = others.length === 1 ? `namespace ${others[0]}` : `namespaces ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}`;
  return `; a ${kind} of that name exists in ${where}${note}`;
}

/**
 * When the input declares no object of a kind at all, the references are
 * most likely to objects managed elsewhere: say how to declare them.
 */
export function noneDeclaredHint(ctx: RuleContext, kind: string): string {
  if (!lookups(ctx.mesh, ctx.index).noneOf(kind)) return '';
  return `; the input declares no ${kind} at all: if they live elsewhere, add ${kind}/*/* (or narrower patterns) to assumeExternal`;
}

/** Explains where an object's namespace came from when metadata.namespace was absent. */
export function defaultedNote(meta: { namespaceDefaulted?: boolean }): string {
  return meta.namespaceDefaulted ? ' (metadata.namespace is not set: the namespace comes from --namespace)' : '';
}

export interface SubjectAt {
  subject: IdentitySubject;
  role: 'destination' | 'source';
  /** Canonical path of the subject object. */
  path: Path;
}

const subjectLists = new WeakMap<TrafficTarget, readonly SubjectAt[]>();

/** The destination and every source of a TrafficTarget, with their canonical paths (made once: several rules walk them; read only). */
export function subjectsOf(tt: TrafficTarget): readonly SubjectAt[] {
  let list = subjectLists.get(tt);
  if (!list) {
    list = [
      { subject: tt.destination, role: 'destination', path: ['spec', 'destination'] },
      ...tt.sources.map((subject, i): SubjectAt => ({ subject, role: 'source', path: ['spec', 'sources', i] })),
    ];
    subjectLists.set(tt, list);
  }
  return list;
}

export const ACCESS_DRAFT_VERSION = 'access.smi-spec.io/v1alpha4';

/** IdentityBinding subjects are allowed for access v1alpha4 objects or when draft APIs are enabled. */
export function draftAccess(ctx: RuleContext, tt: TrafficTarget): boolean {
  return ctx.config.draft || tt.meta.apiVersion === ACCESS_DRAFT_VERSION;
}

/**
 * Where to report "this list is empty": the list's key when the field is
 * written (`rules: []`), else the key of the object that should hold it.
 */
export function listAt(ctx: RuleContext, meta: ObjectMeta, path: Path): { meta: ObjectMeta; path: Path; key: boolean } {
  const parent = path.slice(0, -1);
  const field = ctx.sources.locate(meta.origin, path, { key: true });
  const holder = ctx.sources.locate(meta.origin, parent);
  const same = field.line === holder.line && field.column === holder.column && field.endLine === holder.endLine && field.endColumn === holder.endColumn;
  return same ? { meta, path: parent, key: true } : { meta, path, key: true };
}
