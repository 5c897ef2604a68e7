import { keyOf } from '../../core/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import type { TrafficSplit } from '../../model/types.ts';
import { rootName } from '../util/split-root.ts';
import { stronglyConnected } from '../util/scc.ts';

interface Edge { from: number; to: number; split: TrafficSplit; backend: number }

/**
 * Splits are not hierarchical: a backend must not be the root of another
 * split. Roots are graph nodes, "backend is a root" an edge; edges inside a
 * strongly connected component lie on a cycle (reported once per component,
 * with one concrete cycle), the others are plain nesting.
 */
function analyse(ctx: RuleContext): void {
  const nodes = new Map<string, number>();
  const names: string[] = [];
  const firstSplit: TrafficSplit[] = [];
  const rootOf = new Map<TrafficSplit, number>();
  for (const split of ctx.mesh.trafficSplits) {
    const key = keyOf({ namespace: split.meta.namespace, name: rootName(ctx, split).name });
    let id = nodes.get(key);
    if (id === undefined) {
      nodes.set(key, (id = names.length));
      names.push(rootName(ctx, split).name);
      firstSplit.push(split);
    }
    rootOf.set(split, id);
  }
  const adjacency: number[][] = names.map(() => []);
  const out: Edge[][] = names.map(() => []);
  const edges: Edge[] = [];
  for (const split of ctx.mesh.trafficSplits) {
    const from = rootOf.get(split)!;
    split.backends.forEach((b, i) => {
      const to = nodes.get(keyOf({ namespace: b.namespace ?? split.meta.namespace, name: b.service }));
      // Self-reference is a different finding (split-backend-is-root).
      if (to === undefined || to === from) return;
      const edge = { from, to, split, backend: i };
      edges.push(edge);
      adjacency[from]!.push(to);
      out[from]!.push(edge);
    });
  }
  if (edges.length === 0) return;
  const component = stronglyConnected(names.length, adjacency);
  const size = new Map<number, number>();
  for (const c of component) size.set(c, (size.get(c) ?? 0) + 1);
  const at = (e: Edge) => ({ meta: e.split.meta, path: ['spec', 'backends', e.backend, 'service'] });
  const reported = new Set<number>();
  for (const e of edges) {
    const c = component[e.from]!;
    if (component[e.to] !== c || size.get(c)! < 2) {
      const other = firstSplit[e.to]!;
      ctx.report('MESH0411', { service: names[e.to], other: keyOf(other.meta) }, at(e),
        [{ message: `TrafficSplit ${other.meta.namespace}/${other.meta.name}`, at: { meta: other.meta, path: ['spec', 'service'] } }]);
      continue;
    }
    if (reported.has(c)) continue;
    reported.add(c);
    // The first edge of this component in input order starts the cycle; the shortest way back closes it.
    const cycle = shortestCycle(e, out, component);
    ctx.report('MESH0412', { cycle: [...cycle.map((x) => names[x.from]), names[e.from]].join(' → ') }, at(cycle[0]!),
      cycle.slice(1).map((x) => ({ message: `TrafficSplit ${x.split.meta.namespace}/${x.split.meta.name}: backend ${names[x.to]}`, at: at(x) })));
  }
}

/** Edges of a shortest cycle that starts with `first`, staying inside its component (breadth-first). */
function shortestCycle(first: Edge, out: Edge[][], component: number[]): Edge[] {
  const start = first.from;
  const c = component[start];
  const via = new Map<number, Edge>([[first.to, first]]);
  const queue = [first.to];
  for (let q = 0; q < queue.length && !via.has(start); q++) {
    for (const e of out[queue[q]!]!) {
      if (component[e.to] !== c || via.has(e.to)) continue;
      via.set(e.to, e);
      queue.push(e.to);
    }
  }
  const path: Edge[] = [];
  let node = start;
  do {
    const e = via.get(node)!;
    path.push(e);
    node = e.from;
  } while (node !== start || path.length === 0);
  return path.reverse();
}

export const trafficSplitNesting: Rule = {
  id: 'traffic-split-nesting',
  description: 'No TrafficSplit backend is the root of another split; no cycles of splits',
  codes: ['MESH0411', 'MESH0412'],
  inputs: ['trafficSplits'],
  run: analyse,
};
