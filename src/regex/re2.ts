/**
 * RE2, the regular-expression dialect Envoy uses for `safe_regex`
 * (`google_re2`) and Go implementations use for SMI matches, through the
 * re2-wasm build of Google's RE2.
 *
 * - Patterns are compiled as written, in RE2 syntax. re2-wasm's `RE2` class
 *   translates JavaScript syntax first (e.g. `(?<n>` → `(?P<n>`); we use the
 *   underlying `WrappedRE2` so that what Envoy would reject is rejected here.
 * - RE2 runs in linear time: no pattern can backtrack catastrophically.
 * - The wasm module is loaded lazily, synchronously, on the first pattern
 *   that needs it (about 20 ms start-up): a mesh without regexes, or whose
 *   regexes are valid by their shape alone and never matched, never pays for it.
 * - Results are cached per pattern.
 */
import { createRequire } from 'node:module';

interface WrappedRE2 {
  ok(): boolean;
  error(): string;
  match(input: string, start: number, getCapturingGroups: boolean): { match: string; index: number };
  delete(): void;
}

interface WrappedRE2Constructor {
  new (pattern: string, ignoreCase: boolean, multiline: boolean, dotAll: boolean): WrappedRE2;
}

export type Re2Check = { ok: true } | { ok: false; error: string };

/** A compiled pattern with the two readings SMI implementations use. */
export interface Re2Matcher {
  /** The whole input matches (Envoy `safe_regex`, OSM). */
  fullMatch(input: string): boolean;
  /** A prefix of the input matches (the SMI spec: anchored at the start only). */
  prefixMatch(input: string): boolean;
}

let ctor: WrappedRE2Constructor | undefined;
let loadError: string | undefined;

function engine(): WrappedRE2Constructor {
  if (ctor) return ctor;
  if (loadError) throw new Error(loadError);
  try {
    const require = createRequire(import.meta.url);
    // The emscripten module instantiates its wasm synchronously when required from Node.
    const mod = require('re2-wasm/build/wasm/re2.js') as { WrappedRE2: WrappedRE2Constructor };
    ctor = mod.WrappedRE2;
    return ctor;
  } catch (err) {
    loadError = `cannot load the RE2 engine (re2-wasm): ${(err as Error).message}`;
    throw new Error(loadError);
  }
}

/** True once the wasm engine has been loaded (tests assert it stays unloaded for regex-free meshes). */
export function re2Loaded(): boolean {
  return ctor !== undefined;
}

const checks = new Map<string, Re2Check>();

/**
 * Patterns valid in RE2 by their shape alone: an optional `^`, then literal
 * characters (letters, digits and `/_-~%=,:@!'` and space), `.` and simple
 * classes such as `[0-9]` or `[a-zA-Z_]` (ranges in order, no negation,
 * escapes or nesting), each at most once followed by `*`, `+` or `?`, then an
 * optional `$`. Most path regexes are such (`/api/.*`, `/items/[0-9]+$`):
 * checking them needs no engine, so a lint of them does not load the wasm.
 */
const TRIVIALLY_VALID = /^\^?(?:(?:[A-Za-z0-9/_~%=,:@!' -]|\.|\[(?:[A-Za-z0-9]-[A-Za-z0-9]|[A-Za-z0-9_/.])+\])[*+?]?)+\$?$/;

/** True when `pattern` has the shape TRIVIALLY_VALID describes and its class ranges run upwards (`[9-0]` is an error). */
export function triviallyValidRe2(pattern: string): boolean {
  if (!TRIVIALLY_VALID.test(pattern)) return false;
  for (const m of pattern.matchAll(/\[([^\]]*)\]/g)) {
    for (const r of m[1]!.matchAll(/([A-Za-z0-9])-([A-Za-z0-9])/g)) if (r[1]! > r[2]!) return false;
  }
  return true;
}

/** Whether `pattern` is valid RE2 syntax; the error is RE2's own text (e.g. "invalid perl operator: (?="). */
export function checkRe2(pattern: string): Re2Check {
  const cached = checks.get(pattern);
  if (cached) return cached;
  const result: Re2Check = triviallyValidRe2(pattern) ? { ok: true } : checkRe2WithEngine(pattern);
  checks.set(pattern, result);
  return result;
}

/** RE2's own verdict on `pattern` (uncached; checkRe2 asks it only for patterns not valid by their shape). */
export function checkRe2WithEngine(pattern: string): Re2Check {
  const Wrapped = engine();
  const re = new Wrapped(pattern, false, false, false);
  try {
    return re.ok() ? { ok: true } : { ok: false, error: re.error() };
  } finally {
    re.delete();
  }
}

const MAX_MATCHERS = 4096;
const matchers = new Map<string, Re2Matcher | null>();
// Compiled objects live in wasm memory: free them once a matcher is unreachable
// (evicted from the bounded cache and dropped by its callers).
const freer = new FinalizationRegistry<WrappedRE2[]>((objects) => {
  for (const o of objects) o.delete();
});

/** A matcher for a valid pattern (null when the pattern is not valid RE2). */
export function re2Matcher(pattern: string): Re2Matcher | null {
  const cached = matchers.get(pattern);
  if (cached !== undefined) return cached;
  if (!checkRe2(pattern).ok) {
    matchers.set(pattern, null);
    return null;
  }
  const Wrapped = engine();
  const inner = closeQuote(pattern);
  // `$` is end-of-text in RE2 (no multi-line flag), as in Envoy.
  const full = new Wrapped(`^(?:${inner})$`, false, false, false);
  const prefix = new Wrapped(`^(?:${inner})`, false, false, false);
  const matcher: Re2Matcher = {
    fullMatch: (input) => full.match(input, 0, false).index === 0,
    prefixMatch: (input) => prefix.match(input, 0, false).index === 0,
  };
  freer.register(matcher, [full, prefix]);
  if (matchers.size >= MAX_MATCHERS) matchers.delete(matchers.keys().next().value as string);
  matchers.set(pattern, matcher);
  return matcher;
}

/** A `\Q…` literal may run to the end of a pattern; close it before wrapping the pattern in a group. */
function closeQuote(pattern: string): string {
  let quoted = false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue;
    const next = pattern[i + 1];
    if (quoted) {
      if (next === 'E') quoted = false;
    } else if (next === 'Q') {
      quoted = true;
    }
    i++;
  }
  return quoted ? `${pattern}\\E` : pattern;
}
