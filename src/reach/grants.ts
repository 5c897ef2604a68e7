import type { MeshIndex } from '../model/index-lookup.ts';
import { carriesHttp } from '../model/port-protocol.ts';
import type { Mesh, TrafficTarget, TrafficTargetRule } from '../model/types.ts';
import { keyOf } from '../core/types.ts';
import type { AdmittedHttpMatch, Grant, GrantSource, ReachPort, RouteRef } from './types.ts';

/** Only ServiceAccount subjects name an identity meshc can resolve (IdentityBinding is a draft). */
const isServiceAccount = (kind: string) => kind === 'ServiceAccount';

function grantFor(tt: TrafficTarget, rule: TrafficTargetRule, ruleIndex: number, sources: GrantSource[], index: MeshIndex, id: number): Grant | null {
  if (rule.kind !== 'HTTPRouteGroup' && rule.kind !== 'TCPRoute' && rule.kind !== 'UDPRoute') return null;
  const route: RouteRef = { kind: rule.kind, namespace: tt.meta.namespace, name: rule.name };
  const key = keyOf(route);
  const base = { id, trafficTarget: keyOf(tt.meta), rule: ruleIndex, destination: keyOf(tt.destination), sources, route };
  switch (rule.kind) {
    case 'HTTPRouteGroup': {
      const group = index.httpRouteGroups.get(key);
      // A group lowered from a Gateway API route's matches is no HTTPRouteGroup a TrafficTarget can name: GAMMA
      // routes do not authorize (MESH0207 reports the name), so its matches (query parameters too) never reach RBAC.
      if (!group || group.synthesizedFrom) return { ...base, protocol: 'http', ports: 'all', http: [], routeMissing: true };
      // `matches` omitted or `[]`: every match of the group (the spec; MESH0213 warns that OSM grants none).
      const wanted = rule.matches && rule.matches.length > 0 ? new Set(rule.matches) : null;
      const http: AdmittedHttpMatch[] = [];
      group.matches.forEach((m, i) => {
        if (wanted && !wanted.has(m.name)) return;
        const a: AdmittedHttpMatch = { group: key, index: i, name: m.name, headers: m.headers.map((h) => ({ name: h.name, value: h.value })) };
        if (m.pathRegex !== undefined) a.pathRegex = m.pathRegex;
        if (m.methods !== undefined) a.methods = [...m.methods];
        http.push(a);
      });
      return { ...base, protocol: 'http', ports: 'all', http };
    }
    default: {
      const object = rule.kind === 'TCPRoute' ? index.tcpRoutes.get(key) : index.udpRoutes.get(key);
      const protocol = rule.kind === 'TCPRoute' ? 'tcp' : 'udp';
      if (!object) return { ...base, protocol, ports: [], routeMissing: true };
      return { ...base, protocol, ports: object.ports.length === 0 ? 'all' : [...object.ports] };
    }
  }
}

/** One grant per rule of every TrafficTarget with a ServiceAccount destination, in input order. */
export function collectGrants(mesh: Mesh, index: MeshIndex): Grant[] {
  const grants: Grant[] = [];
  for (const tt of mesh.trafficTargets) {
    if (!isServiceAccount(tt.destination.kind)) continue;
    const sources: GrantSource[] = [];
    tt.sources.forEach((s, i) => {
      if (isServiceAccount(s.kind)) sources.push({ identity: keyOf(s), index: i });
    });
    tt.rules.forEach((rule, i) => {
      const g = grantFor(tt, rule, i, sources, index, grants.length);
      if (g) grants.push(g);
    });
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
