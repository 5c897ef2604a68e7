import { bracketClose } from './brackets.ts';

/**
 * Group nesting depth of a regex, found by one linear scan (escapes and
 * bracket expressions skipped). The structural analyses of patterns
 * (anchoring, literal "?") recurse once per group level; they give up above
 * MAX_ANALYSED_DEPTH instead of overflowing the stack. RE2 itself (linear,
 * not recursive over groups) accepts such patterns.
 */
export const MAX_ANALYSED_DEPTH = 1000;

export function groupDepth(p: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '[') i = bracketClose(p, i);
    else if (c === '(') max = Math.max(max, ++depth);
    else if (c === ')') depth = Math.max(0, depth - 1);
  }
  return max;
}

/** Whether the structural analyses can look at this pattern without recursing too deep. */
export const analysable = (pattern: string): boolean => groupDepth(pattern) <= MAX_ANALYSED_DEPTH;
