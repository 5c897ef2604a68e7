import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type LineCounter, type Node } from 'yaml';
import type { Path, SourceRange } from '../core/types.ts';
import type { LocateOptions, SourceDoc } from './source-set.ts';

/** Walks `path` from `root`; returns the deepest node reached, the key node of its last step, and whether all of it matched. */
function walk(root: unknown, path: Path): { node: unknown; keyNode: unknown; complete: boolean } {
  let node: unknown = root;
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
    if (!next) return { node, keyNode: undefined, complete: false };
    node = next;
    keyNode = i === path.length - 1 ? nextKey : undefined;
  }
  return { node, keyNode, complete: true };
}

/**
 * Positions of a YAML (or JSON) document, resolved lazily from the `yaml`
 * AST: nothing is computed until a diagnostic asks for a line.
 * `base` is the offset of the document's text within its file, for ASTs
 * parsed from a slice of the file (see LazyYamlSourceDoc).
 */
export class YamlSourceDoc implements SourceDoc {
  constructor(
    readonly file: string,
    readonly index: number,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly base = 0,
  ) {}

  locate(path: Path, options: LocateOptions = {}): SourceRange {
    const { node, keyNode } = walk(this.doc.contents, path);
    const target = options.key && keyNode ? keyNode : node;
    return this.rangeOf(target as Node | null | undefined);
  }

  /** The plain value at exactly `path` (undefined when the path does not exist). */
  valueAt(path: Path): unknown {
    const { node, complete } = walk(this.doc.contents, path);
    if (!complete || !node) return undefined;
    if (isScalar(node)) return node.value;
    return (node as Node).toJSON();
  }

  /** The unquoted scalar at exactly `path` as written (undefined for quoted, block and non-scalar values). */
  textAt(path: Path): string | undefined {
    const { node, complete } = walk(this.doc.contents, path);
    if (!complete || !isScalar(node) || node.type !== 'PLAIN') return undefined;
    return typeof node.source === 'string' ? node.source : undefined;
  }

  /** Range of a whole document (its first line) when a node has no range. */
  private rangeOf(node: Node | null | undefined): SourceRange {
    const range = node?.range ?? this.doc.range;
    const [start, valueEnd] = range;
    const a = this.lines.linePos(this.base + start);
    const b = this.lines.linePos(this.base + Math.max(start, valueEnd));
    return { file: this.file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }
}

/**
 * A YAML document that keeps only its place in the file's text and re-parses
 * that slice the first time a position is asked for. Large multi-document
 * files then cost the size of their text, not of their syntax trees (about
 * three times less memory), and clean documents are never parsed twice.
 */
export class LazyYamlSourceDoc implements SourceDoc {
  private parsed: YamlSourceDoc | undefined;

  constructor(
    readonly file: string,
    readonly index: number,
    private readonly text: string,
    /** Where the document's text starts and ends in its file (the parse cache stores these). */
    readonly start: number,
    readonly end: number,
    private readonly lines: LineCounter,
  ) {}

  private get ast(): YamlSourceDoc {
    if (!this.parsed) {
      const doc = parseDocument(this.text.slice(this.start, this.end), { uniqueKeys: false, merge: false, prettyErrors: false });
      this.parsed = new YamlSourceDoc(this.file, this.index, doc, this.lines, this.start);
    }
    return this.parsed;
  }

  locate(path: Path, options?: LocateOptions): SourceRange {
    return this.ast.locate(path, options);
  }

  valueAt(path: Path): unknown {
    return this.ast.valueAt(path);
  }

  textAt(path: Path): string | undefined {
    return this.ast.textAt(path);
  }
}

/** A fixed position for findings about a whole file (binary, unreadable, …). */
export function fileStart(file: string): SourceRange {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
