/**
 * What modelling one document produced, kept for the next load of the same
 * session. `check --watch` keeps its parsed files between runs
 * (src/load/shared-parses.ts): an unchanged file's documents are the same
 * objects again, so a re-check models only the documents of changed files
 * and takes the rest from here.
 *
 * An entry is used for the same parsed value (object identity: parsed
 * documents are never written to), at the same place (document index and
 * path, which the model objects' origins hold) and under the same settings.
 * It holds what the builder reports and decides per document; what depends on
 * other documents (duplicates, skipped kinds, GAMMA lowering) is worked out
 * again on every load. The model objects themselves are shared between the
 * loads: no stage after the builder writes to them (with `freeze`, as in the
 * tests, they are frozen, and a stage that writes to one throws).
 */
import type { Path, ResourceRef } from '../core/types.ts';
import type { RawDocument } from '../load/index.ts';
import type { SchemaIssue, SchemaTarget } from '../schema/issues.ts';
import type { KindInfo } from '../schema/kinds.ts';
import type { Mesh } from './types.ts';

/** A valid or invalid SMI, OSM, GAMMA or Kubernetes object, as the builder saw it before the duplicate check. */
export interface ValidatedDocument {
  info: KindInfo;
  target: SchemaTarget;
  ref: ResourceRef;
  /** Whether metadata.name is a string (only such objects take part in the duplicate check). */
  named: boolean;
  /** Schema findings (a draft or unreleased version, validation), in the order reported. */
  issues: SchemaIssue[];
  /** Validation found an error: the object is rejected without modelling. */
  invalid: boolean;
  /** Filled when the object was modelled (it was valid and not a duplicate). */
  model?: ModelledObjects;
}

export interface ModelledObjects {
  /** What modelling added, by mesh collection, in order. */
  objects: [keyof Mesh, unknown][];
  /** Modelling's own findings. */
  issues: SchemaIssue[];
  /** Modelling found an error: the objects stay out of the mesh. */
  rejected: boolean;
}

interface Entry {
  doc: number;
  path: Path;
  settings: string;
  validated: ValidatedDocument;
}

const samePath = (a: Path, b: Path) => a.length === b.length && a.every((s, i) => s === b[i]);

function deepFreeze(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v, seen);
}

export class DocumentMemo {
  private readonly byValue = new WeakMap<object, Entry>();
  /** Documents taken from the memo since it was made (tests and benchmarks read it). */
  hits = 0;

  /** `freeze`: freeze every model object kept (tests: a later stage that writes to one throws). */
  constructor(private readonly freeze = false) {}

  /** The document as validated before, if it is the same value at the same place under the same settings (JSON of the configuration). */
  get(raw: RawDocument, settings: string): ValidatedDocument | undefined {
    const e = this.byValue.get(raw.value);
    if (!e || e.doc !== raw.doc || e.settings !== settings || !samePath(e.path, raw.path)) return undefined;
    this.hits++;
    return e.validated;
  }

  set(raw: RawDocument, settings: string, validated: ValidatedDocument): void {
    this.byValue.set(raw.value, { doc: raw.doc, path: raw.path, settings, validated });
  }

  /** Called once a document's objects are modelled (they are shared from now on). */
  modelled(objects: ModelledObjects): void {
    if (this.freeze) deepFreeze(objects.objects);
  }
}
