/**
 * What `meshc why` shows of a split's routing beyond its backends: the requests it splits (its HTTPRouteGroup
 * matches, query parameters included) and, for a split lowered from a Gateway API route, the rule's timeouts,
 * header filters and request mirrors. Steps only: nothing here changes a verdict.
 */
import type { Path } from '../core/types.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { HTTPMatch, HeaderMutation, ObjectMeta, RoutePolicy, TrafficSplit } from '../model/types.ts';
import { anchoredPath } from './request.ts';
import type { ViaStep } from './query-answer.ts';

const step = (meta: ObjectMeta, path: Path, note: string): ViaStep =>
  ({ kind: meta.kind, namespace: meta.namespace, name: meta.name, origin: meta.origin, path, note });

/** A match in words: 'GET, path ^/api(/.*)?$, header x-canary matching "yes", query version = "2"'. */
export function describeMatch(m: HTTPMatch): string {
  const parts: string[] = [];
  if (m.methods && m.methods.length > 0 && !m.methods.includes('*')) parts.push(m.methods.join('|'));
  if (m.pathRegex !== undefined) parts.push(`path ${anchoredPath(m.pathRegex)}`);
  for (const h of m.headers) parts.push(`header ${h.name} matching ${JSON.stringify(h.value)}`);
  for (const q of m.queryParams ?? []) parts.push(`query ${q.name} ${q.type === 'Exact' ? '=' : 'matching'} ${JSON.stringify(q.value)}`);
  return parts.length > 0 ? parts.join(', ') : 'every request';
}

function mutationWords(m: HeaderMutation): string {
  const parts = [
    ...m.set.map((h) => `set ${h.name}: ${JSON.stringify(h.value)}`), ...m.add.map((h) => `add ${h.name}: ${JSON.stringify(h.value)}`), ...m.remove.map((r) => `remove ${r}`),
  ];
  return parts.join(', ');
}

function policySteps(meta: ObjectMeta, p: RoutePolicy): ViaStep[] {
  const rule: Path = ['spec', 'rules', p.rule];
  const out: ViaStep[] = [];
  const t = [p.request && `request ${p.request.text}`, p.backendRequest && `backendRequest ${p.backendRequest.text}`].filter(Boolean);
  if (t.length > 0) out.push(step(meta, [...rule, 'timeouts'], `timeouts: ${t.join(', ')}`));
  if (p.requestHeaders) out.push(step(meta, [...rule, 'filters'], `request headers: ${mutationWords(p.requestHeaders)}`));
  if (p.responseHeaders) out.push(step(meta, [...rule, 'filters'], `response headers: ${mutationWords(p.responseHeaders)}`));
  for (const m of p.mirrors ?? []) {
    const share = m.fraction ? `${+((m.fraction.numerator * 100) / m.fraction.denominator).toFixed(4)}% of requests` : 'every request';
    out.push(step(meta, [...rule, 'filters', m.filter], `mirrors ${share} to ${m.service}${m.port !== undefined ? `:${m.port}` : ''} (answers discarded)`));
  }
  return out;
}

/** Steps for the split's matches (one per match) and its split-side route policy. */
export function splitRouteSteps(index: MeshIndex, split: TrafficSplit, groups: string[]): ViaStep[] {
  const out: ViaStep[] = [];
  for (const g of groups) {
    const group = index.httpRouteGroups.get(g);
    group?.matches.forEach((m, i) => out.push(step(group.meta, ['spec', 'matches', i], `splits requests matching ${describeMatch(m)}`)));
  }
  if (split.policies?.split) out.push(...policySteps(split.meta, split.policies.split));
  return out;
}

/** `why --format json`: the requests a split routes (its matches) and, for a Gateway API route, the rule's policy. */
export function splitRouting(index: MeshIndex, splitKey: string, groups: string[]): Record<string, unknown> | undefined {
  const split = index.trafficSplits.get(splitKey);
  if (!split) return undefined;
  const matches = groups.flatMap((g) => (index.httpRouteGroups.get(g)?.matches ?? []).map((m) => ({ group: g, ...m })));
  const out: Record<string, unknown> = { split: splitKey, matches };
  const p = split.policies?.split;
  if (p) {
    const { rule, request, backendRequest, ...rest } = p;
    out.policy = { rule, ...(request ? { request: request.text } : {}), ...(backendRequest ? { backendRequest: backendRequest.text } : {}), ...rest };
  }
  return out;
}
