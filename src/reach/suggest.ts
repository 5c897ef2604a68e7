/** Near-match suggestions for unknown names ("did you mean …?"). */

/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * Up to `limit` candidates closest to `name`: by edit distance on the whole
 * key and on the part after the '/', within a quarter of the name's length
 * (at least 2) and at most 2 more than the best; names containing the query
 * come next. Sorted by distance, then name.
 */
export function nearMatches(name: string, candidates: Iterable<string>, limit = 5): string[] {
  const query = name.toLowerCase();
  const short = query.includes('/') ? query.slice(query.indexOf('/') + 1) : query;
  const max = Math.max(2, Math.floor(query.length / 4));
  const scored: [number, string][] = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const cShort = lc.includes('/') ? lc.slice(lc.indexOf('/') + 1) : lc;
    let d = Math.min(editDistance(query, lc, max), editDistance(short, cShort, max) + (query.includes('/') ? 1 : 0));
    if (d > max && short.length >= 3 && lc.includes(short)) d = max + 1;
    else if (d > max) continue;
    scored.push([d, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  // Only the closest few: a candidate much further than the best one is noise.
  const best = scored[0]?.[0] ?? 0;
  return scored.filter(([d]) => d <= best + 2).slice(0, limit).map(([, c]) => c);
}

/**
 * A share in percent for messages: one decimal from 1% up ("10%", "33.3%"),
 * two significant digits below ("0.01%"), never a misleading "0%" for a non-zero share.
 */
export function sharePercent(part: number, total: number): number {
  if (total <= 0 || part <= 0) return 0;
  const v = (100 * part) / total;
  return v >= 1 ? Math.round(v * 10) / 10 : Number(v.toPrecision(2));
}
