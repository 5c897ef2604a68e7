/**
 * The "who can talk to whom" graph, derived from a computed Reachability:
 * identities → services they may reach (ports and routes), services → the
 * identities their pods run as, TrafficSplit roots → backends (weights), and
 * denied-but-attempted edges (split backends a caller would be sent to but
 * whose identity does not admit it), and egress edges from identities to
 * destinations outside the mesh (./egress-edges.ts). Deterministic: nodes and
 * edges sorted.
 */
import { compareText as cmp } from '../core/compare.ts';
import { identityKeyProblem } from '../reach/identity-name.ts';
import { sharePercent } from '../reach/suggest.ts';
import type { Reachability } from '../reach/types.ts';
import { addEgressEdges, EXTERNAL_ANY, type GraphEgress } from './egress-edges.ts';

/** 'any': every identity (permissive mode); 'external': a destination outside the mesh (egress). */
export type NodeKind = 'identity' | 'service' | 'any' | 'external';
/** 'egress': an identity may reach a destination outside the mesh (Egress policy or egress passthrough). */
export type EdgeKind = 'allow' | 'serves' | 'split' | 'denied' | 'egress';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  namespace: string;
  name: string;
  /** Service ports ('14001/TCP'); workloads running as an identity ('Deployment bookstore-v1'); egress protocols of an external node ('http'). */
  details: string[];
  splitRoot?: boolean;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  label: string;
  ports: number[];
  /** HTTP matches ('group/match'), 'tcp' or 'udp' for L4 grants; egress: matches or 'any' (http), 'https (SNI)', 'https', 'tcp'. */
  routes: string[];
  /** TrafficTargets / TrafficSplit / Egresses / MeshConfig (passthrough) that make the edge, 'namespace/name'. */
  via: string[];
  weight?: number;
  /** Share of the caller's requests (denied) or of the root's traffic (split), in percent. */
  percent?: number;
}

