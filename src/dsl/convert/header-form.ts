/**
 * Which form `meshc export` writes HTTPRouteGroup `headers` in. SMI
 * specs v1alpha4 has two, each refused by one of the published CRDs:
 *
 * - list of single-key maps (`headers: [{user-agent: …}]`): smi-sdk-go's CRD
 *   (`headers: array`), the one OSM installs, and what smi-sdk-go marshals;
 * - map (`headers: {user-agent: …}`): the spec's prose since smi-spec#237
 *   and smi-controller-sdk's CRD (`headers: object`).
 *
 * A match read from YAML keeps the form it was written in (both are legal
 * SMI); a match from the DSL, whose `headers` is always a map, is written as
 * a list, what OSM's CRD accepts. `--header-form list|map` forces one form.
 */
import type { Origin } from '../../core/types.ts';
import type { Mesh } from '../../model/types.ts';
import type { SourceSet } from '../../source/source-set.ts';

export type HeaderForm = 'list' | 'map';
export const HEADER_FORMS: readonly HeaderForm[] = ['list', 'map'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The form of each match's headers in the YAML source, by 'namespace/group' then match name. */
function sourceForms(mesh: Mesh, sources: SourceSet, rawOf: (o: Origin) => Obj | undefined): Map<string, Map<string, HeaderForm>> {
  const out = new Map<string, Map<string, HeaderForm>>();
  for (const g of mesh.httpRouteGroups) {
    const file = sources.locate(g.meta.origin).file;
    if (/\.m?ts$/i.test(file)) continue; // DSL: a map by construction, no form chosen by the author
    const raw = rawOf(g.meta.origin);
    const spec = raw && isObj(raw.spec) ? raw.spec : undefined;
    const matches = (spec && Array.isArray(spec.matches) ? spec.matches : raw && Array.isArray(raw.matches) ? raw.matches : []) as unknown[];
    const forms = new Map<string, HeaderForm>();
    for (const m of matches) {
      if (!isObj(m) || typeof m.name !== 'string' || m.headers === undefined) continue;
      forms.set(m.name, Array.isArray(m.headers) ? 'list' : 'map');
    }
    out.set(`${g.meta.namespace}/${g.meta.name}`, forms);
  }
  return out;
}

/**
 * Rewrites the `headers` of every rendered HTTPRouteGroup match (rendered as
 * maps) into the form it should be exported in. `forced`: --header-form.
 */
export function applyHeaderForms(documents: Obj[], mesh: Mesh, sources: SourceSet, rawOf: (o: Origin) => Obj | undefined, forced?: HeaderForm): void {
  const forms = forced ? undefined : sourceForms(mesh, sources, rawOf);
  for (const doc of documents) {
    if (doc.kind !== 'HTTPRouteGroup' || !isObj(doc.metadata) || !isObj(doc.spec) || !Array.isArray(doc.spec.matches)) continue;
    const key = `${String(doc.metadata.namespace)}/${String(doc.metadata.name)}`;
    for (const m of doc.spec.matches as unknown[]) {
      if (!isObj(m) || !isObj(m.headers)) continue;
      const form = forced ?? forms?.get(key)?.get(String(m.name)) ?? 'list';
      if (form === 'list') m.headers = Object.entries(m.headers).map(([name, value]) => ({ [name]: value }));
    }
  }
}
