/**
 * Source positions of DSL objects, taken from the TypeScript AST rather than
 * from stack traces: every object and array literal of a user's file gets an
 * id, its range and the ranges of its properties / elements; the evaluated
 * text wraps each literal in `__meshc_t(<literal>, id)`, which tags the
 * created object so the renderer can say which literal produced which field.
 *
 * The wrapper text never contains a newline, so line numbers of the
 * instrumented text equal the original's; `originalColumn` undoes the column
 * shift for stack traces.
 */
import type * as TS from 'typescript';
import type { SourceRange } from '../core/types.ts';

export type Span = [start: number, end: number];

export interface LiteralInfo {
  /** Absolute path of the file. */
  file: string;
  span: Span;
  /** Property name → key and value spans (object literals). */
  props: Map<string, { key: Span; value: Span }>;
  /** Element spans (array literals); null after a spread, where indexes are unknown. */
  elems: (Span | null)[];
}

/** The global the instrumented code calls; defined by the sandbox prelude. */
export const TAG_FUNCTION = '__meshc_t';

export interface InstrumentedFile {
  file: string;
  text: string;
  /** Original text offsets where text was inserted, with the inserted length, sorted. */
  insertions: [offset: number, length: number][];
  toRange(span: Span): SourceRange;
  /** 1-based line, 1-based column of the instrumented text → column in the original. */
  originalColumn(line: number, column: number): number;
}

/** A literal that is the target of a destructuring assignment (`[a, b] = …`) must stay as written. */
function isAssignmentTarget(ts: typeof TS, node: TS.Node): boolean {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === n) return true;
    if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === n) return true;
    if (ts.isArrayLiteralExpression(p) || ts.isSpreadElement(p) || ts.isSpreadAssignment(p) || ts.isParenthesizedExpression(p)) { n = p; continue; }
    if (ts.isPropertyAssignment(p) && p.initializer === n) { n = p.parent; continue; }
    if (ts.isShorthandPropertyAssignment(p)) { n = p.parent; continue; }
    return false;
  }
}

function propertyKey(ts: typeof TS, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isNumericLiteral(name)) return String(Number(name.text));
  if (ts.isComputedPropertyName(name) && (ts.isStringLiteral(name.expression) || ts.isNoSubstitutionTemplateLiteral(name.expression))) return name.expression.text;
  return undefined;
}

/**
 * Numbers the literals of one file (ids continue from `nextId`), records
 * them in `table`, and returns the instrumented text.
 */
export function instrumentFile(ts: typeof TS, sf: TS.SourceFile, file: string, table: Map<number, LiteralInfo>, nextId: () => number): InstrumentedFile {
  const inserts: [offset: number, text: string][] = [];
  const visit = (node: TS.Node): void => {
    if ((ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) && !isAssignmentTarget(ts, node)) {
      const id = nextId();
      const start = node.getStart(sf);
      const info: LiteralInfo = { file, span: [start, node.end], props: new Map(), elems: [] };
      if (ts.isObjectLiteralExpression(node)) {
        for (const p of node.properties) {
          if (ts.isSpreadAssignment(p) || !p.name) continue;
          const key = propertyKey(ts, p.name);
          if (key === undefined) continue;
          const keySpan: Span = [p.name.getStart(sf), p.name.end];
          const valueNode = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : p;
          info.props.set(key, { key: keySpan, value: [valueNode.getStart(sf), valueNode.end] });
        }
      } else {
        let known = true;
        for (const el of node.elements) {
          if (ts.isSpreadElement(el)) known = false;
          info.elems.push(known && !ts.isOmittedExpression(el) ? [el.getStart(sf), el.end] : null);
          if (!known) break;
        }
      }
      table.set(id, info);
      inserts.push([start, `${TAG_FUNCTION}(`], [node.end, `,${id})`]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // Stable by offset; at one offset a closing wrapper (inner literal) comes before an opening one.
  inserts.sort((a, b) => a[0] - b[0] || (a[1].startsWith(',') ? -1 : 1) - (b[1].startsWith(',') ? -1 : 1));
  const source = sf.text;
  let out = '';
  let at = 0;
  for (const [offset, text] of inserts) {
    out += source.slice(at, offset) + text;
    at = offset;
  }
  out += source.slice(at);
  const insertions = inserts.map(([o, t]) => [o, t.length] as [number, number]);
  const lineStarts = sf.getLineStarts();
  return {
    file,
    text: out,
    insertions,
    toRange([start, end]) {
      const a = sf.getLineAndCharacterOfPosition(start);
      const b = sf.getLineAndCharacterOfPosition(Math.max(start, end));
      return { file, line: a.line + 1, column: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
    },
    originalColumn(line, column) {
      const lineStart = lineStarts[line - 1];
      if (lineStart === undefined) return column;
      // Walk the insertions on this line, translating the instrumented offset back.
      let instrumented = column - 1;
      let shift = 0;
      for (const [offset, length] of insertions) {
        if (offset < lineStart) continue;
        const rel = offset - lineStart;
        if (rel + shift > instrumented) break;
        if (rel + shift + length > instrumented) return rel + 1; // inside the inserted text
        shift += length;
      }
      return instrumented - shift + 1;
    },
  };
}
