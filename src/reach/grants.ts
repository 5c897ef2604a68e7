import type { MeshIndex } from '../model/index-lookup.ts';
import { carriesHttp } from '../model/port-protocol.ts';
import type { HTTPRouteGroup, Mesh, TrafficTarget, TrafficTargetRule } from '../model/types.ts';
import { keyOf } from '../core/types.ts';
import type { AdmittedHttpMatch, Grant, GrantSource, IdentityKey, ObjectKey, ReachPort, RouteRef } from './types.ts';

/** Only ServiceAccount subjects name an identity meshc can resolve (IdentityBinding is a draft). */
const isServiceAccount = (kind: string) => kind === 'ServiceAccount';

/**
 * The admitted form of each match of an HTTPRouteGroup, made once per group: grants naming the same group share
 * these objects (plain data, never changed after this), so a mesh of many TrafficTargets per group holds one copy.
 */
class AdmittedMatches {
  private readonly byGroup = new Map<HTTPRouteGroup, AdmittedHttpMatch[]>();

  of(group: HTTPRouteGroup, key: ObjectKey): AdmittedHttpMatch[] {
    let list = this.byGroup.get(group);
    if (!list) {
      list = group.matches.map((m, i) => {
        const a: AdmittedHttpMatch = { group: key, index: i, name: m.name, headers: m.headers.map((h) => ({ name: h.name, value: h.value })) };
        if (m.pathRegex !== undefined) a.pathRegex = m.pathRegex;
        if (m.methods !== undefined) a.methods = [...m.methods];
        return a;
      });
      this.byGroup.set(group, list);
    }
    return list;
  }
}

/** What every grant of one TrafficTarget shares. */
interface TargetParts { trafficTarget: ObjectKey; destination: IdentityKey; sources: GrantSource[] }

function grantFor(tt: TrafficTarget, parts: TargetParts, rule: TrafficTargetRule, ruleIndex: number, index: MeshIndex, matches: AdmittedMatches, id: number): Grant | null {
  if (rule.kind !== 'HTTPRouteGroup' && rule.kind !== 'TCPRoute' && rule.kind !== 'UDPRoute') return null;
  const route: RouteRef = { kind: rule.kind, namespace: tt.meta.namespace, name: rule.name };
  const key = keyOf(route);
  const { trafficTarget, destination, sources } = parts;
  // Literal objects with the fields in one order (id … route, protocol, ports, http, routeMissing): JSON output and shapes stay the same.
  if (rule.kind === 'HTTPRouteGroup') {
    const group = index.httpRouteGroups.get(key);
    // A group lowered from a Gateway API route's matches is no HTTPRouteGroup a TrafficTarget can name: GAMMA
    // routes do not authorize (MESH0207 reports the name), so its matches (query parameters too) never reach RBAC.
    if (!group || group.synthesizedFrom) {
      return { id, trafficTarget, rule: ruleIndex, destination, sources, route, protocol: 'http', ports: 'all', http: [], routeMissing: true };
    }
    // `matches` omitted or `[]`: every match of the group (the spec; MESH0213 warns that OSM grants none).
    const all = matches.of(group, key);
    const wanted = rule.matches;
    let http: AdmittedHttpMatch[];
    if (!wanted || wanted.length === 0) http = [...all];
    else {
      const set = wanted.length > 8 ? new Set(wanted) : null;
      http = all.filter((m) => (set ? set.has(m.name) : wanted.includes(m.name)));
    }
    return { id, trafficTarget, rule: ruleIndex, destination, sources, route, protocol: 'http', ports: 'all', http };
  }
  const object = rule.kind === 'TCPRoute' ? index.tcpRoutes.get(key) : index.udpRoutes.get(key);
  const protocol = rule.kind === 'TCPRoute' ? 'tcp' : 'udp';
  if (!object) return { id, trafficTarget, rule: ruleIndex, destination, sources, route, protocol, ports: [], routeMissing: true };
  return { id, trafficTarget, rule: ruleIndex, destination, sources, route, protocol, ports: object.ports.length === 0 ? 'all' : [...object.ports] };
}

/** One grant per rule of every TrafficTarget with a ServiceAccount destination, in input order. */
export function collectGrants(mesh: Mesh, index: MeshIndex): Grant[] {
  const grants: Grant[] = [];
  const matches = new AdmittedMatches();
  for (const tt of mesh.trafficTargets) {
    if (!isServiceAccount(tt.destination.kind)) continue;
    const sources: GrantSource[] = [];
    for (let i = 0; i < tt.sources.length; i++) {
      const s = tt.sources[i]!;
      if (isServiceAccount(s.kind)) sources.push({ identity: keyOf(s), index: i });
    }
    const parts: TargetParts = { trafficTarget: keyOf(tt.meta), destination: keyOf(tt.destination), sources };
    for (let i = 0; i < tt.rules.length; i++) {
      const g = grantFor(tt, parts, tt.rules[i]!, i, index, matches, grants.length);
      if (g) grants.push(g);
    }
  }
  return grants;
}

/**
 * Does a grant admit traffic on this Service port? (Sources aside.)
 * HTTP rules apply only where requests can be inspected: TCP ports that
 * compile as HTTP or gRPC (src/model/port-protocol.ts); on a plain-TCP port
 * (`tcp-…` name, non-HTTP appProtocol) they admit nothing (MESH0607).
 */
export function grantCoversPort(g: Grant, p: ReachPort): boolean {
  if (g.protocol === 'http') return carriesHttp(p) && (g.http?.length ?? 0) > 0;
  const wantProto = g.protocol === 'tcp' ? 'TCP' : 'UDP';
  if (p.protocol !== wantProto) return false;
  if (g.ports === 'all') return true;
  return g.ports.includes(p.port) || (p.targetPort !== null && g.ports.includes(p.targetPort));
}
