/**
 * May an identity reach a destination outside the mesh (host:port)? OSM's
 * egress semantics (osm-translation.md section 13):
 *
 * - MeshConfig traffic.enableEgress (global passthrough): every destination
 *   outside the mesh, any port, for every proxy;
 * - otherwise Egress policies (when enableEgressPolicy is on): the source
 *   ServiceAccount is listed, the port is listed, and
 *   - http: the host is one of `hosts` (exact, any case), and the request
 *     fits one of the referenced HTTPRouteGroup matches (or any request when
 *     the Egress names none);
 *   - https: the TLS server name (the host) is one of `hosts`, or the host
 *     is an IP inside `ipAddresses` (an Egress with neither matches every
 *     destination on the port);
 *   - tcp / tcp-server-first: the host is an IP inside `ipAddresses` (an
 *     Egress without ipAddresses matches every destination on the port).
 * Without a MeshConfig there is no passthrough and every Egress given applies.
 */
import { isIP } from 'node:net';
import type { MeshcConfig } from '../config/types.ts';
import { cidrContains } from '../model/cidr.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { Egress } from '../model/osm-types.ts';
import { osmSettings } from '../model/osm-settings.ts';
import { egressesOfSource, egressPassthrough, egressPoliciesApply } from './egress-openings.ts';
import type { Mesh } from '../model/types.ts';
import type { ViaStep } from './query-answer.ts';
import { describeRequest, matchMismatch, type HttpRequest } from './request.ts';

export interface ExternalTarget { host: string; port: number }

export interface EgressAnswer {
  allowed: boolean;
  reason: string;
  via: ViaStep[];
}

const step = (eg: Egress, path: ViaStep['path'], note: string): ViaStep => ({ kind: 'Egress', namespace: eg.meta.namespace, name: eg.meta.name, origin: eg.meta.origin, path, note });

/** Why this Egress does not open host:port for the request, or null when it does. */
function egressMismatch(index: MeshIndex, eg: Egress, to: ExternalTarget, request: HttpRequest | undefined): { why: string } | { via: ViaStep[] } {
  const portIndex = eg.ports.findIndex((p) => p.number === to.port);
  if (portIndex < 0) return { why: `${eg.meta.namespace}/${eg.meta.name} opens port(s) ${eg.ports.map((p) => p.number).join(', ')}, not ${to.port}` };
  const { protocol } = eg.ports[portIndex]!;
  const host = to.host.toLowerCase();
  const ip = isIP(host) === 4;
  const hostIndex = eg.hosts.findIndex((h) => h.toLowerCase() === host);
  const ipIndex = ip ? eg.ipAddresses.findIndex((c) => cidrContains(c, host)) : -1;
  const portStep = step(eg, ['spec', 'ports', portIndex], `opens port ${to.port} (${protocol})`);
  if (protocol === 'http') {
    if (hostIndex < 0) return { why: `${eg.meta.namespace}/${eg.meta.name} routes HTTP by host, and ${to.host} is not one of ${eg.hosts.join(', ') || 'its (no) hosts'}` };
    const via = [step(eg, ['spec', 'hosts', hostIndex], `routes HTTP host ${eg.hosts[hostIndex]}`), portStep];
    const groups = eg.matches.map((m, i) => ({ m, i })).filter(({ m }) => m.kind === 'HTTPRouteGroup');
    if (groups.length === 0 || !request) return { via };
    for (const { m, i } of groups) {
      const group = index.httpRouteGroups.get(`${eg.meta.namespace}/${m.name}`);
      for (const [mi, match] of (group?.matches ?? []).entries()) {
        const admitted = { group: `${eg.meta.namespace}/${m.name}`, index: mi, name: match.name, pathRegex: match.pathRegex, methods: match.methods, headers: match.headers };
        if (matchMismatch(admitted, request) === null) return { via: [...via, step(eg, ['spec', 'matches', i], `route ${m.name}/${match.name} admits ${describeRequest(request)}`)] };
      }
    }
    return { why: `${eg.meta.namespace}/${eg.meta.name} admits only the routes of ${groups.map(({ m }) => m.name).join(', ')}, and none admits ${describeRequest(request)}` };
  }
  if (protocol === 'https') {
    if (eg.hosts.length === 0 && eg.ipAddresses.length === 0) return { via: [portStep] };
    if (hostIndex >= 0) return { via: [step(eg, ['spec', 'hosts', hostIndex], `matches TLS server name ${eg.hosts[hostIndex]}`), portStep] };
    if (ipIndex >= 0) return { via: [step(eg, ['spec', 'ipAddresses', ipIndex], `covers ${to.host}`), portStep] };
    return { why: `${eg.meta.namespace}/${eg.meta.name} matches HTTPS by server name (${eg.hosts.join(', ') || 'none'}) or IP range (${eg.ipAddresses.map((c) => c.text).join(', ') || 'none'}), and ${to.host} is neither` };
  }
  // tcp, tcp-server-first: by destination IP range only.
  if (eg.ipAddresses.length === 0) return { via: [portStep] };
  if (ipIndex >= 0) return { via: [step(eg, ['spec', 'ipAddresses', ipIndex], `covers ${to.host}`), portStep] };
  return {
    why: ip
      ? `${eg.meta.namespace}/${eg.meta.name} opens TCP port ${to.port} for ${eg.ipAddresses.map((c) => c.text).join(', ')}, which does not cover ${to.host}`
      : `${eg.meta.namespace}/${eg.meta.name} matches TCP by IP range (${eg.ipAddresses.map((c) => c.text).join(', ')}): a host name cannot be checked statically, ask for an IP address`,
  };
}

