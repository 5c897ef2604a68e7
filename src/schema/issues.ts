import type { CatalogMessage } from '../core/catalog/index.ts';
import type { Path } from '../core/types.ts';

/** A finding about one object, before it gets a source position. */
export type SchemaIssue = CatalogMessage & SchemaIssuePlace;

export interface SchemaIssuePlace {
  /** Path inside the object, in its source layout. */
  path: Path;
  /** Point at the mapping key of the last segment (unknown fields, missing fields' parents). */
  key?: boolean;
  /**
   * The argument that shows the (numeric) value at `path`: when reported, it is
   * replaced by the number as written in the source, since YAML reads integers
   * beyond 2^53 as floats that have lost digits.
   */
  valueArg?: string;
}

/** What is being validated. */
export interface SchemaTarget {
  kind: string;
  group: string;
  version: string;
  /** As written in the document. */
  apiVersion: string;
  /** Key of the schema under schemas/ (and of its validator). */
  schemaKey: string;
}

/** Reads the value at a path (own properties only). */
export function valueAt(value: unknown, path: Path): unknown {
  let v: unknown = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
