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


export const percent = (w: number, total: number) => `${sharePercent(w, total)}%`;
