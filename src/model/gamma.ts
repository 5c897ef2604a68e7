/**
 * Gateway API HTTPRoute / GRPCRoute / ReferenceGrant (v1, v1beta1) → the
 * model as written, with the API defaults applied (parentRef group/kind,
 * backendRef weight, path match type). Every served version has one layout,
 * so canonical paths are source paths. Lowering mesh routes into splits is
 * src/model/gamma-lower.ts.
 */
import { asList, asObj, asString, buildMeta, type ModelContext } from './context.ts';
import { GATEWAY } from '../schema/kinds.ts';
import type { GammaBackendRef, GammaFilter, GammaHeaderModifier, GammaMatch, GammaParentRef, GammaRoute, GammaRule, GammaStringMatch, ReferenceGrant } from './types.ts';

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function stringMatches(v: unknown): GammaStringMatch[] {
  return asList(v).map((m) => {
    const o = asObj(m) ?? {};
    return { type: asString(o.type) ?? 'Exact', name: asString(o.name) ?? '', value: asString(o.value) ?? '' };
  });
}

function match(v: unknown): GammaMatch {
  const o = asObj(v) ?? {};
  const out: GammaMatch = { headers: stringMatches(o.headers), queryParams: stringMatches(o.queryParams) };
  const path = asObj(o.path);
  if (path) out.path = { type: asString(path.type) ?? 'PathPrefix', value: asString(path.value) ?? '/' };
  const method = o.method;
  if (typeof method === 'string') out.method = method;
  else if (asObj(method)) {
    const m = asObj(method)!;
    out.grpc = { type: asString(m.type) ?? 'Exact' };
    if (typeof m.service === 'string') out.grpc.service = m.service;
    if (typeof m.method === 'string') out.grpc.method = m.method;
  }
  return out;
}

function backendRef(v: unknown, namespace: string): GammaBackendRef {
  const o = asObj(v) ?? {};
  const ref: GammaBackendRef = {
    group: asString(o.group) ?? '', kind: asString(o.kind) ?? 'Service', namespace: asString(o.namespace) ?? namespace,
    name: asString(o.name) ?? '', weight: num(o.weight) ?? 1,
  };
  if (num(o.port) !== undefined) ref.port = num(o.port);
  return ref;
}

function headerModifier(v: unknown): GammaHeaderModifier {
  const o = asObj(v) ?? {};
  const pairs = (list: unknown) => asList(list).map((h) => ({ name: asString(asObj(h)?.name) ?? '', value: asString(asObj(h)?.value) ?? '' }));
  return { set: pairs(o.set), add: pairs(o.add), remove: asList(o.remove).filter((r): r is string => typeof r === 'string') };
}

function filter(v: unknown, namespace: string): GammaFilter {
  const o = asObj(v) ?? {};
  const out: GammaFilter = { type: asString(o.type) ?? '' };
  if (asObj(o.requestHeaderModifier)) out.requestHeaderModifier = headerModifier(o.requestHeaderModifier);
  if (asObj(o.responseHeaderModifier)) out.responseHeaderModifier = headerModifier(o.responseHeaderModifier);
  const mirror = asObj(o.requestMirror);
  if (mirror) {
    out.requestMirror = { backendRef: backendRef(mirror.backendRef, namespace) };
    if (num(mirror.percent) !== undefined) out.requestMirror.percent = num(mirror.percent);
    const f = asObj(mirror.fraction);
    if (f) out.requestMirror.fraction = { numerator: num(f.numerator) ?? 0, denominator: num(f.denominator) ?? 100 };
  }
  return out;
}

function rule(v: unknown, namespace: string): GammaRule {
  const o = asObj(v) ?? {};
  const backends = asList(o.backendRefs);
  const filterTypes = (list: unknown) => asList(list).map((f) => asString(asObj(f)?.type) ?? '');
  const out: GammaRule = {
    matches: asList(o.matches).map(match),
    backendRefs: backends.map((b) => backendRef(b, namespace)),
    filters: [...filterTypes(o.filters), ...backends.flatMap((b) => filterTypes(asObj(b)?.filters))],
    other: ['retry', 'sessionPersistence'].filter((k) => o[k] !== undefined),
  };
  if (asList(o.filters).length > 0) out.ruleFilters = asList(o.filters).map((f) => filter(f, namespace));
  const t = asObj(o.timeouts);
  if (t) out.timeouts = { ...(typeof t.request === 'string' ? { request: t.request } : {}), ...(typeof t.backendRequest === 'string' ? { backendRequest: t.backendRequest } : {}) };
  return out;
}

export function buildGammaRoute(ctx: ModelContext): GammaRoute {
  const meta = buildMeta(ctx);
  const spec = asObj(ctx.raw.value.spec) ?? {};
  return {
    meta,
    parentRefs: asList(spec.parentRefs).map((p): GammaParentRef => {
      const o = asObj(p) ?? {};
      const ref: GammaParentRef = {
        group: asString(o.group) ?? GATEWAY, kind: asString(o.kind) ?? 'Gateway', namespace: asString(o.namespace) ?? meta.namespace, name: asString(o.name) ?? '',
      };
      if (num(o.port) !== undefined) ref.port = num(o.port);
      if (typeof o.sectionName === 'string') ref.sectionName = o.sectionName;
      return ref;
    }),
    hostnames: asList(spec.hostnames).filter((h): h is string => typeof h === 'string'),
    // A route without rules has the API default: one rule matching every request, with no backends.
    ...(typeof asObj(ctx.raw.value.metadata)?.creationTimestamp === 'string' ? { createdAt: asObj(ctx.raw.value.metadata)!.creationTimestamp as string } : {}),
    rules: spec.rules === undefined ? [{ matches: [], backendRefs: [], filters: [], other: [] }] : asList(spec.rules).map((r) => rule(r, meta.namespace)),
  };
}

export function buildReferenceGrant(ctx: ModelContext): ReferenceGrant {
  const spec = asObj(ctx.raw.value.spec) ?? {};
  return {
    meta: buildMeta(ctx),
    from: asList(spec.from).map((f) => {
      const o = asObj(f) ?? {};
      return { group: asString(o.group) ?? '', kind: asString(o.kind) ?? '', namespace: asString(o.namespace) ?? '' };
    }),
    to: asList(spec.to).map((t) => {
      const o = asObj(t) ?? {};
      return { group: asString(o.group) ?? '', kind: asString(o.kind) ?? '', ...(typeof o.name === 'string' ? { name: o.name } : {}) };
    }),
  };
}
