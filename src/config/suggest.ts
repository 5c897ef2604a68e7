/** Levenshtein distance, early exit above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidates closest to `input` (case-insensitive edit distance, a
 * substring, or a shared word), best first, at most `limit`.
 */
export function nearMatches(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = input.toLowerCase();
  const max = Math.max(2, Math.floor(needle.length / 3));
  const scored: [number, string][] = [];
  for (const c of new Set(candidates)) {
    const hay = c.toLowerCase();
    let score = distance(needle, hay, max);
    if (score > max && needle.length >= 3 && (hay.includes(needle) || needle.includes(hay))) score = max;
    if (score <= max) scored.push([score, c]);
  }
  // Then candidates sharing a word (`path-regex` → `http-match-regex`).
  const words = new Set(needle.split(/[^a-z0-9]+/).filter((w) => w.length >= 4));
  if (words.size > 0) {
    for (const c of new Set(candidates)) {
      if (scored.some(([, s]) => s === c)) continue;
      const shared = c.toLowerCase().split(/[^a-z0-9]+/).filter((w) => words.has(w)).length;
      if (shared > 0) scored.push([max + 1 + (words.size - shared), c]);
    }
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return scored.slice(0, limit).map(([, c]) => c);
}

/** ' (did you mean a, b?)' or ''. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const near = nearMatches(input, candidates);
  return near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : '';
}
