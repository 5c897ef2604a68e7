import { allCatalogEntries, catalogMessage, type CatalogEntry, type CatalogMessage } from '../core/catalog/index.ts';
import { DiagnosticSink, sortDiagnostics } from '../core/diagnostics.ts';
import type { Diagnostic, Origin, ResourceRef } from '../core/types.ts';
import { nearMatches } from '../core/suggest.ts';
import type { Mesh, ObjectMeta } from '../model/types.ts';
import { TEST_KIND } from '../policy-test/parse.ts';
import { KINDS } from '../schema/kinds.ts';
import type { SourceSet } from '../source/source-set.ts';

/**
 * Suppressions, applied by the reporting layer after every stage has run:
 *
 * - `CODE` hides every finding with that code; `CODE=Kind namespace/name`
 *   (or `Kind/namespace/name`; `Kind name` for cluster-scoped kinds) only the
 *   findings about matching resources. CODE may be a code, a rule name, or a
 *   glob over either (`MESH03*`); Kind, namespace and name may be globs
 *   (`*`, `?`). Matching is case-insensitive. The kind must be one meshc
 *   reports on, written in the form of its scope (a namespaced kind with a
 *   namespace, a cluster-scoped one without): any other suppression could
 *   never match and is malformed (MESH1002, MESH1040-MESH1045).
 * - The annotation `meshc.dev/ignore: "CODE1,CODE2"` (`*` = all) on a
 *   resource hides findings about that resource, unless inline suppression
 *   is switched off (`--no-inline-suppress`).
 *
 * Codes whose findings make a run incomplete (internal error, unreadable
 * path) can never be suppressed: CI must not pass on a partial view.
 */
export const IGNORE_ANNOTATION = 'meshc.dev/ignore';

export interface Suppression {
  /** As written. */
  entry: string;
  codes: ReadonlySet<string>;
  resource?: { kind: RegExp; namespace: RegExp; name: RegExp };
}

export type Problem = CatalogMessage;

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Catalogue entries a code pattern (code, rule name, or a glob over either) stands for. */
export function matchCodes(pattern: string): CatalogEntry[] {
  const re = globToRegExp(pattern);
  return allCatalogEntries().filter((e) => re.test(e.code) || re.test(e.name));
}

function hintFor(pattern: string): string {
  const entries = allCatalogEntries().filter((e) => !e.retired);
  const near = nearMatches(pattern, [...entries.map((e) => e.code), ...entries.map((e) => e.name)]);
  return near.length > 0 ? ` (did you mean ${near.join(', ')}? 'meshc rules' lists every code)` : " ('meshc rules' lists every code)";
}

/** Resolves a code pattern, or says why it cannot be used. */
function resolveCodes(pattern: string, where: string): { codes: Set<string> } | { problem: Problem } {
  const matched = matchCodes(pattern);
  if (matched.length === 0) return { problem: { code: 'MESH1001', args: { where, pattern: JSON.stringify(pattern), hint: hintFor(pattern) } } };
  const usable = matched.filter((e) => !e.incomplete);
  if (usable.length === 0) return { problem: { code: 'MESH1008', args: { where, code: matched[0]!.code } } };
  return { codes: new Set(usable.map((e) => e.code)) };
}

const CODE_PART = /^[A-Za-z0-9*?-]+$/;
/** The resource forms after '='; `slash` marks the forms written with '/' between kind and name. */
const RESOURCE_FORMS: { re: RegExp; clusterScoped: boolean; slash: boolean }[] = [
  { re: /^(\S+)\s+([^\s/]+)\/([^\s/]+)$/, clusterScoped: false, slash: false }, // Kind namespace/name
  { re: /^([^\s/]+)\/([^\s/]+)\/([^\s/]+)$/, clusterScoped: false, slash: true }, // Kind/namespace/name
  { re: /^(\S+)\s+([^\s/]+)$/, clusterScoped: true, slash: false }, // Kind name (cluster-scoped)
  { re: /^([^\s/]+)\/([^\s/]+)$/, clusterScoped: true, slash: true }, // Kind/name (cluster-scoped)
];

