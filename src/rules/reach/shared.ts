import { computeReachability } from '../../reach/index.ts';
import { sharePercent } from '../../reach/suggest.ts';
import type { Reachability } from '../../reach/types.ts';
import type { RuleContext } from '../types.ts';

// Keyed by the rule context, which lint() creates once per run: every reach rule of a run shares one computation.
const cache = new WeakMap<RuleContext, Reachability>();

/** Reachability of the mesh under the run's mode, computed once per lint run and shared by every reach rule. */
export function reachabilityOf(ctx: RuleContext): Reachability {
  let r = cache.get(ctx);
  if (!r) cache.set(ctx, (r = computeReachability(ctx.mesh, ctx.index, ctx.config)));
  return r;
}

/** `a, b and c`; long lists end with `and N more`. */
export function listNames(names: readonly string[], max = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export const percent = (w: number, total: number) => `${sharePercent(w, total)}%`;
