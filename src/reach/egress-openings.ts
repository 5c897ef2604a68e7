/**
 * What the Egress policies (policy.openservicemesh.io) open, per source
 * identity: the one reading of OSM's egress switches and Egress objects that
 * `compile` (ir-builder/egress.ts), `why --to-external` / `meshc test`
 * (./egress.ts) and `graph` (src/graph/egress-edges.ts) share
 * (osm-translation.md section 13).
 *
 * - MeshConfig traffic.enableEgress: global passthrough, every destination
 *   outside the mesh for every proxy (on top of any Egress);
 * - Egress objects apply when featureFlags.enableEgressPolicy is on, or when
 *   the input has no MeshConfig at all;
 * - an Egress applies to the ServiceAccounts its `sources` list; each of its
 *   ports opens, for http, its `hosts` (and the routes of the HTTPRouteGroups
 *   its matches name, or every request); for https, its hosts as TLS server
 *   names and/or its IP ranges (neither: every destination on the port); for
 *   tcp / tcp-server-first, its IP ranges (none: every destination on the port).
 */
import type { Egress, EgressProtocol, UpstreamTrafficSetting } from '../model/osm-types.ts';
import type { OsmSettings } from '../model/osm-settings.ts';
import type { HTTPMatch, Mesh } from '../model/types.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { IdentityKey, ObjectKey } from './types.ts';

export interface EgressOpening {
  egress: Egress;
  /** Index in the Egress's `spec.ports`. */
  portIndex: number;
  port: number;
  protocol: EgressProtocol;
  /** http: the hosts routed (lower-cased); https: the TLS server names (lower-cased); tcp: none. */
  hosts: string[];
  /** https and tcp: the IP ranges, normalised (`10.0.0.0/8`); http: none. */
  ranges: string[];
  /** Every destination on the port (https without hosts and ranges, tcp without ranges). */
  anyDestination: boolean;
  /** http: the HTTPRouteGroup matches it admits ([] when the named groups resolve to none), or every request. */
  routes: 'all' | { group: ObjectKey; match: HTTPMatch }[];
  /**
   * The UpstreamTrafficSetting the Egress names in its matches (the first; OSM's
   * getUpstreamTrafficSettingForEgress): its connection settings apply to the
   * egress clusters of every port of the Egress, whatever its `host` says.
   */
  upstreamTrafficSetting?: UpstreamTrafficSetting;
}

/** Whether Egress objects apply (without OSM settings, as without a MeshConfig: they do). */
export function egressPoliciesApply(settings: Pick<OsmSettings, 'features'> | undefined): boolean {
  return !settings || settings.features.enableEgressPolicy;
}

/** Whether every destination outside the mesh is open to every proxy (traffic.enableEgress). */
export function egressPassthrough(settings: Pick<OsmSettings, 'egressPassthrough'> | undefined): boolean {
  return settings?.egressPassthrough === true;
}

/** The Egresses that list `namespace/serviceaccount` as a source, sorted by namespace/name. */
export function egressesOfSource(mesh: Pick<Mesh, 'egresses'>, identity: IdentityKey): Egress[] {
  return egressSources(mesh).get(identity) ?? [];
}

/** Source identity → the Egresses that list it, each list sorted by namespace/name. */
export function egressSources(mesh: Pick<Mesh, 'egresses'>): Map<IdentityKey, Egress[]> {
  const bySource = new Map<IdentityKey, Egress[]>();
  const key = (eg: Egress) => `${eg.meta.namespace}/${eg.meta.name}`;
  const sorted = [...mesh.egresses].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (const eg of sorted) {
    for (const s of eg.sources) {
      if (s.kind !== 'ServiceAccount') continue;
      const k = `${s.namespace}/${s.name}`;
      const list = bySource.get(k);
      if (!list) bySource.set(k, [eg]);
      else if (list[list.length - 1] !== eg) list.push(eg);
    }
  }
  return bySource;
}

function httpRoutes(index: MeshIndex, eg: Egress): EgressOpening['routes'] {
  const groups = eg.matches.filter((m) => m.kind === 'HTTPRouteGroup');
  if (groups.length === 0) return 'all';
  const out: { group: ObjectKey; match: HTTPMatch }[] = [];
  for (const m of groups) {
    const group = `${eg.meta.namespace}/${m.name}`;
    for (const match of index.httpRouteGroups.get(group)?.matches ?? []) out.push({ group, match });
  }
  return out;
}

function namedSetting(index: MeshIndex, eg: Egress): UpstreamTrafficSetting | undefined {
  const ref = eg.matches.find((m) => m.kind === 'UpstreamTrafficSetting' && m.apiGroup === 'policy.openservicemesh.io/v1alpha1');
  if (!ref) return undefined;
  return index.mesh.upstreamTrafficSettings.find((u) => u.meta.namespace === eg.meta.namespace && u.meta.name === ref.name);
}

/** What one Egress opens, port by port, in `spec.ports` order. */
export function egressOpenings(index: MeshIndex, eg: Egress): EgressOpening[] {
  const uts = namedSetting(index, eg);
  const ranges = eg.ipAddresses.map((c) => `${c.address}/${c.prefix}`);
  const hosts = eg.hosts.map((h) => h.toLowerCase());
  return eg.ports.map((p, portIndex) => {
    const base = { egress: eg, portIndex, port: p.number, protocol: p.protocol, ...(uts ? { upstreamTrafficSetting: uts } : {}) };
    if (p.protocol === 'http') return { ...base, hosts, ranges: [], anyDestination: false, routes: httpRoutes(index, eg) };
    if (p.protocol === 'https') return { ...base, hosts, ranges, anyDestination: hosts.length === 0 && ranges.length === 0, routes: 'all' as const };
    return { ...base, hosts: [], ranges, anyDestination: ranges.length === 0, routes: 'all' as const };
  });
}

/**
 * Source identity → what the Egress policies open for it (Egresses by
 * namespace/name, ports in order); empty when Egress policies do not apply.
 */
export function egressOpeningsBySource(index: MeshIndex, settings: Pick<OsmSettings, 'features'> | undefined): Map<IdentityKey, EgressOpening[]> {
  const out = new Map<IdentityKey, EgressOpening[]>();
  if (!egressPoliciesApply(settings)) return out;
  const cache = new Map<Egress, EgressOpening[]>();
  for (const [identity, egresses] of egressSources(index.mesh)) {
    out.set(identity, egresses.flatMap((eg) => {
      let list = cache.get(eg);
      if (!list) cache.set(eg, (list = egressOpenings(index, eg)));
      return list;
    }));
  }
  return out;
}
