/**
 * HTTPRouteGroup, TCPRoute and UDPRoute (specs v1alpha1–v1alpha4) → the
 * canonical specs v1alpha4 shape. Headers are accepted as a map and as a list
 * of single-key maps, and normalised to a list of {lower-cased name, value}.
 */
import type { Path } from '../core/types.ts';
import { formatPath } from '../schema/text.ts';
import { asList, asObj, asString, buildMeta, issue, type ModelContext } from './context.ts';
import type { HTTPMatch, HTTPRouteGroup, HeaderMatch, HttpMethod, TCPRoute, UDPRoute } from './types.ts';

/** An HTTP header name (RFC 9110 token), or a pseudo-header (`:authority`). */
const HEADER_NAME = /^:?[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

interface SourceHeader { name: string; value: string; path: Path }

/** The headers of one match, in source order, with the source path of each key. */
function sourceHeaders(v: unknown, at: Path): SourceHeader[] {
  if (Array.isArray(v)) {
    return v.flatMap((item, j) => Object.entries(asObj(item) ?? {}).map(([name, value]) => ({ name, value: String(value), path: [...at, j, name] })));
  }
  return Object.entries(asObj(v) ?? {}).map(([name, value]) => ({ name, value: String(value), path: [...at, name] }));
}

export function buildHTTPRouteGroup(ctx: ModelContext): HTTPRouteGroup {
  const flat = ctx.target.version === 'v1alpha1' || ctx.target.version === 'v1alpha2';
  const value = ctx.raw.value;
  const list = flat ? value.matches : asObj(value.spec)?.matches;
  const base: Path = flat ? ['matches'] : ['spec', 'matches'];
  const rewrites: [Path, Path][] = flat ? [[['spec', 'matches'], ['matches']], [['spec'], []]] : [];

  const matches = asList(list).map((raw, i): HTTPMatch => {
    const m = asObj(raw) ?? {};
    const match: HTTPMatch = { name: asString(m.name) ?? '', headers: [] };
    if (typeof m.pathRegex === 'string') match.pathRegex = m.pathRegex;
    if (Array.isArray(m.methods)) match.methods = m.methods.filter((x): x is HttpMethod => typeof x === 'string');
    const seen = new Map<string, SourceHeader>();
    for (const h of sourceHeaders(m.headers, [...base, i, 'headers'])) {
      const name = h.name.toLowerCase();
      if (seen.has(name)) {
        issue(ctx, 'MESH0117', { name: JSON.stringify(h.name), path: formatPath([...base, i]) }, h.path, true);
        continue;
      }
      seen.set(name, h);
      if (!HEADER_NAME.test(h.name)) {
        // Envoy refuses an empty name or one with NUL, CR or LF; any other non-token name can never match a request.
        issue(ctx, 'MESH0112', { path: formatPath(h.path), value: JSON.stringify(h.name), reason: 'an HTTP header name is a token of letters, digits and !#$%&\'*+-.^_`|~ (a leading ":" for a pseudo-header such as :authority)' }, h.path, true);
        continue;
      }
      const header: HeaderMatch = { name, value: h.value };
      match.headers.push(header);
      const canonical: Path = ['spec', 'matches', i, 'headers', name];
      const expected: Path = [...base, i, 'headers', name];
      // Only where the list form or a different case makes the source path differ.
      if (h.path.length !== expected.length || h.path.some((s, k) => s !== expected[k])) rewrites.push([canonical, h.path]);
    }
    return match;
  });
  return { meta: buildMeta(ctx, rewrites), matches };
}

function l4Ports(ctx: ModelContext): number[] {
  if (ctx.target.version !== 'v1alpha4') return []; // before v1alpha4 a route has no ports: every port
  const spec = asObj(ctx.raw.value.spec);
  if (!spec) {
    issue(ctx, 'MESH0118', { kind: ctx.target.kind }, ['kind']);
    return [];
  }
  return asList(asObj(spec.matches)?.ports).filter((p): p is number => typeof p === 'number');
}

export function buildTCPRoute(ctx: ModelContext): TCPRoute {
  return { meta: buildMeta(ctx), ports: l4Ports(ctx) };
}

export function buildUDPRoute(ctx: ModelContext): UDPRoute {
  return { meta: buildMeta(ctx), ports: l4Ports(ctx) };
}
