/**
 * The whole graph as server-side SVG (small meshes): layered layout from
 * ./layout.ts, edges as cubic curves, and edge labels placed so that no two
 * overlap and none covers a node. A label is tried at several points along
 * its edge; one that finds no free place is left off the drawing (it stays in
 * the edge's tooltip and in the details panel).
 */
import { layout, type Placed } from './layout.ts';
import type { GraphEdge, GraphNode, MeshGraph } from './model.ts';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const f = (n: number) => (Math.round(n * 10) / 10).toString();

export function title(n: GraphNode): string {
  return n.kind === 'any' || n.kind === 'external' ? n.name : `${n.namespace}/${n.name}`;
}
export function subtitle(n: GraphNode): string {
  if (n.kind === 'service') return `service · ${n.details.join(', ') || 'no ports'}${n.splitRoot ? ' · split' : ''}`;
  if (n.kind === 'identity') return `identity · ${n.details.length ? `${n.details.length} workload(s)` : 'no workload'}`;
  if (n.kind === 'external') return `outside the mesh · ${n.details.join(', ')}`;
  return 'permissive mode';
}
/** The longer of a node's two lines: what its box must fit. */
export function widestLine(n: GraphNode): string {
  return title(n).length > subtitle(n).length ? title(n) : subtitle(n);
}