/** The answer for identity `from` ('namespace/serviceaccount') reaching host:port outside the mesh. */
export function egressReach(mesh: Mesh, index: MeshIndex, config: Pick<MeshcConfig, 'permissive'>, from: string, to: ExternalTarget, request?: HttpRequest): EgressAnswer {
  const settings = osmSettings(mesh, config);
  const target = `${to.host}:${to.port}`;
  if (egressPassthrough(settings)) {
    const mc = settings.meshConfig!;
    return {
      allowed: true, reason: `global egress passthrough (MeshConfig ${mc.meta.namespace}/${mc.meta.name} traffic.enableEgress): every proxy may reach any destination outside the mesh, so ${from} may reach ${target}`,
      via: [{ kind: 'MeshConfig', namespace: mc.meta.namespace, name: mc.meta.name, origin: mc.meta.origin, path: ['spec', 'traffic', 'enableEgress'], note: 'enables egress passthrough' }],
    };
  }
  if (!egressPoliciesApply(settings)) {
    const mc = settings.meshConfig!;
    return { allowed: false, reason: `egress is closed: MeshConfig ${mc.meta.namespace}/${mc.meta.name} has neither traffic.enableEgress nor featureFlags.enableEgressPolicy, so no Egress applies`, via: [] };
  }
  const [ns, sa] = from.split('/') as [string, string];
  const mine = egressesOfSource(mesh, from);
  if (mine.length === 0) {
    return { allowed: false, reason: `no Egress lists ${from} as a source${mesh.egresses.length === 0 ? ' (the input has no Egress)' : ''}, and egress passthrough is off: ${target} is closed`, via: [] };
  }
  const misses: string[] = [];
  for (const eg of mine) {
    const r = egressMismatch(index, eg, to, request);
    if ('via' in r) {
      const srcIndex = eg.sources.findIndex((s) => s.namespace === ns && s.name === sa);
      return {
        allowed: true, reason: `Egress ${eg.meta.namespace}/${eg.meta.name} lets ${from} reach ${target}${request ? ` (${describeRequest(request)})` : ''}`,
        via: [step(eg, ['spec', 'sources', srcIndex], `lists ${from} as a source`), ...r.via],
      };
    }
    misses.push(r.why);
  }
  return { allowed: false, reason: `no Egress of ${from} opens ${target}: ${misses.join('; ')}`, via: [] };
}
