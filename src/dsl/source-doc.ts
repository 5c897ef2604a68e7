import type { Path, SourceRange } from '../core/types.ts';
import type { LocateOptions, SourceDoc } from '../source/source-set.ts';

/** Where one output path came from: the value's range and, for object properties, the key's. */
export interface LocatedPath {
  value: SourceRange;
  key?: SourceRange;
}

export const pathKey = (path: Path): string => JSON.stringify(path);

/**
 * Positions of an object produced by a DSL file: every field path the
 * renderer recorded maps to the TypeScript range that produced it (which may
 * lie in a local module the DSL file imports). A path without an entry
 * resolves to its deepest recorded ancestor.
 */
export class DslSourceDoc implements SourceDoc {
  constructor(
    readonly file: string,
    readonly index: number,
    private readonly table: Map<string, LocatedPath>,
    private readonly fallback: SourceRange,
  ) {}

  locate(path: Path, options: LocateOptions = {}): SourceRange {
    for (let n = path.length; n >= 0; n--) {
      const hit = this.table.get(pathKey(path.slice(0, n)));
      if (hit) return options.key && n === path.length && hit.key ? hit.key : hit.value;
    }
    return this.fallback;
  }
}
