/**
 * One self-contained HTML page (no network, inline CSS and JS): the graph
 * as server-side SVG (layout from ./layout.ts), pan with drag, zoom with the
 * wheel or buttons, click a node to see what it can reach and why.
 */
import { layout } from './layout.ts';
import type { GraphEdge, GraphNode, MeshGraph } from './model.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const f = (n: number) => (Math.round(n * 10) / 10).toString();

function title(n: GraphNode): string {
  return n.kind === 'any' ? n.name : `${n.namespace}/${n.name}`;
}
function subtitle(n: GraphNode): string {
  if (n.kind === 'service') return `service · ${n.details.join(', ') || 'no ports'}${n.splitRoot ? ' · split' : ''}`;
  if (n.kind === 'identity') return `identity · ${n.details.length ? `${n.details.length} workload(s)` : 'no workload'}`;
  return 'permissive mode';
}

function bezier(p0: number[], p1: number[], p2: number[], p3: number[], t: number): [number, number] {
  const u = 1 - t;
  const at = (i: number) => u * u * u * p0[i]! + 3 * u * u * t * p1[i]! + 3 * u * t * t * p2[i]! + t * t * t * p3[i]!;
  return [at(0), at(1)];
}

/** Short edge label on the drawing (the full one is in the tooltip and the panel). */
function shortLabel(e: GraphEdge): string {
  if (e.kind !== 'allow') return e.label;
  const what = e.routes.length === 1 ? e.routes[0]!.replace(/^[^/]*\//, '') : `${e.routes.length} routes`;
  return `${e.ports.join(', ')} · ${what}`;
}

type Box = { x: number; y: number; w: number; h: number; vertical: boolean };

function edgePath(a: Box, b: Box): { d: string; mx: number; my: number } {
  if (a.vertical) {
    const x1 = a.x + a.w / 2;
    const y1 = a.y + a.h;
    const x2 = b.x + b.w / 2;
    const y2 = b.y;
    if (y2 > y1) {
      const dy = Math.max(30, (y2 - y1) / 2);
      // Label in the gap above the target layer, so labels of long edges do not sit on the nodes they pass.
      const span = Math.max(1, Math.round((y2 - y1) / (a.h + 70)));
      const [mx, my] = bezier([x1, y1], [x1, y1 + dy], [x2, y2 - dy], [x2, y2], span === 1 ? 0.5 : 1 - 0.45 / span);
      return { d: `M${f(x1)},${f(y1)} C${f(x1)},${f(y1 + dy)} ${f(x2)},${f(y2 - dy)} ${f(x2)},${f(y2)}`, mx, my: my + 4 };
    }
    // Back edge (cycle): loop out to the right of both nodes.
    const side = Math.max(a.x + a.w, b.x + b.w) + 50;
    const ya = a.y + a.h / 2;
    const yb = b.y + b.h / 2;
    return { d: `M${f(a.x + a.w)},${f(ya)} C${f(side)},${f(ya)} ${f(side)},${f(yb)} ${f(b.x + b.w)},${f(yb)}`, mx: side - 10, my: (ya + yb) / 2 };
  }
  const x1 = a.x + a.w;
  const y1 = a.y + a.h / 2;
  const x2 = b.x;
  const y2 = b.y + b.h / 2;
  if (x2 > x1) {
    const dx = Math.max(40, (x2 - x1) / 2);
    return { d: `M${f(x1)},${f(y1)} C${f(x1 + dx)},${f(y1)} ${f(x2 - dx)},${f(y2)} ${f(x2)},${f(y2)}`, mx: (x1 + x2) / 2, my: (y1 + y2) / 2 };
  }
  // Back edge (cycle): loop below both nodes.
  const low = Math.max(a.y + a.h, b.y + b.h) + 40;
  return { d: `M${f(x1)},${f(y1)} C${f(x1 + 80)},${f(low)} ${f(x2 - 80)},${f(low)} ${f(x2)},${f(y2)}`, mx: (x1 + x2) / 2, my: low - 10 };
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1a202c;display:flex;height:100vh;overflow:hidden}
#stage{flex:1;position:relative;background:#f7fafc}svg{width:100%;height:100%;cursor:grab;user-select:none}svg.drag{cursor:grabbing}
header{position:absolute;top:8px;left:8px;right:8px;display:flex;gap:8px;align-items:center;pointer-events:none}
header>*{pointer-events:auto}h1{font-size:15px;margin:0 8px 0 0}button{font:inherit;border:1px solid #cbd5e0;background:#fff;border-radius:4px;padding:2px 9px;cursor:pointer}
.legend{margin-left:auto;display:flex;gap:12px;font-size:12px;background:#fffc;padding:2px 8px;border-radius:4px}
.legend i{display:inline-block;width:22px;height:0;border-top:2px solid;vertical-align:middle;margin-right:4px}
aside{width:340px;border-left:1px solid #e2e8f0;padding:12px;overflow:auto;background:#fff}aside h2{font-size:14px;margin:0 0 4px}aside h3{font-size:12px;text-transform:uppercase;color:#718096;margin:14px 0 4px}
aside ul{list-style:none;margin:0;padding:0}aside li{padding:4px 0;border-bottom:1px solid #edf2f7}aside .sub{color:#718096;font-size:12px}aside .deny{color:#c53030}
.node rect{fill:#fff;stroke:#a0aec0;stroke-width:1.2}.node.identity rect{fill:#ebf8ff;stroke:#2b6cb0}.node.service rect{fill:#f0fff4;stroke:#2f855a}.node.any rect{fill:#fffaf0;stroke:#c05621}
.node.split rect{stroke-width:2.4}.node{cursor:pointer}.node text{font-size:12px;fill:#1a202c}.node text.sub{font-size:10px;fill:#4a5568}
.edge{fill:none;stroke-width:1.4}.edge.allow{stroke:#2b6cb0}.edge.serves{stroke:#a0aec0;stroke-dasharray:2 3}.edge.split{stroke:#805ad5;stroke-width:2.4}.edge.denied{stroke:#c53030;stroke-dasharray:6 4}
.elabel{font-size:10px;fill:#4a5568;paint-order:stroke;stroke:#f7fafc;stroke-width:3px}.elabel.denied{fill:#c53030}
.dim .node,.dim .edge,.dim .elabel{opacity:.15}.dim .hl{opacity:1}.node.sel rect{stroke:#d69e2e;stroke-width:3}
`;

// Pan/zoom and the details panel. Plain ES2017, no dependencies.
const JS = `
(function(){
var data=JSON.parse(document.getElementById('graph-data').textContent);
var svg=document.getElementById('graph'),vp=document.getElementById('viewport'),panel=document.getElementById('panel');
var bb=JSON.parse(svg.getAttribute('data-bounds'));var t={x:0,y:0,k:1};
function apply(){vp.setAttribute('transform','translate('+t.x+','+t.y+') scale('+t.k+')');}
function fit(){var r=svg.getBoundingClientRect();var k=Math.min(r.width/(bb.w+40),r.height/(bb.h+80),1.5);t={k:k,x:(r.width-bb.w*k)/2,y:Math.max(40,(r.height-bb.h*k)/2)};apply();}
function zoom(f,cx,cy){var k=Math.max(0.05,Math.min(8,t.k*f));t.x=cx-(cx-t.x)*k/t.k;t.y=cy-(cy-t.y)*k/t.k;t.k=k;apply();}
svg.addEventListener('wheel',function(e){e.preventDefault();var r=svg.getBoundingClientRect();zoom(Math.exp(-e.deltaY*0.0015),e.clientX-r.left,e.clientY-r.top);},{passive:false});
var drag=null,moved=false;
svg.addEventListener('pointerdown',function(e){drag={x:e.clientX,y:e.clientY,tx:t.x,ty:t.y};moved=false;svg.classList.add('drag');});
window.addEventListener('pointermove',function(e){if(!drag)return;var dx=e.clientX-drag.x,dy=e.clientY-drag.y;if(Math.abs(dx)+Math.abs(dy)>3)moved=true;t.x=drag.tx+dx;t.y=drag.ty+dy;apply();});
window.addEventListener('pointerup',function(){drag=null;svg.classList.remove('drag');});
document.getElementById('zin').onclick=function(){var r=svg.getBoundingClientRect();zoom(1.25,r.width/2,r.height/2);};
document.getElementById('zout').onclick=function(){var r=svg.getBoundingClientRect();zoom(0.8,r.width/2,r.height/2);};
document.getElementById('zfit').onclick=fit;
var byId={};data.nodes.forEach(function(n){byId[n.id]=n;});
function name(id){var n=byId[id];return n?(n.kind==='any'?n.name:n.namespace+'/'+n.name):id;}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
function item(e,other){var li=el('li',e.kind==='denied'?'deny':'');li.appendChild(el('div','',name(other)+'  ('+e.kind+')'));
if(e.label)li.appendChild(el('div','sub',e.label));if(e.via.length)li.appendChild(el('div','sub','via '+e.via.join(', ')));return li;}
function select(id){var n=byId[id];if(!n)return;svg.classList.add('dim');
Array.prototype.forEach.call(vp.querySelectorAll('.hl,.sel'),function(x){x.classList.remove('hl');x.classList.remove('sel');});
var g=vp.querySelector('[data-id="'+CSS.escape(id)+'"]');g.classList.add('hl');g.classList.add('sel');
panel.textContent='';panel.appendChild(el('h2','',name(id)));panel.appendChild(el('div','sub',n.kind+(n.details.length?' · '+n.details.join(', '):'')));
var outs=data.edges.filter(function(e){return e.from===id;}),ins=data.edges.filter(function(e){return e.to===id;});
[[n.kind==='service'?'Routes to / runs as':'Can reach',outs,'to'],['Reached by',ins,'from']].forEach(function(s){
panel.appendChild(el('h3','',s[0]+' ('+s[1].length+')'));var ul=el('ul');s[1].forEach(function(e){ul.appendChild(item(e,e[s[2]]));
var p=vp.querySelector('[data-edge="'+CSS.escape(e.id)+'"]');if(p)p.classList.add('hl');var lb=vp.querySelector('[data-label="'+CSS.escape(e.id)+'"]');if(lb)lb.classList.add('hl');
var o=vp.querySelector('[data-id="'+CSS.escape(e[s[2]])+'"]');if(o)o.classList.add('hl');});panel.appendChild(ul);});}
vp.addEventListener('click',function(e){if(moved)return;var g=e.target.closest('.node');if(g){e.stopPropagation();select(g.getAttribute('data-id'));}});
svg.addEventListener('click',function(e){if(moved||e.target.closest('.node'))return;svg.classList.remove('dim');});
window.addEventListener('resize',fit);fit();
})();
`;

export function toHtml(g: MeshGraph, pageTitle = 'meshc graph'): string {
  const labels = new Map(g.nodes.map((n) => [n.id, title(n).length > subtitle(n).length ? title(n) : subtitle(n)]));
  const placed = layout(g, (id) => labels.get(id) ?? id);
  let maxX = 0;
  let maxY = 0;
  for (const p of placed.values()) {
    maxX = Math.max(maxX, p.x + p.w);
    maxY = Math.max(maxY, p.y + p.h);
  }
  const edgeSvg: string[] = [];
  const labelSvg: string[] = [];
  for (const e of g.edges) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) continue;
    const { d, mx, my } = edgePath(a, b);
    maxY = Math.max(maxY, my + 20);
    maxX = Math.max(maxX, mx + 60);
    const marker = e.kind === 'serves' ? '' : ` marker-end="url(#m-${e.kind})"`;
    edgeSvg.push(`<path class="edge ${e.kind}" data-edge="${esc(e.id)}" d="${d}"${marker}><title>${esc(edgeTitle(e))}</title></path>`);
    const label = shortLabel(e);
    if (e.kind !== 'serves' && label) labelSvg.push(`<text class="elabel ${e.kind}" data-label="${esc(e.id)}" x="${f(mx)}" y="${f(my - 4)}" text-anchor="middle">${esc(label.length > 40 ? `${label.slice(0, 39)}…` : label)}</text>`);
  }
  const nodeSvg = g.nodes.map((n) => {
    const p = placed.get(n.id)!;
    const cls = `node ${n.kind}${n.splitRoot ? ' split' : ''}`;
    const rx = n.kind === 'identity' ? 22 : 6;
    return `<g class="${cls}" data-id="${esc(n.id)}" transform="translate(${f(p.x)},${f(p.y)})"><rect width="${f(p.w)}" height="${p.h}" rx="${rx}"/>`
      + `<text x="${f(p.w / 2)}" y="18" text-anchor="middle">${esc(title(n))}</text><text class="sub" x="${f(p.w / 2)}" y="33" text-anchor="middle">${esc(subtitle(n))}</text></g>`;
  });
  const markers = (['allow', 'split', 'denied'] as const).map((k) => {
    const color = k === 'allow' ? '#2b6cb0' : k === 'split' ? '#805ad5' : '#c53030';
    return `<marker id="m-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${color}"/></marker>`;
  }).join('');
  // '<' is escaped so the JSON can never close its script element.
  const json = JSON.stringify({ mode: g.mode, nodes: g.nodes, edges: g.edges }).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const bounds = JSON.stringify({ w: Math.ceil(maxX + 20), h: Math.ceil(maxY + 20) });
  const counts = `${g.nodes.length} nodes, ${g.edges.length} edges${g.mode === 'permissive' ? ', permissive mode' : ''}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(pageTitle)}</title><style>${CSS}</style></head>
<body><div id="stage"><header><h1>${esc(pageTitle)}</h1><span class="sub">${esc(counts)}</span><button id="zin" title="zoom in">+</button><button id="zout" title="zoom out">−</button><button id="zfit" title="fit to window">fit</button>
<span class="legend"><span><i style="border-color:#2b6cb0"></i>allowed</span><span><i style="border-color:#805ad5"></i>split</span><span><i style="border-color:#c53030;border-top-style:dashed"></i>denied (split)</span><span><i style="border-color:#a0aec0;border-top-style:dotted"></i>runs as</span></span></header>
<svg id="graph" xmlns="http://www.w3.org/2000/svg" data-bounds='${bounds}'><defs>${markers}</defs><g id="viewport">
${edgeSvg.join('\n')}
${labelSvg.join('\n')}
${nodeSvg.join('\n')}
</g></svg></div>
<aside id="panel"><h2>Who can talk to whom</h2><p class="sub">Click a node to see what it can reach and why. Drag to pan, scroll to zoom.</p></aside>
<script type="application/json" id="graph-data">${json}</script>
<script>${JS}</script>
</body></html>
`;
}

function edgeTitle(e: GraphEdge): string {
  return `${e.from} → ${e.to} (${e.kind})${e.label ? `: ${e.label}` : ''}${e.via.length ? `; via ${e.via.join(', ')}` : ''}`;
}
