import { computeReachability } from '../../reach/index.ts';
import { sharePercent } from '../../reach/suggest.ts';
import type { Reachability } from '../../reach/types.ts';
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


export const percent = (w: number, total: number) => `${sharePercent(w, total)}%`;
