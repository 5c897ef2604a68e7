/**
 * Egress edges of the mesh graph: for each identity an Egress policy lets
 * out, an `egress` edge to each destination outside the mesh (an `external`
 * node): `host:port` for http (edge routes: the HTTPRouteGroup matches, or
 * `any`), `host:port` for https by TLS server name, `range:port` for https
 * and tcp by IP range, `any host:port` for a port opened to every
 * destination. With global egress passthrough (MeshConfig
 * traffic.enableEgress) every identity has one edge to the single node
 * "any destination outside the mesh" instead (from "every identity" in
 * permissive mode): passthrough opens everything an Egress would.
 * The openings are the ones compile and `why --to-external` use
 * (src/reach/egress-openings.ts).
 */
import type { EgressOpening } from '../reach/egress-openings.ts';
import type { GraphEdge, GraphNode } from './model.ts';

export interface GraphEgress {
  /** 'namespace/name' of the MeshConfig whose traffic.enableEgress opens every destination, if it does. */
  passthrough?: string;
  /** Source identity → what the Egress policies open for it. */
  openings: Map<string, EgressOpening[]>;
}

export const EXTERNAL_ANY = 'external:*';
const externalNode = (name: string) => `external:${name}`;

interface Target { name: string; route: string }

/** The destinations one opening reaches, each with the route label its edge carries. */
function targets(o: EgressOpening): Target[] {
  const at = (dest: string) => `${dest}:${o.port}`;
  if (o.protocol === 'http') {
    const routes = o.routes === 'all' ? ['any'] : o.routes.map((r) => `${r.group.slice(r.group.indexOf('/') + 1)}/${r.match.name}`);
    return o.hosts.flatMap((h) => (routes.length ? routes : ['no route']).map((route) => ({ name: at(h), route })));
  }
  if (o.anyDestination) return [{ name: at('any host'), route: o.protocol }];
  const sni = o.hosts.map((h) => ({ name: at(h), route: `${o.protocol} (SNI)` }));
  return [...sni, ...o.ranges.map((r) => ({ name: at(r), route: o.protocol }))];
}

/**
 * Adds the external nodes and egress edges. `addIdentity` makes (or finds) an identity's node;
 * `edge` makes (or finds) an edge; `identities` are the identity nodes drawn (for passthrough).
 */
export function addEgressEdges(
  egress: GraphEgress,
  permissive: boolean,
  nodes: Map<string, GraphNode>,
  addIdentity: (identity: string) => string,
  edge: (kind: GraphEdge['kind'], from: string, to: string) => GraphEdge,
  addUnique: <T>(list: T[], v: T) => void,
  anyIdentityNode: string,
): void {
  if (egress.passthrough) {
    nodes.set(EXTERNAL_ANY, { id: EXTERNAL_ANY, kind: 'external', namespace: '', name: 'any destination outside the mesh', details: ['egress passthrough'] });
    const sources = permissive ? [anyIdentityNode] : [...nodes.values()].filter((n) => n.kind === 'identity').map((n) => n.id);
    for (const from of sources) {
      const e = edge('egress', from, EXTERNAL_ANY);
      e.routes = ['any'];
      addUnique(e.via, egress.passthrough);
      e.label = 'any destination (egress passthrough)';
    }
    return;
  }
  for (const [identity, openings] of egress.openings) {
    const from = addIdentity(identity);
    for (const o of openings) {
      for (const t of targets(o)) {
        const to = externalNode(t.name);
        const node = nodes.get(to) ?? { id: to, kind: 'external' as const, namespace: '', name: t.name, details: [] };
        nodes.set(to, node);
        addUnique(node.details, o.protocol);
        const e = edge('egress', from, to);
        addUnique(e.ports, o.port);
        addUnique(e.routes, t.route);
        addUnique(e.via, `${o.egress.meta.namespace}/${o.egress.meta.name}`);
      }
    }
  }
}
