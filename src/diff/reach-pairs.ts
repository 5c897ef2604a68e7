/**
 * The thin adapter between reachability (src/reach, through its public
 * functions and types only) and `meshc diff`: a flat set of
 * (source identity → service port, routes) pairs per tree, and the
 * resources that decide each pair, located only for the pairs a diff shows.
 */
import type { Path } from '../core/types.ts';
import type { LoadedMesh } from '../pipeline/check.ts';
import { sharedReachability } from '../rules/reach/shared.ts';
import { identityKeyProblem } from '../reach/identity-name.ts';
import type { Reachability } from '../reach/types.ts';
import type { ObjectMeta } from '../model/types.ts';
import type { DecidingResource, SplitShare } from './types.ts';

/** A pair before its resources are located: grant ids and the split that decide it. */
export interface RawPair {
  from: string;
  to: string;
  routes: string[];
  grants: number[];
  split?: string;
}

export interface TreeReach {
  loaded: LoadedMesh;
  reach: Reachability;
  /** Pairs by 'FROM → TO'. */
  pairs: Map<string, RawPair>;
  /** Split roots 'NS/SVC' → shares and the splitting resource ('NS/NAME'). */
  splits: Map<string, { shares: SplitShare[]; split: string }>;
}

export const pairKey = (from: string, to: string) => `${from} → ${to}`;

/** Percent with at most two decimals (a share of 1/3 is 33.33). */
export const sharePercentOf = (weight: number, total: number) => (total > 0 ? Math.round((weight * 10000) / total) / 100 : 0);

/** The routes each grant admits, computed once per grant (many pairs share a grant). */
function routeTable(reach: Reachability): string[][] {
  return reach.grants.map((g) => (g.protocol !== 'http' ? [g.protocol] : [...new Set((g.http ?? []).map((m) => `http ${m.group}/${m.name}`))].sort()));
}

function sameList(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Reachability of one loaded tree as pairs and splits. */
export function treeReach(loaded: LoadedMesh): TreeReach {
  // The reachability `check` already computed for this tree's reach rules (computed here when they were skipped).
  const reach = sharedReachability(loaded.mesh, loaded.index, loaded.config);
  const pairs = new Map<string, RawPair>();
  if (reach.mode === 'permissive') {
    for (const svc of Object.values(reach.services)) {
      for (const p of svc.ports) {
        const to = `${svc.key}:${p.port}`;
        pairs.set(pairKey('*', to), { from: '*', to, routes: ['any'], grants: [] });
      }
    }
  } else {
    const table = routeTable(reach);
    for (const [source, list] of Object.entries(reach.outbound)) {
      // "*" and other names no workload can run as are no caller (check reports them).
      if (identityKeyProblem(source)) continue;
      for (const pa of list) {
        let grants = pa.grants;
        if (pa.split) {
          const all = new Set(grants);
          for (const b of pa.split.rules.flatMap((r) => r.backends)) if (b.allowed && b.weight > 0) for (const g of b.grants) all.add(g);
          grants = [...all].sort((a, b) => a - b);
        }
        // Most pairs come from one grant: its route list as is, no set.
        let routes: string[];
        if (grants.length === 1) routes = table[grants[0]!] ?? [];
        else {
          const set = new Set<string>();
          for (const g of grants) for (const r of table[g] ?? []) set.add(r);
          routes = [...set].sort();
        }
        if (routes.length === 0) continue;
        const to = `${pa.service}:${pa.port}`;
        pairs.set(pairKey(source, to), { from: source, to, routes, grants: sameList(grants, pa.grants) ? pa.grants : grants, split: pa.split?.split });
      }
    }
  }
  const splits = new Map<string, { shares: SplitShare[]; split: string }>();
  for (const s of Object.values(reach.splits)) {
    // An SMI split is one rule, named by its root; the rules of GAMMA routes each by root, lowered rule and match.
    for (const rule of s.rules) {
      const key = s.unmatched === 'root' ? s.root : `${s.root} ${rule.split}${rule.matchIndex !== undefined ? ` match ${rule.matchIndex}` : ''}`;
      splits.set(key, {
        split: rule.split,
        shares: rule.backends.map((b) => ({ service: b.service, weight: b.weight, percent: sharePercentOf(b.weight, rule.totalWeight) })),
      });
    }
  }
  return { loaded, reach, pairs, splits };
}

/** Locates resources of one tree, each (object, path) once. */
export class ResourceLocator {
  private readonly cache = new Map<string, DecidingResource>();
  private splitObjects?: Map<string, ObjectMeta>;
  private targetObjects?: Map<string, ObjectMeta>;

  constructor(private readonly tree: TreeReach) {}

  private at(meta: ObjectMeta, path: Path): DecidingResource {
    const key = `${meta.kind}/${meta.namespace}/${meta.name}/${path.join('.')}`;
    let found = this.cache.get(key);
    if (!found) {
      let file: string | null = null;
      let line: number | null = null;
      try {
        const r = this.tree.loaded.sources.locate(meta.origin, path);
        file = r.file;
        line = r.line;
      } catch {
        // An object with no source text (built by a DSL without positions): named, not located.
      }
      this.cache.set(key, (found = { kind: meta.kind, namespace: meta.namespace, name: meta.name, file, line }));
    }
    return found;
  }

  /** The TrafficTarget rules (and split) that decide a pair. */
  forPair(pair: RawPair): DecidingResource[] {
    const out: DecidingResource[] = [];
    const seen = new Set<string>();
    const add = (r: DecidingResource) => {
      const k = `${r.kind}/${r.namespace}/${r.name}/${r.file}:${r.line}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(r);
      }
    };
    for (const id of pair.grants) {
      const g = this.tree.reach.grants[id];
      if (!g) continue;
      const tt = this.targetMeta(g.trafficTarget);
      if (tt) add(this.at(tt, ['spec', 'rules', g.rule]));
    }
    if (pair.split) {
      const split = this.splitMeta(pair.split);
      if (split) add(this.at(split, []));
    }
    return out;
  }

  /** The resource that splits a root's traffic. */
  forSplit(splitKey: string): DecidingResource[] {
    const meta = this.splitMeta(splitKey);
    return meta ? [this.at(meta, [])] : [];
  }

  private targetMeta(key: string): ObjectMeta | undefined {
    if (!this.targetObjects) {
      this.targetObjects = new Map();
      for (const t of this.tree.loaded.mesh.trafficTargets) {
        const k = `${t.meta.namespace}/${t.meta.name}`;
        if (!this.targetObjects.has(k)) this.targetObjects.set(k, t.meta);
      }
    }
    return this.targetObjects.get(key);
  }

  private splitMeta(key: string): ObjectMeta | undefined {
    if (!this.splitObjects) {
      this.splitObjects = new Map();
      for (const s of this.tree.loaded.mesh.trafficSplits) {
        const k = `${s.meta.namespace}/${s.meta.name}`;
        if (!this.splitObjects.has(k)) this.splitObjects.set(k, s.meta);
      }
    }
    return this.splitObjects.get(key);
  }
}