/** Every kind a finding can be about, and whether it is cluster-scoped. */
const KNOWN_KINDS: { kind: string; clusterScoped: boolean }[] = [
  ...KINDS.map((k) => ({ kind: k.kind, clusterScoped: k.clusterScoped === true })),
  { kind: TEST_KIND, clusterScoped: false },
];

/** Where a suppression was written and the entry as written, for its messages. */
interface SuppressionSource { where: string; entry: string }

/**
 * Checks the kind of a resource pattern against the form it was written in.
 * A suppression that can never match — an unknown kind, a namespaced kind
 * without a namespace, a cluster-scoped kind with one — is malformed rather
 * than silently useless. Returns what is wrong, or undefined.
 */
function kindProblem(kind: string, form: { clusterScoped: boolean; slash: boolean }, name: string, src: SuppressionSource): Problem | undefined {
  const re = globToRegExp(kind);
  const kinds = KNOWN_KINDS.filter((k) => re.test(k.kind));
  if (kinds.length === 0) {
    const near = nearMatches(kind, KNOWN_KINDS.map((k) => k.kind), { limit: 1, related: false })[0];
    if (near) return catalogMessage('MESH1042', { ...src, kind: JSON.stringify(kind), suggestion: near });
    // "shop/reviews": a namespace and a name without the kind.
    const example = form.clusterScoped && form.slash ? `"Service ${kind}/${name}"` : '"Service shop/reviews"';
    return catalogMessage('MESH1043', { ...src, word: JSON.stringify(kind), example, kinds: KNOWN_KINDS.map((k) => k.kind).join(', ') });
  }
  if (form.clusterScoped && kinds.every((k) => !k.clusterScoped)) return catalogMessage('MESH1044', { ...src, kind, name });
  if (!form.clusterScoped && kinds.every((k) => k.clusterScoped)) return catalogMessage('MESH1045', { ...src, kind, name });
  return undefined;
}

/** Parses `CODE[=Kind namespace/name]`; `where` names the source in messages ('--suppress', 'suppress'). */
export function parseSuppression(entry: string, where: string): { value: Suppression } | { problem: Problem } {
  const src: SuppressionSource = { where, entry: JSON.stringify(entry) };
  const eq = entry.indexOf('=');
  const codePart = (eq < 0 ? entry : entry.slice(0, eq)).trim();
  if (!codePart) return { problem: catalogMessage('MESH1040', src) };
  if (!CODE_PART.test(codePart)) return { problem: catalogMessage('MESH1041', { ...src, code: JSON.stringify(codePart) }) };
  const resolved = resolveCodes(codePart, where);
  if ('problem' in resolved) return resolved;
  if (eq < 0) return { value: { entry, codes: resolved.codes } };
  const target = entry.slice(eq + 1).trim();
  for (const form of RESOURCE_FORMS) {
    const m = form.re.exec(target);
    if (!m) continue;
    const [, kind, a, b] = m as unknown as [string, string, string, string | undefined];
    const problem = kindProblem(kind, form, form.clusterScoped ? a : b!, src);
    if (problem) return { problem };
    return {
      value: {
        entry,
        codes: resolved.codes,
        resource: {
          kind: globToRegExp(kind),
          namespace: form.clusterScoped ? /^$/ : globToRegExp(a),
          name: globToRegExp(form.clusterScoped ? a : b!),
        },
      },
    };
  }
  return { problem: catalogMessage('MESH1002', { ...src, resource: JSON.stringify(target) }) };
}

function matches(s: Suppression, d: Diagnostic): boolean {
  if (!s.codes.has(d.code)) return false;
  if (!s.resource) return true;
  const r = d.resource;
  return !!r && s.resource.kind.test(r.kind) && s.resource.namespace.test(r.namespace) && s.resource.name.test(r.name);
}

/** One `meshc.dev/ignore` annotation: the resource it is on, where, and its value as written. */
export interface IgnoreAnnotation { ref: ResourceRef; origin: Origin; value: string }

const keyOf = (r: { kind: string; namespace: string; name: string }) => `${r.kind}\u0000${r.namespace}\u0000${r.name}`;

function annotationText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return undefined;
}

