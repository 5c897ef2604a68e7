import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Path, SourceRange } from '../core/types.ts';
import type { LocateOptions, SourceDoc } from './source-set.ts';

/**
 * Positions of a YAML (or JSON) document, resolved lazily from the `yaml`
 * AST: nothing is computed until a diagnostic asks for a line.
 */
export class YamlSourceDoc implements SourceDoc {
  constructor(
    readonly file: string,
    readonly index: number,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  locate(path: Path, options: LocateOptions = {}): SourceRange {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      let next: unknown;
      let nextKey: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair) {
          next = pair.value ?? pair.key;
          nextKey = pair.key;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (!next) break;
      node = next;
      keyNode = i === path.length - 1 ? nextKey : undefined;
    }
    const target = options.key && keyNode ? keyNode : node;
    return this.rangeOf(target as Node | null | undefined);
  }

  /** Range of a whole document (its first line) when a node has no range. */
  private rangeOf(node: Node | null | undefined): SourceRange {
    const range = node?.range ?? this.doc.range;
    const [start, valueEnd] = range;
    const a = this.lines.linePos(start);
    // Multi-line values: report the first line only, so editors underline the field, not the block.
    const b = this.lines.linePos(Math.max(start, valueEnd));
    const endLine = b.line;
    return { file: this.file, line: a.line, column: a.col, endLine, endColumn: b.col };
  }
}

/** A fixed position for findings about a whole file (binary, unreadable, …). */
export function fileStart(file: string): SourceRange {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
