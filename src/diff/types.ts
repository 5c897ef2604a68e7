/**
 * What `meshc diff` reports: the reachability two trees allow and how it
 * changed. Plain, JSON-serialisable data; `meshc diff --format json` prints a
 * `TreeDiff` as is.
 */
import type { Diagnostic } from '../core/types.ts';
import type { Target } from '../envoy/translate/ir.ts';

/** A resource that decides a pair or a split, with where it is written. */
export interface DecidingResource {
  kind: string;
  namespace: string;
  name: string;
  /** 'file' relative to the working directory (the same in both trees); null for a resource read from no file. */
  file: string | null;
  line: number | null;
}

/**
 * One reachable (source identity → service port) pair. `routes` are what the
 * source may send: 'http NS/GROUP/MATCH' per HTTPRouteGroup match, 'tcp',
 * 'udp', or 'any' (permissive mode, where `from` is '*').
 */
export interface ReachPair {
  from: string;
  /** 'NS/SVC:PORT'. */
  to: string;
  routes: string[];
  resources: DecidingResource[];
}

/** A gained or lost pair: whole ('new'/'removed') or some routes of a pair that stays ('widened'/'narrowed'). */
export interface ReachChange extends ReachPair {
  change: 'new' | 'widened' | 'removed' | 'narrowed';
}

export interface SplitShare {
  service: string;
  weight: number;
  /** Share of the root's traffic in percent (2 decimals at most). */
  percent: number;
}

/** A TrafficSplit (or GAMMA route) root whose distribution changed; before/after null when it appears/disappears. */
export interface SplitChange {
  /** Root service 'NS/SVC'. */
  service: string;
  before: SplitShare[] | null;
  after: SplitShare[] | null;
  resources: DecidingResource[];
}

export const PROXY_RESOURCE_KINDS = ['listeners', 'routes', 'clusters', 'endpoints', 'secrets'] as const;
export type ProxyResourceKind = (typeof PROXY_RESOURCE_KINDS)[number];

/** The resources of one kind that a node gains, loses or gets with other content (names, sorted). */
export interface ProxyResourceChange {
  kind: ProxyResourceKind;
  added: string[];
  removed: string[];
  changed: string[];
}

/** A proxy node whose compiled configuration differs: a node only head compiles ('new'), only base ('removed'), or both. */
export interface ProxyChange {
  node: string;
  change: 'new' | 'removed' | 'changed';
  resources: ProxyResourceChange[];
}

/** `--proxies`: the compiled configuration of every proxy node, compared (src/diff/proxies.ts). */
export interface ProxyDiff {
  target: Target;
  /** Nodes each tree compiles to; null when a tree does not compile (`skipped` says why). */
  nodes: { base: number; head: number } | null;
  changed: ProxyChange[];
  skipped?: string;
}

export interface TreeDiff {
  gained: ReachChange[];
  lost: ReachChange[];
  splits: SplitChange[];
  findings: { new: Diagnostic[]; fixed: Diagnostic[] };
  /** With --proxies only. */
  proxies?: ProxyDiff;
}

export type FailOn = 'gained' | 'lost' | 'any' | 'proxies';
export const DIFF_FORMATS = ['text', 'json', 'markdown', 'github'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];