/** Every `meshc.dev/ignore` annotation of the input, by resource. */
export function collectIgnoreAnnotations(mesh: Mesh, sources: SourceSet): IgnoreAnnotation[] {
  const out: IgnoreAnnotation[] = [];
  const fromMeta = (meta: ObjectMeta) => {
    const annotations = meta.annotations ?? {};
    const value = Object.hasOwn(annotations, IGNORE_ANNOTATION) ? annotationText(annotations[IGNORE_ANNOTATION]) : undefined;
    if (value !== undefined) out.push({ ref: { apiVersion: meta.apiVersion, kind: meta.kind, namespace: meta.namespace, name: meta.name }, origin: meta.origin, value });
  };
  for (const [key, list] of Object.entries(mesh) as [keyof Mesh, unknown[]][]) {
    if (key === 'rejected' || key === 'extra' || !Array.isArray(list)) continue;
    for (const obj of list as { meta?: ObjectMeta; synthesizedFrom?: unknown }[]) if (obj.meta && !obj.synthesizedFrom) fromMeta(obj.meta);
  }
  // Objects that failed validation are not modelled: read their annotation from the source.
  for (const r of mesh.rejected) {
    const value = annotationText(sources.valueAt(r.origin, ['metadata', 'annotations', IGNORE_ANNOTATION]));
    if (value !== undefined) out.push({ ref: r.ref, origin: r.origin, value });
  }
  for (const x of mesh.extra) {
    const metadata = x.value.metadata as Record<string, unknown> | undefined;
    const annotations = metadata && typeof metadata === 'object' ? metadata.annotations as Record<string, unknown> | undefined : undefined;
    if (!annotations || typeof annotations !== 'object' || !Object.hasOwn(annotations, IGNORE_ANNOTATION)) continue;
    const value = annotationText(annotations[IGNORE_ANNOTATION]);
    const name = typeof metadata!.name === 'string' ? metadata!.name : '';
    const namespace = typeof metadata!.namespace === 'string' ? metadata!.namespace : '';
    if (value !== undefined) out.push({ ref: { apiVersion: x.apiVersion, kind: x.kind, namespace, name }, origin: x.origin, value });
  }
  return out;
}

export interface SuppressionResult {
  /** What is reported. */
  kept: Diagnostic[];
  /** How many findings were hidden. */
  suppressed: number;
}

export interface SuppressOptions {
  suppress: Suppression[];
  /** Honour meshc.dev/ignore annotations (off with --no-inline-suppress). */
  inline: boolean;
  /**
   * The loaded input, for annotations; without it only command-line/config
   * suppressions apply. `ignoreAnnotations`, when given, are its annotations
   * (collectIgnoreAnnotations), and the mesh is not read.
   */
  loaded?: { mesh: Mesh; sources: SourceSet; ignoreAnnotations?: readonly IgnoreAnnotation[] };
}

/**
 * Applies suppressions. Annotations naming no known code become MESH1009
 * warnings at the annotation (themselves subject to suppression).
 */
export function applySuppressions(diagnostics: Diagnostic[], options: SuppressOptions): SuppressionResult {
  const all = [...diagnostics];
  const inline = new Map<string, Set<string>>();
  if (options.inline && options.loaded) {
    const sink = new DiagnosticSink();
    for (const a of options.loaded.ignoreAnnotations ?? collectIgnoreAnnotations(options.loaded.mesh, options.loaded.sources)) {
      const codes = inline.get(keyOf(a.ref)) ?? new Set<string>();
      inline.set(keyOf(a.ref), codes);
      for (const token of a.value.split(/[\s,]+/).filter(Boolean)) {
        const matched = CODE_PART.test(token) ? matchCodes(token).filter((e) => !e.incomplete) : [];
        if (matched.length === 0) {
          sink.report('MESH1009', { entry: JSON.stringify(token), hint: hintFor(token) }, options.loaded.sources.locate(a.origin, ['metadata', 'annotations', IGNORE_ANNOTATION]), a.ref);
        }
        for (const e of matched) codes.add(e.code);
      }
    }
    for (const d of sink.items) all.push(d);
  }
  const kept: Diagnostic[] = [];
  let suppressed = 0;
  for (const d of all) {
    const byAnnotation = d.resource ? inline.get(keyOf(d.resource))?.has(d.code) : false;
    if (byAnnotation || options.suppress.some((s) => matches(s, d))) suppressed++;
    else kept.push(d);
  }
  return { kept: sortDiagnostics(kept), suppressed };
}
