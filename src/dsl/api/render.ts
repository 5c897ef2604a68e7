/**
 * Renders a mesh description (the argument of defineMesh) into plain
 * Kubernetes-style objects in the latest SMI versions, recording for every
 * field which object literal (and property) of the DSL source produced it.
 *
 * Runs inside the DSL sandbox (bundled with the user's file) and in meshc
 * itself (export, import); self-contained, never throws for bad input:
 * values are passed through for schema validation, structural problems are
 * returned as `problems`.
 */
import type { MeshInput } from './types.ts';
// Types only: the catalogue itself stays out of the sandbox bundle.
import type { CatalogMessage } from '../../core/catalog/index.ts';
import { Doc, isObj, structuredCopy, tagOf, wrongShape, type Obj, type OutPath, type Problem, type SourceRef } from './render-doc.ts';
import { renderNamespace } from './render-namespace.ts';

export { API_VERSIONS, LITERAL_TAG, type OutPath, type SourceRef } from './render-doc.ts';

export interface RenderedDocument {
  value: Record<string, unknown>;
  /** Output path → source, most specific entries win when locating. */
  refs: [OutPath, SourceRef][];
}

/** A finding of the renderer: MESH0909 (a value of the wrong shape), MESH0922 (an unknown field) or MESH0923. */
export type RenderProblem = CatalogMessage & { ref: SourceRef | null };

export interface RenderResult {
  documents: RenderedDocument[];
  problems: RenderProblem[];
}

/** Renders a mesh description; see the module comment. */
export function renderMesh(input: MeshInput): RenderResult {
  const documents: RenderedDocument[] = [];
  const problems: RenderProblem[] = [];
  const problem: Problem = (finding, ref) => problems.push({ ...finding, ref });
  const emit = (doc: Doc) => documents.push({ value: doc.value, refs: doc.refs });

  if (!isObj(input)) {
    problem(wrongShape('the value given to defineMesh', 'an object with namespaces and resources', input), null);
    return { documents, problems };
  }
  const rootLit = tagOf(input);
  const rootRef = (prop: string): SourceRef | null => (rootLit === undefined ? null : { lit: rootLit, prop });

  if (input.namespaces !== undefined) {
    if (!isObj(input.namespaces)) problem(wrongShape('namespaces', 'an object (namespace name → contents)', input.namespaces), rootRef('namespaces'));
    else {
      const nsLit = tagOf(input.namespaces);
      for (const ns of Object.keys(input.namespaces)) {
        const keyRef: SourceRef | null = nsLit === undefined ? null : { lit: nsLit, prop: ns, key: true };
        renderNamespace(ns, (input.namespaces as Obj)[ns], keyRef, emit, problem);
      }
    }
  }

  if (input.resources !== undefined) {
    if (!Array.isArray(input.resources)) problem(wrongShape('resources', 'a list of Kubernetes-style objects', input.resources), rootRef('resources'));
    else {
      const listLit = tagOf(input.resources);
      input.resources.forEach((r, i) => {
        const ref: SourceRef | null = listLit === undefined ? null : { lit: listLit, prop: i };
        if (!isObj(r)) {
          problem(wrongShape(`resources[${i}]`, 'an object with apiVersion, kind and metadata', r), ref);
          return;
        }
        const doc = new Doc(structuredCopy(r) as Obj);
        doc.at([], ref);
        doc.mirror([], r);
        emit(doc);
      });
    }
  }
  return { documents, problems };
}
