/**
 * A small layered (Sugiyama-style) layout, computed at build time so the
 * HTML page stays small and deterministic:
 * 1. cycles are broken by an iterative DFS in id order (back edges ignored);
 * 2. layer = longest path from a source;
 * 3. order within a layer: a few barycenter sweeps, ties by id;
 * 4. coordinates on a grid, layers left to right or top to bottom (whichever
 *    suits a 16:10 window better); node width from the label length.
 * Linear in nodes + edges per sweep, so a 10,000-node mesh still lays out quickly.
 */
import type { MeshGraph } from './model.ts';

export interface Placed { x: number; y: number; w: number; h: number; layer: number; /** Layers run top to bottom. */ vertical: boolean }

export const LAYER_GAP = 120;
export const ROW_GAP = 18;
export const COL_GAP = 28;
export const TB_LAYER_GAP = 70;
export const NODE_H = 44;
const CHAR_W = 6.6;

export function nodeWidth(label: string): number {
  return Math.max(90, Math.min(360, Math.ceil(label.length * CHAR_W) + 24));
}

export function layout(g: MeshGraph, labelOf: (id: string) => string): Map<string, Placed> {
  const n = g.nodes.length;
  const index = new Map(g.nodes.map((node, i) => [node.id, i]));
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const e of g.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a !== undefined && b !== undefined && a !== b) out[a]!.push(b);
  }
  // 1. DFS order; edges to nodes on the stack are back edges.
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const dag: number[][] = Array.from({ length: n }, () => []);
  for (let s = 0; s < n; s++) {
    if (state[s]) continue;
    const stack: [number, number][] = [[s, 0]];
    state[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [v, i] = top;
      if (i < out[v]!.length) {
        top[1]++;
        const w = out[v]![i]!;
        if (state[w] === 1) continue;
        dag[v]!.push(w);
        if (state[w] === 0) {
          state[w] = 1;
          stack.push([w, 0]);
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  // 2. Longest path layering (Kahn order).
  const indeg = new Int32Array(n);
  for (const list of dag) for (const w of list) indeg[w]!++;
  const layerOf = new Int32Array(n);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indeg[v] === 0) queue.push(v);
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi]!;
    for (const w of dag[v]!) {
      if (layerOf[v]! + 1 > layerOf[w]!) layerOf[w] = layerOf[v]! + 1;
      if (--indeg[w]! === 0) queue.push(w);
    }
  }
  const layers: number[][] = [];
  for (let v = 0; v < n; v++) (layers[layerOf[v]!] ??= []).push(v);
  // 3. Barycenter sweeps.
  const pos = new Float64Array(n);
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) for (const w of dag[v]!) preds[w]!.push(v);
  const number = () => layers.forEach((l) => l.forEach((v, i) => { pos[v] = i; }));
  number();
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const layer of order) {
      const bary = new Map<number, number>();
      for (const v of layer) {
        const nb = down ? preds[v]! : dag[v]!;
        bary.set(v, nb.length ? nb.reduce((s, u) => s + pos[u]!, 0) / nb.length : pos[v]!);
      }
      layer.sort((a, b) => bary.get(a)! - bary.get(b)! || a - b);
      layer.forEach((v, i) => { pos[v] = i; });
    }
  }
  // 4. Coordinates: left-to-right or top-to-bottom, whichever fits a 16:10 window at the larger scale.
  const widths = g.nodes.map((node) => nodeWidth(labelOf(node.id)));
  const tallest = Math.max(0, ...layers.map((l) => l.length));
  const colWidths = layers.map((l) => Math.max(...l.map((v) => widths[v]!)));
  const lr = { w: colWidths.reduce((a, b) => a + b, 0) + LAYER_GAP * Math.max(0, layers.length - 1), h: tallest * (NODE_H + ROW_GAP) };
  const rowWidths = layers.map((l) => l.reduce((a, v) => a + widths[v]!, 0) + COL_GAP * Math.max(0, l.length - 1));
  const tb = { w: Math.max(0, ...rowWidths), h: layers.length * (NODE_H + TB_LAYER_GAP) };
  const scale = (e: { w: number; h: number }) => Math.min(1600 / Math.max(1, e.w), 1000 / Math.max(1, e.h));
  const vertical = scale(tb) > scale(lr);
  const placed = new Map<string, Placed>();
  if (!vertical) {
    let x = 20;
    layers.forEach((layer, li) => {
      const offset = ((tallest - layer.length) * (NODE_H + ROW_GAP)) / 2;
      layer.forEach((v, i) => {
        placed.set(g.nodes[v]!.id, { x: x + (colWidths[li]! - widths[v]!) / 2, y: 20 + offset + i * (NODE_H + ROW_GAP), w: widths[v]!, h: NODE_H, layer: li, vertical });
      });
      x += colWidths[li]! + LAYER_GAP;
    });
  } else {
    layers.forEach((layer, li) => {
      let x = 20 + (tb.w - rowWidths[li]!) / 2;
      for (const v of layer) {
        placed.set(g.nodes[v]!.id, { x, y: 20 + li * (NODE_H + TB_LAYER_GAP), w: widths[v]!, h: NODE_H, layer: li, vertical });
        x += widths[v]! + COL_GAP;
      }
    });
  }
  return placed;
}