/** Short edge label on the drawing (the full one is in the tooltip and the panel). */
export function shortLabel(e: GraphEdge): string {
  if (e.kind === 'serves') return '';
  let s = e.label;
  if (e.kind === 'allow' || (e.kind === 'egress' && e.ports.length > 0)) s = `${e.ports.join(', ')} · ${e.routes.length === 1 ? e.routes[0]!.replace(/^[^/]*\//, '') : `${e.routes.length} routes`}`;
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

export function edgeTitle(e: GraphEdge): string {
  return `${e.from} → ${e.to} (${e.kind})${e.label ? `: ${e.label}` : ''}${e.via.length ? `; via ${e.via.join(', ')}` : ''}`;
}

type Pt = [number, number];
interface Curve { p: [Pt, Pt, Pt, Pt]; /** Where along the curve a label may go, best first. */ ts: number[] }

function bezier([p0, p1, p2, p3]: [Pt, Pt, Pt, Pt], t: number): Pt {
  const u = 1 - t;
  const at = (i: 0 | 1) => u * u * u * p0[i] + 3 * u * u * t * p1[i] + 3 * u * t * t * p2[i] + t * t * t * p3[i];
  return [at(0), at(1)];
}

const SPREAD = [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8];

function edgeCurve(a: Placed, b: Placed): Curve {
  if (a.vertical) {
    const x1 = a.x + a.w / 2;
    const y1 = a.y + a.h;
    const x2 = b.x + b.w / 2;
    const y2 = b.y;
    if (y2 > y1) {
      const dy = Math.max(30, (y2 - y1) / 2);
      // Long edges: labels first in the gap above the target layer, not on the nodes they pass.
      const span = Math.max(1, Math.round((y2 - y1) / (a.h + 70)));
      const ts = span === 1 ? SPREAD : [1 - 0.45 / span, 1 - 0.3 / span, 1 - 0.6 / span, 0.45 / span];
      return { p: [[x1, y1], [x1, y1 + dy], [x2, y2 - dy], [x2, y2]], ts };
    }
    // Back edge (cycle): loop out to the right of both nodes.
    const side = Math.max(a.x + a.w, b.x + b.w) + 50;
    const ya = a.y + a.h / 2;
    const yb = b.y + b.h / 2;
    return { p: [[a.x + a.w, ya], [side, ya], [side, yb], [b.x + b.w, yb]], ts: SPREAD };
  }
  const x1 = a.x + a.w;
  const y1 = a.y + a.h / 2;
  const x2 = b.x;
  const y2 = b.y + b.h / 2;
  if (x2 > x1) {
    const dx = Math.max(40, (x2 - x1) / 2);
    return { p: [[x1, y1], [x1 + dx, y1], [x2 - dx, y2], [x2, y2]], ts: SPREAD };
  }
  // Back edge (cycle): loop below both nodes.
  const low = Math.max(a.y + a.h, b.y + b.h) + 40;
  return { p: [[x1, y1], [x1 + 80, low], [x2 - 80, low], [x2, y2]], ts: SPREAD };
}

// Label boxes are estimated generously (10px sans-serif is at most ~6.4px a character), so
// boxes that do not overlap here do not overlap in the browser either.
const LABEL_CHAR_W = 6.4;
const LABEL_H = 13;
interface Rect { x: number; y: number; w: number; h: number }
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** fitScale: the scale at which the drawing fits a 1600×1000 window. */
export interface GraphSvg { svg: string; fitScale: number }

export function graphSvg(g: MeshGraph): GraphSvg {
  const labelOf = new Map(g.nodes.map((n) => [n.id, widestLine(n)]));
  const placed = layout(g, (id) => labelOf.get(id) ?? id);
  let maxX = 0;
  let maxY = 0;
  const taken: Rect[] = [];
  for (const p of placed.values()) {
    maxX = Math.max(maxX, p.x + p.w);
    maxY = Math.max(maxY, p.y + p.h);
    taken.push({ x: p.x - 2, y: p.y - 2, w: p.w + 4, h: p.h + 4 });
  }
  const edgeSvg: string[] = [];
  const labelSvg: string[] = [];
  for (const e of g.edges) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) continue;
    const { p, ts } = edgeCurve(a, b);
    const d = `M${f(p[0][0])},${f(p[0][1])} C${f(p[1][0])},${f(p[1][1])} ${f(p[2][0])},${f(p[2][1])} ${f(p[3][0])},${f(p[3][1])}`;
    const marker = e.kind === 'serves' ? '' : ` marker-end="url(#m-${e.kind})"`;
    edgeSvg.push(`<path class="edge ${e.kind}" data-edge="${esc(e.id)}" d="${d}"${marker}><title>${esc(edgeTitle(e))}</title></path>`);
    const label = shortLabel(e);
    if (!label) continue;
    const w = label.length * LABEL_CHAR_W + 4;
    for (const t of ts) {
      const [mx, my] = bezier(p, t);
      const box = { x: mx - w / 2, y: my - LABEL_H / 2, w, h: LABEL_H };
      if (taken.some((r) => overlaps(r, box))) continue;
      taken.push(box);
      maxX = Math.max(maxX, box.x + w);
      maxY = Math.max(maxY, box.y + LABEL_H);
      // The text baseline sits 3.5px below the box centre for a 10px font.
      labelSvg.push(`<text class="elabel ${e.kind}" data-label="${esc(e.id)}" x="${f(mx)}" y="${f(my + 3.5)}" text-anchor="middle">${esc(label)}</text>`);
      break;
    }
  }
  const nodeSvg = g.nodes.map((n) => nodeSvgOf(n, placed.get(n.id)!));
  return { svg: `${edgeSvg.join('\n')}\n${labelSvg.join('\n')}\n${nodeSvg.join('\n')}`, fitScale: Math.min(1600 / (maxX + 20), 1000 / (maxY + 20)) };
}

export function nodeSvgOf(n: GraphNode, p: { x: number; y: number; w: number; h: number }): string {
  const cls = `node ${n.kind}${n.splitRoot ? ' split' : ''}`;
  const rx = n.kind === 'identity' ? 22 : 6;
  return `<g class="${cls}" data-id="${esc(n.id)}" transform="translate(${f(p.x)},${f(p.y)})"><rect width="${f(p.w)}" height="${p.h}" rx="${rx}"/>`
    + `<text x="${f(p.w / 2)}" y="18" text-anchor="middle">${esc(title(n))}</text><text class="sub" x="${f(p.w / 2)}" y="33" text-anchor="middle">${esc(subtitle(n))}</text></g>`;
}
