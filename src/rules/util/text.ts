/** Small text helpers for diagnostic messages. */

/** `a, b and c`; long lists end with `and N more`. */
export function listNames(names: readonly string[], max = 3): string {
  if (names.length === 0) return '';
  if (names.length === 1) return names[0]!;
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Candidate lists longer than this get no suggestion (keeps lookups linear on huge inputs). */
const MAX_CANDIDATES = 500;

/** The closest candidate within a small edit distance (case-insensitive match first), or undefined. */
export function closest(name: string, candidates: readonly string[] | ReadonlySet<string>): string | undefined {
  const size = 'size' in candidates ? candidates.size : candidates.length;
  if (size === 0 || size > MAX_CANDIDATES) return undefined;
  const list = [...candidates];
  const lower = name.toLowerCase();
  const sameCase = list.find((c) => c !== name && c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const limit = name.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of list.sort()) {
    if (c === name) continue;
    const d = distance(name, c, limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean "x"?` or ''. */
export function didYouMean(name: string, candidates: readonly string[] | ReadonlySet<string>): string {
  const c = closest(name, candidates);
  return c === undefined ? '' : `; did you mean "${c}"?`;
}
