import { matchContains, matchKey } from '../../reach/containment.ts';
import type { AdmittedHttpMatch, Grant } from '../../reach/types.ts';
import type { TrafficTarget } from '../../model/types.ts';
import type { Rule } from '../types.ts';
import { listNames, reachabilityOf } from './shared.ts';

/** Above this many routes for one destination, only broad earlier routes are compared (keeps it near-linear). */
const PAIRWISE_LIMIT = 2000;

const isBroad = (m: AdmittedHttpMatch) => matchContains(m, { ...m, pathRegex: undefined, methods: undefined, headers: [] });

/** One inbound route after OSM's merge of identical routes: first position, union of sources. */
interface Route { match: AdmittedHttpMatch; grants: Grant[]; sources: Set<string> }

/**
 * MESH0605: OSM's inbound routes for a destination identity come in
 * TrafficTarget order × match order, identical routes merged, first match
 * wins; a broader earlier route with other sources denies the later
 * route's callers (osm#5297).
 */
export const httpMatchShadowed: Rule = {
  id: 'http-match-shadowed',
  description: 'HTTP matches of a destination shadowed by an earlier, broader match with other sources (first-match routing)',
  codes: ['MESH0605'],
  inputs: ['trafficTargets'],
  run(ctx) {
    if (ctx.config.permissive) return;
    const reach = reachabilityOf(ctx);
    const byDestination = new Map<string, Map<string, Route>>();
    for (const g of reach.grants) {
      if (g.protocol !== 'http' || !g.http) continue;
      let routes = byDestination.get(g.destination);
      if (!routes) byDestination.set(g.destination, (routes = new Map()));
      for (const match of g.http) {
        const k = matchKey(match);
        const r = routes.get(k);
        if (!r) routes.set(k, { match, grants: [g], sources: new Set(g.sources.map((s) => s.identity)) });
        else {
          if (!r.grants.includes(g)) r.grants.push(g);
          for (const s of g.sources) r.sources.add(s.identity);
        }
      }
    }
    const targets = new Map<string, TrafficTarget>();
    for (const tt of ctx.mesh.trafficTargets) {
      const k = `${tt.meta.namespace}/${tt.meta.name}`;
      if (!targets.has(k)) targets.set(k, tt);
    }
    for (const [identity, merged] of byDestination) {
      const routes = [...merged.values()];
      const big = routes.length > PAIRWISE_LIMIT;
      const broad: number[] = [];
      for (let j = 0; j < routes.length; j++) {
        const later = routes[j]!;
        const candidates = big ? broad : routes.keys();
        for (const i of candidates) {
          if (i >= j) break;
          const earlier = routes[i]!;
          if (!matchContains(earlier.match, later.match)) continue;
          // Envoy takes the first route that matches: this one decides for every request of `later`.
          const denied = [...later.sources].filter((s) => !earlier.sources.has(s)).sort();
          if (denied.length > 0) {
            const grant = later.grants.find((g) => g.sources.some((s) => denied.includes(s.identity)))!;
            const by = earlier.grants[0]!;
            ctx.report('MESH0605', {
              match: `${later.match.name} of HTTPRouteGroup ${later.match.group}`,
              callers: listNames(denied),
              shadow: `${earlier.match.name} of HTTPRouteGroup ${earlier.match.group}`,
              by: by.trafficTarget,
              identity,
            }, { meta: targets.get(grant.trafficTarget)!.meta, path: ['spec', 'rules', grant.rule] }, [
              { message: `the broader match ${earlier.match.name} comes first (TrafficTarget ${by.trafficTarget})`, at: { meta: targets.get(by.trafficTarget)!.meta, path: ['spec', 'rules', by.rule] } },
            ]);
          }
          break;
        }
        if (big && isBroad(later.match)) broad.push(j);
      }
    }
  },
};
