import { computeReachability } from '../../reach/index.ts';
import { sharePercent } from '../../reach/suggest.ts';
import type { IdentityKey, Reachability } from '../../reach/types.ts';
import { Delivery } from '../../reach/delivery.ts';
import { identityKeyProblem } from '../../reach/identity-name.ts';
import { SUBJECTS_EXIST_RULE } from '../util/refs.ts';
import type { RuleContext } from '../types.ts';
import type { MeshcConfig } from '../../config/types.ts';
import type { MeshIndex } from '../../model/index-lookup.ts';
import type { Mesh } from '../../model/types.ts';

// Keyed by the mesh index, which loadMesh() builds once per loaded tree, and the mode: every reach rule of
// a run shares one computation, and so does a command that lints a tree and then reads its reachability (diff).
const cache = new WeakMap<MeshIndex, Map<boolean, Reachability>>();

/** Reachability of a loaded mesh under a mode, computed once per (index, mode). */
export function sharedReachability(mesh: Mesh, index: MeshIndex, config: Pick<MeshcConfig, 'permissive'>): Reachability {
  let byMode = cache.get(index);
  if (!byMode) cache.set(index, (byMode = new Map()));
  const permissive = config.permissive === true;
  let r = byMode.get(permissive);
  if (!r) byMode.set(permissive, (r = computeReachability(mesh, index, config)));
  return r;
}

/** Reachability of the mesh under the run's mode, computed once per lint run and shared by every reach rule. */
export function reachabilityOf(ctx: RuleContext): Reachability {
  return sharedReachability(ctx.mesh, ctx.index, ctx.config);
}

const deliveries = new WeakMap<RuleContext, Delivery>();

/** What compile delivers to each caller (src/reach/delivery.ts), once per lint run. */
export function deliveryOf(ctx: RuleContext): Delivery {
  let d = deliveries.get(ctx);
  if (!d) deliveries.set(ctx, (d = new Delivery(reachabilityOf(ctx), ctx.index, ctx.config.clusterDomain)));
  return d;
}

const callerLists = new WeakMap<RuleContext, IdentityKey[]>();

/**
 * The callers whose outbound configuration is judged (once per lint run), sorted: every source identity reachability lists (in
 * permissive mode: every identity a workload runs as). A source that cannot be an identity (`"*"`) is MESH0212's
 * finding, not a caller.
 */
export function callersOf(ctx: RuleContext): readonly IdentityKey[] {
  let callers = callerLists.get(ctx);
  if (callers) return callers;
  const reach = reachabilityOf(ctx);
  const subjectsChecked = !ctx.config.disableRules.includes(SUBJECTS_EXIST_RULE);
  const all = reach.mode === 'permissive' ? [...ctx.index.workloadsByIdentity.keys()] : Object.keys(reach.outbound);
  callers = all.filter((id) => !(subjectsChecked && identityKeyProblem(id))).sort();
  callerLists.set(ctx, callers);
  return callers;
}

/** Groups callers by Service port, for one finding per port. */
export class CallersByPort<T> {
  readonly items = new Map<string, { service: string; port: number; callers: Set<IdentityKey>; extra: T }>();
  add(service: string, port: number, caller: IdentityKey, extra: T): void {
    const k = `${service}|${port}`;
    const e = this.items.get(k);
    if (e) e.callers.add(caller);
    else this.items.set(k, { service, port, callers: new Set([caller]), extra });
  }
  sorted() {
    return [...this.items.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.port - b.port));
  }
}

export const percent = (w: number, total: number) => `${sharePercent(w, total)}%`;
