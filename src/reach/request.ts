/**
 * Does an admitted HTTPRouteGroup match admit a request?
 *
 * - pathRegex: RE2, anchored at the start only (SMI): some prefix of the path
 *   must match. The query string and fragment are not part of the path (as in Envoy).
 * - methods: absent, empty (`methods: []`, as compile and OSM read it) or
 *   containing '*' = every method.
 * - headers: RE2 regexes, whole-value match, AND-ed; names are case-insensitive
 *   and `host` is the same header as `:authority`.
 * Parts of the request left unspecified (method, path) match anything; a
 * header the match requires must be present in the request.
 */
import { re2Matcher } from '../regex/re2.ts';
import type { AdmittedHttpMatch } from './types.ts';

export interface HttpRequest {
  method?: string;
  path?: string;
  /** Header name (any case) → value. */
  headers?: Record<string, string>;
}

export function requestPath(path: string): string {
  const cut = path.search(/[?#]/);
  return cut < 0 ? path : path.slice(0, cut);
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const want = name.toLowerCase();
  const alias = want === 'host' ? ':authority' : want === ':authority' ? 'host' : want;
  for (const [k, v] of Object.entries(headers)) {
    const lk = k.toLowerCase();
    if (lk === want || lk === alias) return v;
  }
  return undefined;
}

/** Does a regex have an alternation outside any group (`/a|/b`)? Escapes and character classes are skipped. */
function topLevelAlternation(re: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') i++;
    else if (inClass) { if (c === ']') inClass = false; }
    else if (c === '[') { inClass = true; if (re[i + 1] === '^') i++; if (re[i + 1] === ']') i++; }
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/** A pathRegex as SMI anchors it (at the start only), for messages: `^/api`, `^(?:/a|/b)` (the anchor covers the whole alternation). */
export function anchoredPath(re: string): string {
  return topLevelAlternation(re) ? `^(?:${re})` : `^${re}`;
}

/** Gateway API queryParams against the request path's query string (names exact; the first value of a name counts). */
function queryMismatch(m: AdmittedHttpMatch, path: string | undefined): string | null {
  if (!m.queryParams?.length || path === undefined) return null;
  const cut = path.indexOf('?');
  const params = new URLSearchParams(cut < 0 ? '' : path.slice(cut + 1).replace(/#.*$/, ''));
  for (const q of m.queryParams) {
    const value = params.get(q.name);
    const want = q.type === 'Exact' ? JSON.stringify(q.value) : `matching ${JSON.stringify(q.value)}`;
    if (value === null) return `it requires query parameter ${q.name} (${want})`;
    if (q.type === 'Exact' ? value !== q.value : !re2Matcher(q.value)?.fullMatch(value)) return `query parameter ${q.name}: ${JSON.stringify(value)} is not ${want}`;
  }
  return null;
}

/** null when the match admits the request; otherwise what does not fit, in words. */
export function matchMismatch(m: AdmittedHttpMatch, req: HttpRequest | undefined): string | null {
  if (!req) return null;
  if (req.method !== undefined && m.methods && m.methods.length > 0 && !m.methods.includes('*') && !m.methods.includes(req.method.toUpperCase())) {
    return `method ${req.method.toUpperCase()} is not one of ${m.methods.join(', ')}`;
  }
  if (req.path !== undefined && m.pathRegex !== undefined) {
    const matcher = re2Matcher(m.pathRegex);
    if (!matcher) return `pathRegex ${JSON.stringify(m.pathRegex)} is not valid RE2`;
    if (!matcher.prefixMatch(requestPath(req.path))) return `path ${requestPath(req.path)} does not match ${anchoredPath(m.pathRegex)}`;
  }
  const query = queryMismatch(m, req.path);
  if (query) return query;
  for (const h of m.headers) {
    const value = headerValue(req.headers ?? {}, h.name);
    if (value === undefined) return `it requires header ${h.name} (matching ${JSON.stringify(h.value)})`;
    const matcher = re2Matcher(h.value);
    if (!matcher) return `header ${h.name} regex ${JSON.stringify(h.value)} is not valid RE2`;
    if (!matcher.fullMatch(value)) return `header ${h.name}: ${JSON.stringify(value)} does not match ${JSON.stringify(h.value)}`;
  }
  return null;
}

/** Describes a request for messages: 'GET /books-bought', 'any request'. */
export function describeRequest(req: HttpRequest | undefined): string {
  if (!req) return 'any request';
  const parts = [req.method ? req.method.toUpperCase() : 'any method', req.path ?? 'any path'];
  const hs = Object.entries(req.headers ?? {});
  if (hs.length > 0) parts.push(`with ${hs.map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  return parts.join(' ');
}
