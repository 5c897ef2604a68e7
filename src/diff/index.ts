/**
 * `meshc diff` as a programmatic API: two trees in, what changed in who can
 * reach what (and in findings) out. See docs/guide-diff.md.
 */
import { statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { findCatalogEntry } from '../core/catalog/index.ts';
import type { Diagnostic } from '../core/types.ts';
import { check, type CheckOptions, type CheckResult } from '../pipeline/check.ts';
import type { TranslateChoices } from '../pipeline/compile.ts';
import { compareTrees } from './compare.ts';
import { treeReach, type TreeReach } from './reach-pairs.ts';
import type { DecidingResource, FailOn, TreeDiff } from './types.ts';

export type * from './types.ts';

export interface DiffTreesOptions extends CheckOptions {
  /** Working directory of the base tree (default: `cwd`): `--base-ref` reads the base from a temporary copy. */
  baseCwd?: string;
  /** Applies suppressions to a tree's findings (the CLI's --suppress, config file and annotations). */
  keepFindings?: (diagnostics: Diagnostic[], tree: CheckResult) => Diagnostic[];
  /** Also compare the compiled configuration of every proxy (`--proxies`), translated with these choices. */
  proxies?: TranslateChoices;
}

export interface DiffTreesResult {
  diff: TreeDiff;
  /** Findings that make a tree's view incomplete (an unreadable path): the diff is not to be trusted. */
  incomplete: { tree: 'base' | 'head'; diagnostic: Diagnostic }[];
  /** Finds a resource of the base in head (same kind, namespace, name), located in head. */
  headResource(r: DecidingResource): DecidingResource | undefined;
}

async function readTree(paths: string[], options: CheckOptions): Promise<CheckResult> {
  // No PATH at all (the base lacks every PATH the change adds): an empty mesh, not the working directory.
  return check(paths, options);
}

function headResourceFinder(head: TreeReach): (r: DecidingResource) => DecidingResource | undefined {
  let index: Map<string, DecidingResource> | undefined;
  return (r) => {
    if (!index) {
      index = new Map();
      const { mesh, sources } = head.loaded;
      for (const o of [...mesh.trafficTargets, ...mesh.trafficSplits]) {
        const k = `${o.meta.kind}/${o.meta.namespace}/${o.meta.name}`;
        if (index.has(k)) continue;
        let at: { file: string; line: number } | null = null;
        try {
          at = sources.locate(o.meta.origin, []);
        } catch {
          at = null;
        }
        index.set(k, { kind: o.meta.kind, namespace: o.meta.namespace, name: o.meta.name, file: at?.file ?? null, line: at?.line ?? null });
      }
    }
    return index.get(`${r.kind}/${r.namespace}/${r.name}`);
  };
}

/** Reads, checks and compares two trees. */
export async function diffTrees(basePaths: string[], headPaths: string[], options: DiffTreesOptions = {}): Promise<DiffTreesResult> {
  const { baseCwd, keepFindings, proxies, ...rest } = options;
  // Files unchanged between the trees (same name, same text) are parsed once.
  const checkOptions: CheckOptions = { parseCache: new Map(), ...rest };
  const baseChecked = basePaths.length > 0 ? await readTree(basePaths, { ...checkOptions, cwd: baseCwd ?? checkOptions.cwd }) : await emptyTree(checkOptions);
  const headChecked = await readTree(headPaths, checkOptions);
  const incomplete = [
    ...baseChecked.diagnostics.filter((d) => findCatalogEntry(d.code)?.incomplete).map((diagnostic) => ({ tree: 'base' as const, diagnostic })),
    ...headChecked.diagnostics.filter((d) => findCatalogEntry(d.code)?.incomplete).map((diagnostic) => ({ tree: 'head' as const, diagnostic })),
  ];
  const keep = keepFindings ?? ((d: Diagnostic[]) => d);
  const base = treeReach(baseChecked);
  const head = treeReach(headChecked);
  const cwd = checkOptions.cwd ?? process.cwd();
  const diff = compareTrees({
    base, head, baseFindings: keep(baseChecked.diagnostics, baseChecked), headFindings: keep(headChecked.diagnostics, headChecked),
    baseFile: treeRelative(basePaths, baseCwd ?? cwd), headFile: treeRelative(headPaths, cwd),
  });
  if (proxies) {
    // Loaded only here: the translator is not part of a reachability diff.
    const { compareProxies, compiledNodes } = await import('./proxies.ts');
    const nodes = (tree: CheckResult) => compiledNodes(tree, tree.diagnostics, proxies, (ds) => keep(ds, tree));
    diff.proxies = compareProxies(proxies.target ?? 'envoy', nodes(baseChecked), nodes(headChecked));
  }
  return { diff, incomplete, headResource: headResourceFinder(head) };
}

/**
 * File names relative to the tree: with one PATH, relative to it (its
 * directory for a file), so `meshc diff old/ new/` pairs old/a.yaml with
 * new/a.yaml; with several, relative to the working directory.
 */
function treeRelative(paths: string[], cwd: string): (file: string) => string {
  if (paths.length !== 1 || paths[0] === '-') return (f) => f;
  const given = resolve(cwd, paths[0]!);
  let root = given;
  try {
    if (!statSync(given).isDirectory()) root = dirname(given);
  } catch {
    return (f) => f;
  }
  return (f) => (f === '<stdin>' ? f : relative(root, resolve(cwd, f)).split(sep).join('/'));
}

/** A tree with nothing in it (the base of a change that adds every PATH). */
async function emptyTree(options: CheckOptions): Promise<CheckResult> {
  return check([], { ...options, extraLoaders: [] });
}

/**
 * `--fail-on`: whether the diff fails the gate. 'any' is any reachability
 * change (gained, lost or a split); 'proxies' any proxy whose compiled
 * configuration changes, or proxies that could not be compared (a tree
 * compile refuses: nothing shows the proxies unchanged).
 */
export function failsGate(diff: TreeDiff, failOn: FailOn | undefined): boolean {
  if (!failOn) return false;
  if (failOn === 'proxies') return !diff.proxies || diff.proxies.nodes === null || diff.proxies.changed.length > 0;
  const gained = diff.gained.length > 0;
  const lost = diff.lost.length > 0;
  if (failOn === 'gained') return gained;
  if (failOn === 'lost') return lost;
  return gained || lost || diff.splits.length > 0;
}
