import type { Origin, Path, SourceRange } from '../core/types.ts';

export interface LocateOptions {
  /** Point at the mapping key of the last path segment rather than its value. */
  key?: boolean;
}

/** A loaded document that can map a path inside it to a source range. */
export interface SourceDoc {
  /** Display path: relative to the working directory, `<stdin>` for standard input. */
  readonly file: string;
  /** Index of the document within its file (0-based). */
  readonly index: number;
  /** Range of the node at `path`, or of its deepest existing ancestor. */
  locate(path: Path, options?: LocateOptions): SourceRange;
  /** The plain value at exactly `path`, undefined when absent (optional: used for annotations of rejected objects). */
  valueAt?(path: Path): unknown;
  /**
   * The scalar at exactly `path` as written, when it is an unquoted scalar
   * (optional). Messages show numbers this way: YAML reads an integer beyond
   * 2^53 as a float that has lost digits (18446744073709551615 becomes 18446744073709552000).
   */
  textAt?(path: Path): string | undefined;
}

function startsWith(path: Path, prefix: Path): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** Applies the longest matching canonical→source prefix rewrite. */
export function rewritePath(path: Path, rewrites: [Path, Path][] | undefined): Path {
  if (!rewrites) return path;
  let best: [Path, Path] | undefined;
  for (const rw of rewrites) {
    if (startsWith(path, rw[0]) && (!best || rw[0].length > best[0].length)) best = rw;
  }
  return best ? [...best[1], ...path.slice(best[0].length)] : path;
}

/** Every document of a run; model objects refer to them by index (Origin.doc). */
export class SourceSet {
  readonly docs: SourceDoc[] = [];

  add(doc: SourceDoc): number {
    this.docs.push(doc);
    return this.docs.length - 1;
  }

  /** Range of `path` (canonical, relative to the object) for an object with this origin. */
  locate(origin: Origin, path: Path = [], options?: LocateOptions): SourceRange {
    const doc = this.docs[origin.doc];
    if (!doc) throw new Error(`source: no document ${origin.doc}`);
    return doc.locate([...origin.path, ...rewritePath(path, origin.rewrites)], options);
  }

  /** The plain value at `path` of an object with this origin, when its document can tell. */
  valueAt(origin: Origin, path: Path = []): unknown {
    return this.docs[origin.doc]?.valueAt?.([...origin.path, ...rewritePath(path, origin.rewrites)]);
  }

  /** The unquoted scalar at `path` as written in the source, when the document can tell. */
  textAt(origin: Origin, path: Path = []): string | undefined {
    return this.docs[origin.doc]?.textAt?.([...origin.path, ...rewritePath(path, origin.rewrites)]);
  }

  /** A value for a message: a number as written in the source (no lost digits), anything else as `fallback` renders it. */
  shown(origin: Origin, path: Path, value: unknown, fallback: (v: unknown) => string = String): string {
    if (typeof value === 'number') {
      const text = this.textAt(origin, path);
      if (text !== undefined) return text;
    }
    return fallback(value);
  }

  /** `file:line` of an origin, for messages that mention another object. */
  where(origin: Origin, path: Path = []): string {
    const r = this.locate(origin, path);
    return `${r.file}:${r.line}`;
  }
}
