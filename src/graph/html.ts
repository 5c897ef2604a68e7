/**
 * One self-contained HTML page (no network, inline CSS and JS, deterministic).
 * Small meshes: the whole graph as server-side SVG (./svg.ts). Large meshes
 * (more than GROUP_ABOVE_NODES nodes, or a drawing too big to read): namespaces collapsed into boxes with
 * aggregate edges, each expandable in place (inner layouts from ./groups.ts).
 * Both: search by name, focus on a node and its neighbours, pan, zoom, fit,
 * and a panel listing what a node can reach and why (./client-*.ts).
 */
import { CLIENT_CORE } from './client-core.ts';
import { CLIENT_VIEWS } from './client-views.ts';
import { GROUP_ABOVE_NODES, namespaceGroups } from './groups.ts';
import type { MeshGraph } from './model.ts';
import { esc, graphSvg } from './svg.ts';

const CSS = `
*{box-sizing:border-box}body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1a202c;display:flex;height:100vh;overflow:hidden}
#stage{flex:1;position:relative;background:#f7fafc;min-width:0}svg{width:100%;height:100%;cursor:grab;user-select:none;display:block}svg.drag{cursor:grabbing}
header{position:absolute;top:0;left:0;right:0;padding:6px 8px;background:#f7fafce6;border-bottom:1px solid #e2e8f0;z-index:1;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
h1{font-size:15px;margin:0 4px 0 0;max-width:24%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}button{font:inherit;border:1px solid #cbd5e0;background:#fff;border-radius:4px;padding:2px 9px;cursor:pointer}
.counts{color:#4a5568;background:#f7fafccc}
#find{position:relative}#search{font:inherit;width:230px;padding:3px 8px;border:1px solid #a0aec0;border-radius:4px}
#results{position:absolute;top:100%;left:0;z-index:2;margin:2px 0 0;padding:0;list-style:none;background:#fff;border:1px solid #cbd5e0;border-radius:4px;min-width:100%;max-width:420px;box-shadow:0 4px 12px #0002}
#results li{padding:3px 8px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}#results li[data-go]{cursor:pointer}#results li[data-go]:hover{background:#ebf8ff}
.legend{position:absolute;left:8px;bottom:8px;display:flex;gap:12px;font-size:12px;background:#fffc;padding:2px 8px;border-radius:4px}
.legend i{display:inline-block;width:22px;height:0;border-top:2px solid;vertical-align:middle;margin-right:4px}
aside{width:340px;flex:none;border-left:1px solid #e2e8f0;padding:12px;overflow:auto;background:#fff}aside h2{font-size:14px;margin:0 0 4px;word-break:break-all}aside h3{font-size:12px;text-transform:uppercase;color:#718096;margin:14px 0 4px}
aside ul{list-style:none;margin:0;padding:0}aside li{padding:4px 0;border-bottom:1px solid #edf2f7}.sub{color:#718096;font-size:12px}aside .deny{color:#c53030}aside button.focus{margin-top:8px}a.go{color:#2b6cb0;text-decoration:none}
.node rect{fill:#fff;stroke:#a0aec0;stroke-width:1.2}.node.identity rect{fill:#ebf8ff;stroke:#2b6cb0}.node.service rect{fill:#f0fff4;stroke:#2f855a}.node.any rect{fill:#fffaf0;stroke:#c05621}.node.external rect{fill:#fffaf0;stroke:#c05621;stroke-dasharray:4 3}
.node.split rect{stroke-width:2.4}.node{cursor:pointer}.node text{font-size:12px;fill:#1a202c}.node text.sub{font-size:10px;fill:#4a5568}
.group{cursor:pointer}.group rect{fill:#fff;stroke:#718096;stroke-width:1.5}.group:hover rect{stroke:#2b6cb0}.group.open rect{fill:#edf2f733;stroke:#a0aec0;stroke-dasharray:5 4}
.group text.gname{font-size:15px;font-weight:600;fill:#1a202c}.group text.sub{font-size:12px;fill:#4a5568}.ftitle{font-size:12px;fill:#718096}
.edge{fill:none;stroke-width:1.4}.edge.allow{stroke:#2b6cb0}.edge.serves{stroke:#a0aec0;stroke-dasharray:2 3}.edge.split{stroke:#805ad5;stroke-width:2.4}.edge.denied{stroke:#c53030;stroke-dasharray:6 4}.edge.egress{stroke:#c05621;stroke-width:1.6}
.edge.agg{stroke:#4a6fa5;stroke-opacity:.2}.edge.agg.hl{stroke-opacity:.9;marker-end:url(#m-agg)}
.elabel{font-size:10px;fill:#4a5568;paint-order:stroke;stroke:#f7fafc;stroke-width:3px}.elabel.denied{fill:#c53030}.elabel.egress{fill:#c05621}
.dim .node,.dim .edge,.dim .elabel,.dim .group{opacity:.15}.dim .hl{opacity:1}.node.sel rect{stroke:#d69e2e;stroke-width:3}
.node.match rect,.group.match rect{stroke:#d69e2e;stroke-width:3.5}
`;

