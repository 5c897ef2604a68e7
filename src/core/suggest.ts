/**
 * Near-match suggestions ("did you mean …?"), the one helper every stage
 * uses: command-line options, codes and rule names, configuration fields,
 * schema fields and values, API groups and kinds, resource names, and the
 * names of `meshc why` / `meshc test`.
 *
 * Distance is the optimal string alignment distance (Damerau–Levenshtein
 * with adjacent transpositions: `MESH0610` is one edit from `MESH0601`,
 * `wirte` from `write`), case-insensitive, where replacing a digit by
 * another digit costs one and a half: it names another number (a code, a
 * port, a version), more often a different thing than a typo — so
 * `MESH9999` is far from every code, and `MESH0610` nearer `MESH0601` than `MESH0010`.
 */

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Bounded distance between two strings (compare them lower-cased for a
 * case-insensitive answer): returns `max + 1` as soon as it exceeds `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  // Three rows: the one before the previous is needed for transpositions.
  let older = new Array<number>(width).fill(0);
  let prev = Array.from({ length: width }, (_, j) => j);
  let cur = new Array<number>(width).fill(0);
  let prevMin = 0;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < width; j++) {
      const cb = b.charCodeAt(j - 1);
      const substitution = ca === cb ? 0 : isDigit(ca) && isDigit(cb) ? 1.5 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + substitution);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb && ca !== cb) v = Math.min(v, older[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // A transposition can reach back two rows, so stop only when two rows in a row are over the bound.
    if (rowMin > max && prevMin > max) return max + 1;
    prevMin = rowMin;
    [older, prev, cur] = [prev, cur, older];
  }
  const d = prev[b.length]!;
  return d > max ? max + 1 : d;
}

/** How many edits a word of this length may be away from a suggestion: 1 up to 4 characters, then a quarter of its length (at least 2). */
export function maxEdits(length: number): number {
  return length <= 4 ? 1 : Math.max(2, Math.floor(length / 4));
}

export interface NearMatchOptions {
  /** At most this many suggestions (default 3). */
  limit?: number;
  /**
   * When no candidate is within typo distance, also offer candidates that
   * contain the input (or are contained in it) or share a word of four
   * letters or more with it (`path-regex` → `http-match-regex`). Default true.
   */
  related?: boolean;
  /**
   * Also compare this part of the input and of each candidate, for example
   * the name in `namespace/name`, so that `bookbyer` finds `bookbuyer/bookbuyer`.
   * When the input has more than its part, a match by part costs one more edit.
   */
  part?: (s: string) => string;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const wordsOf = (s: string) => s.split(/[^a-z0-9]+/).filter((w) => w.length >= 4);

/**
 * The candidates closest to `input`, best first: the nearest by edit
 * distance (all that tie for nearest), longer common prefixes first, then
 * alphabetically; when none is near enough, related candidates (see
 * `related`). Never the input itself.
 */
export function nearMatches(input: string, candidates: Iterable<string>, options: NearMatchOptions = {}): string[] {
  const { limit = 3, related = true, part } = options;
  const needle = input.toLowerCase();
  const max = maxEdits(needle.length);
  const needlePart = part ? part(needle) : needle;
  const partExtra = needlePart === needle ? 0 : 1;
  const scored: { score: number; prefix: number; candidate: string }[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate) || candidate === input) continue;
    seen.add(candidate);
    const hay = candidate.toLowerCase();
    let score = editDistance(needle, hay, max);
    if (part) {
      const hayPart = part(hay);
      if (hayPart !== hay || needlePart !== needle) score = Math.min(score, editDistance(needlePart, hayPart, maxEdits(needlePart.length)) + partExtra);
    }
    if (score <= max) scored.push({ score, prefix: commonPrefix(needle, hay), candidate });
  }
  if (scored.length === 0 && related) {
    const words = new Set(wordsOf(needle));
    for (const candidate of seen) {
      if (candidate === input) continue;
      const hay = candidate.toLowerCase();
      if (needle.length >= 3 && (hay.includes(needle) || needle.includes(hay))) {
        scored.push({ score: 0, prefix: commonPrefix(needle, hay), candidate });
        continue;
      }
      const shared = wordsOf(hay).filter((w) => words.has(w)).length;
      if (shared > 0) scored.push({ score: 1 + words.size - shared, prefix: commonPrefix(needle, hay), candidate });
    }
  }
  if (scored.length === 0) return [];
  scored.sort((x, y) => x.score - y.score || y.prefix - x.prefix || (x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0));
  const best = scored[0]!.score;
  return scored.filter((s) => s.score === best).slice(0, limit).map((s) => s.candidate);
}

/** Candidate lists longer than this get no single-name suggestion (keeps per-finding lookups cheap on huge inputs). */
const MAX_CANDIDATES = 500;

/**
 * The one candidate the user probably meant: the same word in another case,
 * else the nearest typo (no related words). Undefined when nothing is near,
 * or when there are too many candidates to search for each finding.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (list.length === 0 || list.length > MAX_CANDIDATES || input.length > 64) return undefined;
  const lower = input.toLowerCase();
  const sameWord = list.filter((c) => c !== input && c.toLowerCase() === lower).sort()[0];
  return sameWord ?? nearMatches(input, list, { limit: 1, related: false })[0];
}

/** `; did you mean "x"?` or '' — the one name the user probably meant (closest()), for lint messages. */
export function closestHint(input: string, candidates: Iterable<string>): string {
  const c = closest(input, candidates);
  return c === undefined ? '' : `; did you mean "${c}"?`;
}

/** ' (did you mean a, b?)' or '' — every near match of `input` (nearMatches()), for CLI and configuration messages. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const near = nearMatches(input, candidates);
  return near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : '';
}
