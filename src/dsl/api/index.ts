/**
 * The meshc TypeScript DSL: mesh policy as typed code.
 *
 *   import { defineMesh } from 'meshc';
 *   export default defineMesh({ namespaces: { … } });
 *
 * Self-contained (no imports outside this folder, no Node APIs): meshc
 * type-checks DSL files against this source and bundles it into their
 * evaluation.
 */
import type { CheckMesh, External, MeshDefinition, MeshInput } from './types.ts';

export type * from './types.ts';

/** Marks the result of defineMesh, so meshc can tell it from any other export. */
export const MESH_DEFINITION = 'meshc.dev/v1alpha1';

/**
 * Describes a mesh. The names it defines (namespaces, service accounts,
 * services, route groups and their matches, routes) become literal types:
 * a reference to anything undefined, an unknown field, a weight that is not a
 * number or a method outside the SMI enum is a type error in the editor.
 *
 * M has no constraint on purpose: with `M extends MeshInput`, one wrong
 * field (a port written as a string) failed the constraint, M fell back to
 * MeshInput and every name check vanished with it, so a typo in a route name
 * surfaced only once the port was fixed. Unconstrained, M is always the
 * literal type of the argument and CheckMesh<M> reports each mistake at its
 * own field, all in one run (TypeScript elaborates every failing property).
 */
export function defineMesh<const M>(mesh: M extends CheckMesh<M> ? M : NoInfer<CheckMesh<M>>): MeshDefinition<M & MeshInput> {
  return { apiVersion: MESH_DEFINITION, kind: 'MeshDefinition', spec: mesh as M & MeshInput };
}

/** Marks values made by external(), so a label named "external" is never mistaken for one. */
export const EXTERNAL_TAG = Symbol.for('meshc.dsl.external');

/** A name defined outside this file (YAML next to it, or the cluster): not checked against the mesh. */
export function external(name: string): External {
  const ref = { external: name };
  Object.defineProperty(ref, EXTERNAL_TAG, { value: true });
  return ref;
}

/** True for the value `defineMesh` returns. */
export function isMeshDefinition(value: unknown): value is MeshDefinition {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return v.apiVersion === MESH_DEFINITION && v.kind === 'MeshDefinition' && !!v.spec && typeof v.spec === 'object';
}