const MARKERS = (['allow', 'split', 'denied', 'egress', 'agg'] as const).map((k) => {
  const color = { allow: '#2b6cb0', split: '#805ad5', denied: '#c53030', egress: '#c05621', agg: '#4a6fa5' }[k];
  return `<marker id="m-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${color}"/></marker>`;
}).join('');

const LEGEND = '<span class="legend"><span><i style="border-color:#2b6cb0"></i>allowed</span><span><i style="border-color:#805ad5"></i>split</span>'
  + '<span><i style="border-color:#c53030;border-top-style:dashed"></i>denied (split)</span><span><i style="border-color:#c05621"></i>egress (outside the mesh)</span><span><i style="border-color:#a0aec0;border-top-style:dotted"></i>runs as</span></span>';

/**
 * A drawing that fits a 1600×1000 window only below this scale is not readable in a laptop browser (text under ~7px):
 * such a mesh (deep chains of callers, not only many nodes) opens grouped by namespace too.
 */
const MIN_READABLE_SCALE = 0.7;

export function toHtml(g: MeshGraph, pageTitle = 'meshc graph'): string {
  const drawn = g.nodes.length > GROUP_ABOVE_NODES ? undefined : graphSvg(g);
  const grouped = !drawn || (drawn.fitScale < MIN_READABLE_SCALE && new Set(g.nodes.map((n) => n.namespace)).size > 1);
  const data: Record<string, unknown> = { mode: g.mode, nodes: g.nodes, edges: g.edges };
  if (grouped) data.groups = namespaceGroups(g);
  // '<' is escaped so the JSON can never close its script element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const namespaces = new Set(g.nodes.map((n) => n.namespace).filter(Boolean)).size;
  const counts = `${g.nodes.length} nodes, ${g.edges.length} edges${grouped ? `, ${namespaces} namespaces` : ''}${g.mode === 'permissive' ? ', permissive mode' : ''}`;
  const hint = grouped
    ? 'This mesh is large: each box is a namespace; lines between boxes stand for all the edges between them (thicker = more). Click a namespace to open it, a node to see what it can reach and why; search a name to focus on it and its neighbours. Drag to pan, scroll to zoom.'
    : 'Click a node to see what it can reach and why; search a name to go to it. Drag to pan, scroll to zoom.';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(pageTitle)}</title><style>${CSS}</style></head>
<body><div id="stage"><header><h1>${esc(pageTitle)}</h1><span class="counts">${esc(counts)}</span>
<span id="find"><input id="search" type="search" placeholder="search service or identity ( / )" autocomplete="off" aria-label="search service or identity"><ul id="results" hidden></ul></span>
<button id="back" title="back to the whole mesh (Esc)" hidden>← whole mesh</button><button id="zin" title="zoom in">+</button><button id="zout" title="zoom out">−</button><button id="zfit" title="fit to window">fit</button>
</header>${LEGEND}
<svg id="graph" xmlns="http://www.w3.org/2000/svg"><defs>${MARKERS}</defs><g id="viewport">
${drawn && !grouped ? drawn.svg : ''}
</g></svg></div>
<aside id="panel"><h2>Who can talk to whom</h2><p class="sub">${hint}</p></aside>
<script type="application/json" id="graph-data">${json}</script>
<script>(function(){${CLIENT_CORE}${CLIENT_VIEWS}})();</script>
</body></html>
`;
}
