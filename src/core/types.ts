/** Shared, serialisable types every pipeline stage meets at. */

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** A JSON path inside a document: object keys and array indexes. */
export type Path = readonly (string | number)[];

/** A 1-based, inclusive-start / exclusive-end source range. */
export interface SourceRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Names a Kubernetes-style resource in reports. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The 'namespace/name' key of a namespaced object (or a reference to one: a
 * subject, a route): how the mesh index, reachability and messages name it.
 */
export function keyOf(ref: { readonly namespace: string; readonly name: string }): string {
  return `${ref.namespace}/${ref.name}`;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** null only for findings that belong to no file (e.g. an unknown CLI rule name). */
  range: SourceRange | null;
  resource: ResourceRef | null;
  /** Where related objects live (SARIF relatedLocations, `why` chains). */
  related?: { message: string; range: SourceRange }[];
}

/**
 * Where a model object came from: a loaded document and a path inside it.
 * `rewrites` maps canonical-model path prefixes back to the source layout of
 * older API versions (e.g. canonical `spec.rules` is `specs` in access v1alpha1),
 * so later stages can ask for canonical paths and still get field-exact lines.
 */
export interface Origin {
  doc: number;
  path: Path;
  rewrites?: [Path, Path][];
}
