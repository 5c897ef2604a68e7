/**
 * Index of the `]` that closes the bracket expression opened at `open` (a `[`),
 * or `p.length` when it is unterminated: a leading `^` and a `]` right after
 * it are members, escapes and POSIX classes (`[:alpha:]`) are skipped whole.
 */
export function bracketClose(p: string, open: number): number {
  let j = open + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++;
  while (j < p.length && p[j] !== ']') {
    if (p[j] === '\\') j += 2;
    else if (p.startsWith('[:', j)) {
      const close = p.indexOf(':]', j + 2);
      j = close < 0 ? j + 1 : close + 2;
    } else j++;
  }
  return Math.min(j, p.length);
}