export interface MeshGraph {
  mode: 'smi' | 'permissive';
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const identityNode = (k: string) => `identity:${k}`;
export const serviceNode = (k: string) => `service:${k}`;
export const ANY_NODE = 'any:*';
const pct = sharePercent;

/** Permissive mode: one edge from "every identity" to every Service port. */
function addPermissiveEdges(reach: Reachability, edge: (kind: EdgeKind, from: string, to: string) => GraphEdge): void {
  for (const svc of Object.values(reach.services)) {
    if (svc.ports.length === 0) continue;
    const e = edge('allow', ANY_NODE, serviceNode(svc.key));
    e.ports = svc.ports.map((p) => p.port);
    e.routes = ['any'];
    e.label = `${e.ports.join(', ')}: any`;
  }
}

/** Sorts an edge's lists and writes its label from them. */
function labelEdge(e: GraphEdge, mode: Reachability['mode']): void {
  e.ports.sort((a, b) => a - b);
  e.routes.sort(cmp);
  e.via.sort(cmp);
  if (e.kind === 'allow' && mode === 'smi') e.label = `${e.ports.join(', ')}: ${e.routes.join(', ')}`;
  if (e.kind === 'split') e.label = `${e.percent}% (weight ${e.weight})`;
  if (e.kind === 'denied') e.label = `denied: ${e.percent}% of requests`;
  if (e.kind === 'egress' && e.to !== EXTERNAL_ANY) e.label = `${e.ports.join(', ')}: ${e.routes.join(', ')}`;
}

export function buildGraph(reach: Reachability, workloadsByIdentity: Map<string, string[]>, egress?: GraphEgress): MeshGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const split2 = (k: string) => [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)] as const;
  const addIdentity = (k: string) => {
    const id = identityNode(k);
    if (!nodes.has(id)) {
      const [namespace, name] = split2(k);
      nodes.set(id, { id, kind: 'identity', namespace, name, details: [...(workloadsByIdentity.get(k) ?? [])].sort(cmp) });
    }
    return id;
  };
  for (const svc of Object.values(reach.services)) {
    const [namespace, name] = split2(svc.key);
    const node: GraphNode = { id: serviceNode(svc.key), kind: 'service', namespace, name, details: svc.ports.map((p) => `${p.port}/${p.protocol}`) };
    if (svc.splitRoot) node.splitRoot = true;
    nodes.set(node.id, node);
    for (const ident of svc.identities) {
      const to = addIdentity(ident);
      const e: GraphEdge = { id: `serves:${svc.key}>${ident}`, from: node.id, to, kind: 'serves', label: 'runs as', ports: [], routes: [], via: [] };
      edges.set(e.id, e);
    }
  }
  for (const k of workloadsByIdentity.keys()) addIdentity(k);

  const edge = (kind: EdgeKind, from: string, to: string): GraphEdge => {
    const id = `${kind}:${from}>${to}`;
    let e = edges.get(id);
    if (!e) edges.set(id, (e = { id, from, to, kind, label: '', ports: [], routes: [], via: [] }));
    return e;
  };
  // Edge lists can grow to thousands of routes: membership through a Set per list, not Array.includes.
  const members = new WeakMap<unknown[], Set<unknown>>();
  const addUnique = <T>(list: T[], v: T) => {
    let set = members.get(list);
    if (!set) members.set(list, (set = new Set(list)));
    if (!set.has(v)) {
      set.add(v);
      list.push(v);
    }
  };

  for (const split of Object.values(reach.splits)) {
    if (!reach.services[split.root]) continue;
    // Each rule's shares are out of that rule's weights; with several rules (GAMMA routes) an edge shows its largest share.
    for (const rule of split.rules) {
      const weights = new Map<string, number>();
      for (const b of rule.backends) weights.set(b.service, (weights.get(b.service) ?? 0) + b.weight);
      for (const [service, weight] of weights) {
        if (!nodes.has(serviceNode(service))) continue;
        const e = edge('split', serviceNode(split.root), serviceNode(service));
        const percent = rule.totalWeight > 0 ? pct(weight, rule.totalWeight) : 0;
        if (e.weight === undefined || percent > (e.percent ?? 0)) {
          e.weight = weight;
          e.percent = percent;
        }
        addUnique(e.via, rule.split);
      }
    }
  }

  if (reach.mode === 'permissive') {
    nodes.set(ANY_NODE, { id: ANY_NODE, kind: 'any', namespace: '', name: 'every identity (permissive)', details: [] });
    addPermissiveEdges(reach, edge);
  } else {
    for (const [source, list] of Object.entries(reach.outbound)) {
      // A source no caller can run as ("*": SMI has no wildcards) is no identity to draw (check reports it, MESH0212).
      if (identityKeyProblem(source)) continue;
      const from = addIdentity(source);
      for (const pa of list) {
        const to = serviceNode(pa.service);
        if (pa.grants.length > 0 || (pa.split && pa.split.rules.some((r) => r.allowedWeight > 0))) {
          const e = edge('allow', from, to);
          addUnique(e.ports, pa.port);
          for (const id of pa.grants) {
            const g = reach.grants[id]!;
            addUnique(e.via, g.trafficTarget);
            if (g.protocol === 'http') for (const m of g.http ?? []) addUnique(e.routes, `${m.group.slice(m.group.indexOf('/') + 1)}/${m.name}`);
            else addUnique(e.routes, g.protocol);
          }
          if (pa.split && pa.grants.length === 0) addUnique(e.routes, `split ${pa.split.split.slice(pa.split.split.indexOf('/') + 1)}`);
        }
        const v = pa.split;
        if (!v || (v.rules.every((r) => r.allowedWeight === 0) && pa.grants.length === 0)) continue;
        v.rules.forEach((rv, r) => {
          if (rv.totalWeight <= 0) return;
          for (const b of rv.backends) {
            if (b.allowed || b.denied !== 'no-grant' || b.weight <= 0) continue;
            const e = edge('denied', from, serviceNode(b.service));
            addUnique(e.ports, pa.port);
            addUnique(e.via, reach.splits[pa.service]?.rules[r]?.split ?? v.split);
            e.weight = b.weight;
            e.percent = pct(b.weight, rv.totalWeight);
          }
        });
      }
    }
  }

  if (egress) addEgressEdges(egress, reach.mode === 'permissive', nodes, addIdentity, edge, addUnique, ANY_NODE);
  for (const n of nodes.values()) if (n.kind === 'external') n.details.sort(cmp);
  for (const e of edges.values()) labelEdge(e, reach.mode);
  return {
    mode: reach.mode,
    nodes: [...nodes.values()].sort((a, b) => cmp(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.kind, b.kind)),
  };
}
