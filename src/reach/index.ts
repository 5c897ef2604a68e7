/**
 * Static reachability (see ./types.ts for the result shape and docs/guide-reach.md
 * for the semantics). Pure: model in, plain data out.
 */
import type { MeshcConfig } from '../config/types.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { Mesh } from '../model/types.ts';
import type { Reachability } from './types.ts';
import { buildReachability } from './compute.ts';

export type * from './types.ts';

/**
 * Who may reach what, per source identity (outbound) and per destination
 * identity (inbound), with the TrafficTarget rules that granted it and
 * per-backend verdicts for TrafficSplit roots.
 * `config.permissive` switches to OSM's permissive mode (nothing enumerated).
 */
export function computeReachability(mesh: Mesh, index: MeshIndex, config: Pick<MeshcConfig, 'permissive'>): Reachability {
  return buildReachability(mesh, index, config.permissive ? 'permissive' : 'smi');
}
