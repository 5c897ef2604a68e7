/**
 * Bounds on YAML nesting, measured before the (recursive) composer runs, so
 * that a hostile or broken file is a finding (MESH0008), never a stack
 * overflow; and the alias-expansion limit against alias bombs.
 */
import { Parser, type CST } from 'yaml';

/** Deepest nesting accepted (real manifests stay under 30). */
export const MAX_DEPTH = 200;
/** Alias expansions per document (the `yaml` package's guard against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Offset of the first collection nested deeper than `limit` in a CST
 * document, or -1. Iterative, so it is safe on inputs that would overflow the
 * stack of the (recursive) composer: those are rejected before composing.
 */
export function tooDeepAt(token: CST.Document, limit: number): number {
  const stack: [CST.Token | null | undefined, number][] = [[token.value, 1]];
  while (stack.length > 0) {
    const [tok, depth] = stack.pop()!;
    if (!tok) continue;
    if (tok.type !== 'block-map' && tok.type !== 'block-seq' && tok.type !== 'flow-collection') continue;
    if (depth > limit) return tok.offset;
    for (const item of tok.items as { key?: CST.Token | null; value?: CST.Token }[]) {
      stack.push([item.key, depth + 1], [item.value, depth + 1]);
    }
  }
  return -1;
}

/** Offset of the first collection nested deeper than `limit` anywhere in `text`, or -1 (for small texts parsed whole, such as the configuration file). */
export function firstTooDeepOffset(text: string, limit = MAX_DEPTH): number {
  for (const [start, end] of documentSegments(text)) {
    const parser = new Parser();
    parser.offset = start;
    try {
      for (const token of parser.parse(text.slice(start, end))) {
        if (token.type !== 'document') continue;
        const at = tooDeepAt(token, limit);
        if (at >= 0) return at;
      }
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return deepIndentOffset(text, start, end, limit);
    }
  }
  return -1;
}

/**
 * [start, end) offsets of `text` cut before every line that starts with the
 * document marker `---` (which ends any scalar or collection before it). The
 * `yaml` parser closes the collections still open at the end of its input in a
 * loop, but those closed by a later token (a `---`, a key less indented) by
 * recursion, one level per call: parsing each document on its own bounds
 * that recursion to one document (deepIndentOffset places what still overflows).
 */
export function documentSegments(text: string): [number, number][] {
  const segments: [number, number][] = [];
  let start = 0;
  for (const m of text.matchAll(/^---(?=[ \t\r\n]|$)/gm)) {
    if (m.index > start) segments.push([start, m.index]);
    start = m.index;
  }
  segments.push([start, text.length]);
  return segments;
}

/**
 * Where the indentation of `text[start, end)` first opens more than `limit`
 * levels (each line more indented than the last opens one), or `start`: the
 * place to report a document whose nesting overflowed the parser's recursion
 * (a key less indented than thousands of open levels closes them all at once).
 * Iterative.
 */
export function deepIndentOffset(text: string, start: number, end: number, limit: number): number {
  const open: number[] = [];
  for (let at = start; at < end; ) {
    const next = text.indexOf('\n', at);
    const lineEnd = next < 0 || next > end ? end : next;
    const indent = /^[ ]*/.exec(text.slice(at, Math.min(lineEnd, at + 100_000)))![0].length;
    const rest = text.charCodeAt(at + indent);
    if (at + indent < lineEnd && rest !== 35 && rest !== 13) {
      while (open.length > 0 && open[open.length - 1]! >= indent) open.pop();
      open.push(indent);
      if (open.length > limit) return at + indent;
    }
    at = lineEnd + 1;
  }
  return start;
}

/** Same limit on the plain value (aliases can deepen a document after composing). Iterative. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > limit) return true;
    if (v && typeof v === 'object') for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}
