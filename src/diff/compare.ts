/**
 * Compares two trees' reachability and findings (pure: loaded trees in,
 * a TreeDiff out). Deterministic: every list is sorted.
 */
import type { Diagnostic } from '../core/types.ts';
import { ResourceLocator, type RawPair, type TreeReach } from './reach-pairs.ts';
import type { ReachChange, SplitChange, SplitShare, TreeDiff } from './types.ts';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function pairChanges(from: TreeReach, to: TreeReach, whole: 'new' | 'removed', part: 'widened' | 'narrowed'): ReachChange[] {
  const locate = new ResourceLocator(to);
  const out: ReachChange[] = [];
  for (const [key, pair] of to.pairs) {
    const before = from.pairs.get(key);
    let routes: string[];
    if (!before) routes = pair.routes;
    else if (before.routes === pair.routes || (before.routes.length === pair.routes.length && before.routes.every((r, i) => r === pair.routes[i]))) continue;
    else {
      const had = new Set(before.routes);
      routes = pair.routes.filter((r) => !had.has(r));
      if (routes.length === 0) continue;
    }
    out.push({ from: pair.from, to: pair.to, routes, resources: locate.forPair(pair as RawPair), change: before ? part : whole });
  }
  return out.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
}

/** Same distribution: the same backends with the same shares (weights compared as ratios: 1/1 equals 50/50). */
function sameShares(a: SplitShare[], b: SplitShare[]): boolean {
  const total = (xs: SplitShare[]) => xs.reduce((n, x) => n + x.weight, 0);
  const merged = (xs: SplitShare[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x.service, (m.get(x.service) ?? 0) + x.weight);
    return m;
  };
  const ta = total(a);
  const tb = total(b);
  const ma = merged(a);
  const mb = merged(b);
  for (const k of new Set([...ma.keys(), ...mb.keys()])) {
    // Cross-multiplied, so no rounding: wa/ta = wb/tb.
    if ((ma.get(k) ?? 0) * tb !== (mb.get(k) ?? 0) * ta) return false;
  }
  return true;
}

function splitChanges(base: TreeReach, head: TreeReach): SplitChange[] {
  const out: SplitChange[] = [];
  const baseLocate = new ResourceLocator(base);
  const headLocate = new ResourceLocator(head);
  for (const root of new Set([...base.splits.keys(), ...head.splits.keys()])) {
    const before = base.splits.get(root);
    const after = head.splits.get(root);
    if (before && after && sameShares(before.shares, after.shares)) continue;
    out.push({
      service: root,
      before: before?.shares ?? null,
      after: after?.shares ?? null,
      resources: after ? headLocate.forSplit(after.split) : baseLocate.forSplit(before!.split),
    });
  }
  return out.sort((a, b) => cmp(a.service, b.service));
}

/**
 * A finding's identity across trees: code, resource, file (relative to its
 * tree) and message; its line may move. Messages that quote a file name are
 * compared with the tree-relative name too.
 */
function findingKeyer(treeFile: (file: string) => string): (d: Diagnostic) => string {
  return (d) => {
    const file = d.range ? treeFile(d.range.file) : '';
    const message = d.range && file !== d.range.file ? d.message.split(d.range.file).join(file) : d.message;
    return `${d.code}|${d.resource ? `${d.resource.kind}/${d.resource.namespace}/${d.resource.name}` : ''}|${file}|${message}`;
  };
}

function findingChanges(base: Diagnostic[], head: Diagnostic[], baseKey: (d: Diagnostic) => string, headKey: (d: Diagnostic) => string): { new: Diagnostic[]; fixed: Diagnostic[] } {
  const count = (list: Diagnostic[], findingKey: (d: Diagnostic) => string) => {
    const m = new Map<string, number>();
    for (const d of list) m.set(findingKey(d), (m.get(findingKey(d)) ?? 0) + 1);
    return m;
  };
  // Multisets: two identical findings in head and one in base is one new finding.
  const only = (list: Diagnostic[], findingKey: (d: Diagnostic) => string, other: Map<string, number>) => {
    const left = new Map(other);
    return list.filter((d) => {
      const k = findingKey(d);
      const n = left.get(k) ?? 0;
      if (n > 0) {
        left.set(k, n - 1);
        return false;
      }
      return true;
    });
  };
  return { new: only(head, headKey, count(base, baseKey)), fixed: only(base, baseKey, count(head, headKey)) };
}

export interface DiffInput {
  base: TreeReach;
  head: TreeReach;
  /** Findings of each tree as `meshc check` reports them (suppressions applied). */
  baseFindings: Diagnostic[];
  headFindings: Diagnostic[];
  /** A reported file name relative to its tree (so BASE/a.yaml and HEAD/a.yaml are one file). */
  baseFile?: (file: string) => string;
  headFile?: (file: string) => string;
}

export function compareTrees(input: DiffInput): TreeDiff {
  return {
    gained: pairChanges(input.base, input.head, 'new', 'widened'),
    lost: pairChanges(input.head, input.base, 'removed', 'narrowed'),
    splits: splitChanges(input.base, input.head),
    findings: findingChanges(input.baseFindings, input.headFindings, findingKeyer(input.baseFile ?? ((f) => f)), findingKeyer(input.headFile ?? ((f) => f))),
  };
}
