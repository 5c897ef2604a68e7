/**
 * The pieces the DSL renderer (render.ts) builds documents with: a document
 * that records, for every output path, the DSL literal it came from (Doc);
 * entries of `name → definition` records; metadata and field copies; the
 * renderer's findings (MESH0909 wrong shape, MESH0922 unknown field).
 * Self-contained like render.ts: it runs inside the DSL sandbox too.
 */
// Types only: the catalogue itself stays out of the sandbox bundle.
import type { CatalogMessage } from '../../core/catalog/index.ts';

/** Where a literal came from: set by the instrumented DSL source, read here. */
export const LITERAL_TAG = Symbol.for('meshc.dsl.literal');

export type OutPath = (string | number)[];

/**
 * A source reference: literal `lit` (an id assigned while instrumenting), or
 * one of its properties / elements (`prop`). `key` prefers the property name
 * over its value (for names that come from object keys).
 */
export interface SourceRef {
  lit: number;
  prop?: string | number;
  key?: boolean;
}

export const API_VERSIONS = {
  access: 'access.smi-spec.io/v1alpha3',
  accessDraft: 'access.smi-spec.io/v1alpha4',
  specs: 'specs.smi-spec.io/v1alpha4',
  split: 'split.smi-spec.io/v1alpha4',
} as const;

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function tagOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const t = (value as Record<symbol, unknown>)[LITERAL_TAG];
  return typeof t === 'number' ? t : undefined;
}

const EXTERNAL_TAG = Symbol.for('meshc.dsl.external');

/** `external('x')` values become their name; everything else is kept. */
export function name(value: unknown): unknown {
  if (isObj(value) && (value as Record<symbol, unknown>)[EXTERNAL_TAG] === true && typeof value.external === 'string') return value.external;
  return value;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : v === undefined ? 'undefined' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** One document being built: its value and the source of each output path. */
export class Doc {
  readonly refs: [OutPath, SourceRef][] = [];
  constructor(readonly value: Obj) {}

  /** The output `path` came from `ref` (no-op without a source). */
  at(path: OutPath, ref: SourceRef | null | undefined): void {
    if (ref) this.refs.push([path, ref]);
  }

  /** `parent[key]` was copied to `path`: record it and everything inside it. */
  field(path: OutPath, parent: unknown, key: string | number): void {
    const lit = tagOf(parent);
    if (lit !== undefined) this.at(path, { lit, prop: key });
    this.mirror(path, (parent as Obj)[key as string]);
  }

  /** Records every literal nested in `value`, copied to `path`. */
  mirror(path: OutPath, value: unknown, depth = 0): void {
    if (typeof value !== 'object' || value === null || depth > 64) return;
    const lit = tagOf(value);
    if (lit !== undefined) this.at(path, { lit });
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (lit !== undefined) this.at([...path, i], { lit, prop: i });
        this.mirror([...path, i], item, depth + 1);
      });
    } else {
      for (const k of Object.keys(value)) {
        if (lit !== undefined) this.at([...path, k], { lit, prop: k });
        this.mirror([...path, k], (value as Obj)[k], depth + 1);
      }
    }
  }
}

/** A plain copy without tags and without functions/undefined (what YAML could hold). */
export function structuredCopy(value: unknown, depth = 0): unknown {
  if (depth > 200) return null;
  const v = name(value);
  if (Array.isArray(v)) return v.map((x) => structuredCopy(x, depth + 1));
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      out[k] = structuredCopy(x, depth + 1);
    }
    return out;
  }
  return v;
}

export type Emit = (doc: Doc) => void;

export type Problem = (finding: CatalogMessage, ref: SourceRef | null) => void;

/** MESH0909: `what` is not the shape the DSL needs (`expected`). */
export function wrongShape(what: string, expected: string, value: unknown): CatalogMessage {
  return { code: 'MESH0909', args: { what, expected, actual: typeName(value) } };
}

/** MESH0922: a field the DSL does not know, with the fields it knows. */
export function unknownField(field: string, owner: string, known: readonly string[]): CatalogMessage {
  return { code: 'MESH0922', args: { field, owner, known: known.join(', ') } };
}

export interface Entry {
  name: string;
  value: unknown;
  /** The entry's name in the source (an object key or a list element). */
  keyRef: SourceRef | null;
  /** The entry's value in the source. */
  valueRef: SourceRef | null;
}

/** Entries of a `name → spec` record (or, with `allowList`, a list of names). */
export function entries(container: unknown, what: string, ref: SourceRef | null, problem: Problem, allowList = false): Entry[] {
  if (container === undefined) return [];
  const lit = tagOf(container);
  if (allowList && Array.isArray(container)) {
    return container.map((n, i) => ({
      name: String(name(n)), value: {},
      keyRef: lit === undefined ? null : { lit, prop: i },
      valueRef: lit === undefined ? null : { lit, prop: i },
    }));
  }
  if (!isObj(container)) {
    problem(wrongShape(what, `an object (name → definition)${allowList ? ' or a list of names' : ''}`, container), ref);
    return [];
  }
  return Object.keys(container).map((k) => ({
    name: k, value: container[k],
    keyRef: lit === undefined ? null : { lit, prop: k, key: true },
    valueRef: lit === undefined ? null : { lit, prop: k },
  }));
}

export function meta(doc: Doc, entry: Entry, ns: string | null, nsRef: SourceRef | null): Obj {
  const m: Obj = { name: entry.name };
  doc.at([], entry.keyRef);
  doc.at(['metadata'], entry.keyRef);
  doc.at(['metadata', 'name'], entry.keyRef);
  if (ns !== null) {
    m.namespace = ns;
    doc.at(['metadata', 'namespace'], nsRef);
  }
  const v = entry.value;
  if (isObj(v)) {
    for (const k of ['labels', 'annotations']) {
      if (v[k] !== undefined) {
        m[k] = structuredCopy(v[k]);
        doc.field(['metadata', k], v, k);
      }
    }
  }
  return m;
}

/** Copies the listed fields of `from` into `to` (at `path`), when present. */
export function copy(doc: Doc, to: Obj, path: OutPath, from: Obj, keys: string[], rename: Record<string, string> = {}): void {
  for (const k of keys) {
    if (from[k] === undefined) continue;
    const outKey = rename[k] ?? k;
    to[outKey] = structuredCopy(from[k]);
    doc.field([...path, outKey], from, k);
  }
}
