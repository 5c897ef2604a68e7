/** Graphviz DOT and Mermaid renderings of the mesh graph (deterministic). */
import type { GraphEdge, GraphNode, MeshGraph } from './model.ts';

const dotString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

function nodeLabel(n: GraphNode): string {
  if (n.kind === 'any') return n.name;
  if (n.kind === 'external') return `${n.name}\n${n.details.join(', ')}`;
  const head = n.kind === 'identity' ? `${n.namespace}/${n.name}` : `${n.namespace}/${n.name}`;
  const detail = n.kind === 'service' ? n.details.join(', ') : n.details.length ? `${n.details.length} workload(s)` : 'no workload';
  return detail ? `${head}\n${detail}` : head;
}

const DOT_EDGE: Record<GraphEdge['kind'], string> = {
  allow: 'color="#2b6cb0"',
  serves: 'style=dotted color="#718096" arrowhead=none',
  split: 'style=bold color="#805ad5"',
  denied: 'style=dashed color="#c53030" fontcolor="#c53030"',
  egress: 'color="#c05621" fontcolor="#c05621" arrowhead=empty penwidth=1.5',
};

/** Nodes by namespace; destinations outside the mesh apart (no namespace name has a space). */
const OUTSIDE = 'outside the mesh';
function byNamespace(nodes: GraphNode[]): [string, GraphNode[]][] {
  const byNs = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    const key = n.kind === 'external' ? OUTSIDE : n.namespace;
    const list = byNs.get(key);
    if (list) list.push(n);
    else byNs.set(key, [n]);
  }
  return [...byNs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function toDot(g: MeshGraph): string {
  const out = ['digraph meshc {', '  rankdir=LR;', '  node [fontname="Helvetica" fontsize=11];', '  edge [fontname="Helvetica" fontsize=9];'];
  for (const [ns, list] of byNamespace(g.nodes)) {
    const indent = ns ? '    ' : '  ';
    if (ns) out.push(`  subgraph ${dotString(`cluster_${ns}`)} {`, `    label=${dotString(ns)};`, ns === OUTSIDE ? '    style=dashed; color="#c05621";' : '    style=rounded; color="#cbd5e0";');
    for (const n of list) {
      const shape = n.kind === 'service' ? (n.splitRoot ? 'shape=box style="rounded,bold"' : 'shape=box style=rounded')
        : n.kind === 'any' ? 'shape=doubleoctagon' : n.kind === 'external' ? 'shape=note color="#c05621"' : 'shape=ellipse';
      out.push(`${indent}${dotString(n.id)} [label=${dotString(nodeLabel(n))} ${shape}];`);
    }
    if (ns) out.push('  }');
  }
  for (const e of g.edges) out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.label)} ${DOT_EDGE[e.kind]}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Mermaid text: quotes and markup characters become entity codes. */
const mm = (s: string) => s.replace(/[&"<>#|[\]{}()]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\n/g, '<br/>');

export function toMermaid(g: MeshGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const out = ['flowchart LR'];
  let sg = 0;
  const shape: Record<GraphNode['kind'], [string, string]> = { service: ['["', '"]'], any: ['{{"', '"}}'], identity: ['(["', '"])'], external: ['[/"', '"/]'] };
  for (const [ns, list] of byNamespace(g.nodes)) {
    const indent = ns ? '    ' : '  ';
    if (ns) out.push(`  subgraph ns${sg++}["${mm(ns)}"]`);
    for (const n of list) out.push(`${indent}${ids.get(n.id)!}${shape[n.kind][0]}${mm(nodeLabel(n))}${shape[n.kind][1]}`);
    if (ns) out.push('  end');
  }
  const styles: string[] = [];
  g.edges.forEach((e, i) => {
    const a = ids.get(e.from)!;
    const b = ids.get(e.to)!;
    const label = mm(e.label);
    if (e.kind === 'allow') out.push(`  ${a} -->|"${label}"| ${b}`);
    else if (e.kind === 'split') out.push(`  ${a} ==>|"${label}"| ${b}`);
    else if (e.kind === 'egress') {
      out.push(`  ${a} --o|"${label}"| ${b}`);
      styles.push(`  linkStyle ${i} stroke:#c05621,color:#c05621`);
    }
    else if (e.kind === 'denied') {
      out.push(`  ${a} -.->|"${label}"| ${b}`);
      styles.push(`  linkStyle ${i} stroke:#c53030,color:#c53030`);
    } else {
      out.push(`  ${a} -.- ${b}`);
      styles.push(`  linkStyle ${i} stroke:#a0aec0`);
    }
  });
  out.push('  classDef identity fill:#ebf8ff,stroke:#2b6cb0', '  classDef service fill:#f0fff4,stroke:#2f855a');
  const externals = g.nodes.filter((n) => n.kind === 'external').map((n) => ids.get(n.id)!);
  if (externals.length) out.push('  classDef external fill:#fffaf0,stroke:#c05621,stroke-dasharray:4 3', `  class ${externals.join(',')} external`);
  const identities = g.nodes.filter((n) => n.kind === 'identity').map((n) => ids.get(n.id)!);
  const services = g.nodes.filter((n) => n.kind === 'service').map((n) => ids.get(n.id)!);
  if (identities.length) out.push(`  class ${identities.join(',')} identity`);
  if (services.length) out.push(`  class ${services.join(',')} service`);
  out.push(...styles);
  return `${out.join('\n')}\n`;
}
