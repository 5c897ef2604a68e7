/** `meshc graph`: the mesh's reachability as DOT, Mermaid, JSON or a self-contained HTML page. */
import type { MeshIndex } from '../model/index-lookup.ts';
import { osmSettings } from '../model/osm-settings.ts';
import { egressOpeningsBySource, egressPassthrough } from '../reach/egress-openings.ts';
import type { Reachability } from '../reach/types.ts';
import { toHtml } from './html.ts';
import { buildGraph, type MeshGraph } from './model.ts';
import { toDot, toMermaid } from './text-formats.ts';

export type { GraphEdge, GraphNode, MeshGraph } from './model.ts';
export const GRAPH_FORMATS = ['dot', 'mermaid', 'json', 'html'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function meshGraph(reach: Reachability, index: MeshIndex): MeshGraph {
  const workloads = new Map<string, string[]>();
  for (const [identity, list] of index.workloadsByIdentity) workloads.set(identity, list.map((w) => `${w.workloadKind} ${w.meta.name}`));
  // The egress switches and Egress openings compile and `why --to-external` use.
  const settings = osmSettings(index.mesh, { permissive: reach.mode === 'permissive' });
  const mc = settings.meshConfig;
  const egress = {
    passthrough: egressPassthrough(settings) && mc ? `${mc.meta.namespace}/${mc.meta.name}` : undefined,
    openings: egressOpeningsBySource(index, settings),
  };
  return buildGraph(reach, workloads, egress);
}

export function renderGraph(graph: MeshGraph, format: GraphFormat, title?: string): string {
  switch (format) {
    case 'dot': return toDot(graph);
    case 'mermaid': return toMermaid(graph);
    case 'json': return `${JSON.stringify(graph, null, 2)}\n`;
    case 'html': return toHtml(graph, title);
  }
}
