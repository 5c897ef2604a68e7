import { matchContains, matchKey } from '../../reach/containment.ts';
import type { AdmittedHttpMatch, Grant } from '../../reach/types.ts';
import type { Rule } from '../types.ts';
import { reachabilityOf } from './shared.ts';
import { listNames } from '../util/text.ts';

/** Above this many routes for one destination, only broad earlier routes are compared (keeps it near-linear). */
const PAIRWISE_LIMIT = 2000;

const isBroad = (m: AdmittedHttpMatch) => matchContains(m, { ...m, pathRegex: undefined, methods: undefined, headers: [] });

/** One inbound route after OSM's merge of identical routes: first position, the grants whose sources it unites. */
interface Route { match: AdmittedHttpMatch; grants: Grant[]; sources?: Set<string> }

/**
 * MESH0605: OSM's inbound routes for a destination identity come in
 * TrafficTarget order × match order, identical routes merged, first match
 * wins. Where one match contains another and their sources differ, the
 * first route's sources decide the overlap: a broader earlier route denies
 * the later route's other callers (osm#5297), and a narrower earlier route
 * denies the later broader route's other callers the requests it matches.
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
    // Grants naming one HTTPRouteGroup share its admitted matches (reach/grants.ts): each key is made once.
    const keys = new Map<AdmittedHttpMatch, string>();
    for (const g of reach.grants) {
      if (g.protocol !== 'http' || !g.http) continue;
      let routes = byDestination.get(g.destination);
      if (!routes) byDestination.set(g.destination, (routes = new Map()));
      for (const match of g.http) {
        let k = keys.get(match);
        if (k === undefined) keys.set(match, (k = matchKey(match)));
        const r = routes.get(k);
        if (!r) routes.set(k, { match, grants: [g] });
        else if (!r.grants.includes(g)) r.grants.push(g);
      }
    }
    // Routes of the same grants share one source set: the matches of a group with many sources
    // would otherwise each hold a copy (memory routes × sources).
    const sourceSets = new Map<string, Set<string>>();
    const sourcesOf = (r: Route): Set<string> => {
      if (r.sources) return r.sources;
      const k = r.grants.map((g) => g.id).join(',');
      let set = sourceSets.get(k);
      if (!set) {
        set = new Set();
        for (const g of r.grants) for (const s of g.sources) set.add(s.identity);
        sourceSets.set(k, set);
      }
      return (r.sources = set);
    };
    const targets = ctx.index.trafficTargets;
    for (const [identity, merged] of byDestination) {
      const routes = [...merged.values()];
      const big = routes.length > PAIRWISE_LIMIT;
      const broad: number[] = [];
      for (let j = 0; j < routes.length; j++) {
        const later = routes[j]!;
        // Every earlier route, or (big) the broad ones only.
        const count = big ? broad.length : j;
        for (let n = 0; n < count; n++) {
          const i = big ? broad[n]! : n;
          if (i >= j) break;
          const earlier = routes[i]!;
          // Envoy takes the first route that matches a request, so where the two overlap the earlier route's sources decide.
          const broaderFirst = matchContains(earlier.match, later.match);
          if (!broaderFirst && !matchContains(later.match, earlier.match)) continue;
          const earlierSources = sourcesOf(earlier);
          const denied: string[] = [];
          for (const s of sourcesOf(later)) if (!earlierSources.has(s)) denied.push(s);
          if (denied.length > 1) denied.sort();
          if (denied.length === 0) {
            if (broaderFirst) break; // every request of `later` goes to a route that admits its callers
            continue;
          }
          const deniedSet = new Set(denied);
          const grant = later.grants.find((g) => g.sources.some((s) => deniedSet.has(s.identity)))!;
          const by = earlier.grants[0]!;
          const name = (m: AdmittedHttpMatch) => `${m.name} of HTTPRouteGroup ${m.group}`;
          ctx.report('MESH0605', {
            match: name(later.match),
            callers: listNames(denied),
            relation: broaderFirst ? 'is shadowed by the broader match' : 'overlaps the narrower match',
            other: name(earlier.match),
            by: by.trafficTarget,
            identity,
            which: broaderFirst ? 'these requests' : `the requests ${earlier.match.name} matches`,
          }, { meta: targets.get(grant.trafficTarget)!.meta, path: ['spec', 'rules', grant.rule] }, [
            { message: `the ${broaderFirst ? 'broader' : 'narrower'} match ${earlier.match.name} comes first (TrafficTarget ${by.trafficTarget})`, at: { meta: targets.get(by.trafficTarget)!.meta, path: ['spec', 'rules', by.rule] } },
          ]);
          break;
        }
        if (big && isBroad(later.match)) broad.push(j);
      }
    }
  },
};
