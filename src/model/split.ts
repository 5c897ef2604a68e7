/** TrafficSplit (split v1alpha1–v1alpha4) → the canonical split v1alpha4 shape with whole-number weights. */
import { asList, asObj, asString, buildMeta, type ModelContext } from './context.ts';
import { normaliseWeights, parseQuantity } from './quantity.ts';
import type { SplitBackend, TrafficSplit } from './types.ts';

export function buildTrafficSplit(ctx: ModelContext): TrafficSplit {
  const spec = asObj(ctx.raw.value.spec) ?? {};
  const rawBackends = asList(spec.backends).map((b) => asObj(b) ?? {});
  const backends: SplitBackend[] = rawBackends.map((b) => ({ service: asString(b.service) ?? '', weight: typeof b.weight === 'number' ? b.weight : 0 }));
  const split: TrafficSplit = {
    meta: buildMeta(ctx),
    service: asString(spec.service) ?? '',
    backends,
    matches: asList(spec.matches).map((m) => {
      const o = asObj(m) ?? {};
      const match: TrafficSplit['matches'][number] = { kind: asString(o.kind) ?? '', name: asString(o.name) ?? '' };
      if (typeof o.apiGroup === 'string') match.apiGroup = o.apiGroup;
      return match;
    }),
    weightUnit: 'integer',
  };
  if (ctx.target.version !== 'v1alpha1') return split;

  // v1alpha1: Quantities → exact milli-units for the whole split.
  const parsed = [];
  for (const [i, b] of rawBackends.entries()) {
    const q = parseQuantity(b.weight as number | string);
    if (!q.ok) {
      ctx.issues.push({
        code: 'MESH0114', args: { value: JSON.stringify(b.weight), path: `spec.backends[${i}].weight`, reason: q.reason }, path: ['spec', 'backends', i, 'weight'],
        ...(typeof b.weight === 'number' ? { valueArg: 'value' } : {}),
      });
      return split;
    }
    parsed.push(q.milli);
  }
  const normalised = normaliseWeights(parsed);
  if (!normalised.ok) {
    const i = normalised.index;
    const weight = rawBackends[i]!.weight;
    ctx.issues.push({
      code: 'MESH0115', args: { value: JSON.stringify(weight), service: backends[i]!.service, reason: normalised.reason }, path: ['spec', 'backends', i, 'weight'],
      ...(typeof weight === 'number' ? { valueArg: 'value' } : {}),
    });
    return split;
  }
  normalised.weights.forEach((w, i) => { backends[i]!.weight = w; });
  if (normalised.reduced) return split; // only relative now
  split.weightUnit = 'milli';
  if (normalised.scale > 0) split.weightScale = normalised.scale;
  return split;
}
