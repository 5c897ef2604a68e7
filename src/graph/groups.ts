/**
 * Large meshes open grouped: one box per namespace, aggregate edges between
 * boxes; a namespace expands in place. Each namespace's inner layout is
 * computed here (the same layered layout as small graphs, on the namespace's
 * own nodes and edges) so the page only packs boxes and draws lines.
 */
import { layout } from './layout.ts';
import type { MeshGraph } from './model.ts';
import { widestLine } from './svg.ts';

/** Above this many nodes the page opens with namespaces collapsed. */
export const GROUP_ABOVE_NODES = 150;

export interface NamespaceGroup {
  /** '' holds the permissive-mode node "every identity". */
  ns: string;
  services: number;
  identities: number;
  /** Inner layout size. */
  w: number;
  h: number;
  /** node id → [x, y, w, h] inside the group. */
  at: Record<string, [number, number, number, number]>;
}

/** Natural order, so ns-2 comes before ns-10 (plain code-unit comparison otherwise: no locale). */
export function naturalCompare(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (i % 2 === 1) return Number(x) - Number(y) || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function namespaceGroups(g: MeshGraph): NamespaceGroup[] {
  const byNs = new Map<string, MeshGraph['nodes']>();
  for (const n of g.nodes) {
    const list = byNs.get(n.namespace);
    if (list) list.push(n);
    else byNs.set(n.namespace, [n]);
  }
  const nsOf = new Map(g.nodes.map((n) => [n.id, n.namespace]));
  const inner = new Map<string, MeshGraph['edges']>();
  for (const e of g.edges) {
    const ns = nsOf.get(e.from);
    if (ns === undefined || ns !== nsOf.get(e.to)) continue;
    const list = inner.get(ns);
    if (list) list.push(e);
    else inner.set(ns, [e]);
  }
  const labelOf = new Map(g.nodes.map((n) => [n.id, widestLine(n)]));
  return [...byNs.keys()].sort(naturalCompare).map((ns) => {
    const nodes = byNs.get(ns)!;
    const placed = layout({ mode: g.mode, nodes, edges: inner.get(ns) ?? [] }, (id) => labelOf.get(id) ?? id);
    const at: NamespaceGroup['at'] = {};
    let w = 0;
    let h = 0;
    for (const n of nodes) {
      const p = placed.get(n.id)!;
      // The layout leaves a 20px margin at the top left; the group frame adds its own.
      at[n.id] = [round(p.x - 20), round(p.y - 20), round(p.w), p.h];
      w = Math.max(w, p.x - 20 + p.w);
      h = Math.max(h, p.y - 20 + p.h);
    }
    return {
      ns,
      services: nodes.filter((n) => n.kind === 'service').length,
      identities: nodes.filter((n) => n.kind === 'identity').length,
      w: Math.ceil(w),
      h: Math.ceil(h),
      at,
    };
  });
}
