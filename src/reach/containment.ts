/**
 * Decidable containment between HTTPRouteGroup matches: does every request
 * that match `b` admits also hit match `a`? Answers true only when that holds
 * under both pathRegex readings (SMI start-anchored and Envoy full-match), so
 * that a "shadowed" finding is never a guess. Returns false when unsure.
 */
import type { AdmittedHttpMatch } from './types.ts';

/** Path regexes that admit every HTTP path (paths always start with '/'). '' is read as '.*', as OSM does. */
const UNIVERSAL_PATHS = new Set(['', '.*', '^.*', '(.*)', '(?:.*)', '/.*', '^/.*', '.*$', '/.*$']);
const UNIVERSAL_VALUES = new Set(['.*', '^.*$', '.*$', '^.*', '(.*)']);
const META = /[\\.+*?()[\]{}|^$]/;

/** The literal text every match of `re` starts with, or null when `re` may branch before it. */
function literalPrefix(re: string): string | null {
  if (re.includes('|')) return null;
  let body = re.startsWith('^') ? re.slice(1) : re;
  const cut = body.search(META);
  if (cut < 0) return body;
  let prefix = body.slice(0, cut);
  // A quantifier after the literal applies to its last character: that character is optional or repeated.
  if ('*?{'.includes(body[cut]!)) prefix = prefix.slice(0, -1);
  return prefix;
}

function pathContains(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || UNIVERSAL_PATHS.has(a)) return true;
  if (b === undefined) return false;
  if (a === b) return true;
  // 'L.*' with a literal L admits every path starting with L, under both readings.
  if (a.endsWith('.*') && !META.test(a.slice(0, -2).replace(/^\^/, ''))) {
    const lit = a.slice(0, -2).replace(/^\^/, '');
    const pre = literalPrefix(b);
    return pre !== null && pre.startsWith(lit);
  }
  return false;
}

function methodsContain(a: string[] | undefined, b: string[] | undefined): boolean {
  if (!a || a.length === 0 || a.includes('*')) return true;
  if (!b || b.length === 0 || b.includes('*')) return false;
  return b.every((m) => a.includes(m));
}

function headersContain(a: AdmittedHttpMatch['headers'], b: AdmittedHttpMatch['headers']): boolean {
  // A header matcher also requires the header to be present, whatever its regex.
  return a.every((h) => b.some((x) => x.name === h.name && (x.value === h.value || UNIVERSAL_VALUES.has(h.value))));
}

/** True when `a` admits every request `b` admits (decidably). */
export function matchContains(a: AdmittedHttpMatch, b: AdmittedHttpMatch): boolean {
  return methodsContain(a.methods, b.methods) && headersContain(a.headers, b.headers) && pathContains(a.pathRegex, b.pathRegex);
}

/** The distinct strings of a list, sorted; the list itself when it already is (the usual case: nothing to allocate). */
function uniqueSorted(list: string[]): string[] {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]! < list[i]!)) return [...new Set(list)].sort();
  return list;
}

/** Identity of a match as OSM compares routes (identical routes are merged, their principals united). */
export function matchKey(m: AdmittedHttpMatch): string {
  const headers = m.headers.length > 1 ? [...m.headers].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) : m.headers;
  return JSON.stringify([
    m.pathRegex === undefined || m.pathRegex === '' ? '.*' : m.pathRegex,
    !m.methods || m.methods.length === 0 || m.methods.includes('*') ? ['*'] : uniqueSorted(m.methods),
    headers.map((h) => [h.name, h.value]),
  ]);
}
