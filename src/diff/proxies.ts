/**
 * `meshc diff --proxies`: which proxies' compiled configuration a change
 * touches. Both trees are translated as `meshc compile` translates them (the
 * same target, the cluster settings of the configuration's `compile:`
 * section) but nothing is encoded or written; each node's listeners, routes,
 * clusters, endpoints and secrets are compared by name and content. This
 * shows what the reachability pairs do not: a changed retry policy, timeout,
 * circuit breaker, egress or access log, and how many proxies a change
 * reaches. Bootstrap files are not compared (they depend on compile's flags
 * for the control plane, not on the mesh).
 */
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import type { NodeResources } from '../envoy/translate/envoy.ts';
import { nodeTranslator } from '../snapshot/emit.ts';
import { contentKey, resourceName } from '../snapshot/encode.ts';
import type { CheckResult } from '../pipeline/check.ts';
import { meshIR, type TranslateChoices } from '../pipeline/compile.ts';
import type { Target } from '../envoy/translate/ir.ts';
import { PROXY_RESOURCE_KINDS, type ProxyChange, type ProxyDiff, type ProxyResourceChange, type ProxyResourceKind } from './types.ts';

/** A node's resources: per kind, resource name → a digest of its JSON text. */
type NodeContents = Record<ProxyResourceKind, Map<string, string>>;

/**
 * Digests, not texts, are kept: a large mesh has thousands of nodes per tree. The translator shares one object
 * between the nodes that get the same cluster, so each object is serialised once.
 */
function digester(): (r: object) => string {
  const seen = new WeakMap<object, string>();
  return (r) => {
    let d = seen.get(r);
    if (d === undefined) seen.set(r, (d = contentKey(JSON.stringify(r))));
    return d;
  };
}

function contents(resources: NodeResources, digest: (r: object) => string): NodeContents {
  const out = {} as NodeContents;
  for (const kind of PROXY_RESOURCE_KINDS) out[kind] = new Map(resources[kind].map((r) => [resourceName(r), digest(r)]));
  return out;
}

/**
 * Every node's resources as compile would build them, or why compile would
 * refuse the tree (an error among its findings after `keep`, the CLI's
 * suppressions).
 */
export function compiledNodes(checked: CheckResult, findings: Diagnostic[], choices: TranslateChoices, keep: (ds: Diagnostic[]) => Diagnostic[]): Map<string, NodeContents> | string {
  const refusal = (ds: Diagnostic[]) => {
    const errors = keep(ds).filter((d) => d.severity === 'error');
    return errors.length === 0 ? null : `compile refuses it: ${errors.length} error(s), first ${errors[0]!.code}`;
  };
  const checkRefusal = refusal(findings);
  if (checkRefusal) return checkRefusal;
  const sink = new DiagnosticSink();
  const ir = meshIR(checked, choices, sink);
  const irRefusal = refusal(sink.items);
  if (irRefusal) return irRefusal;
  const translate = nodeTranslator(ir);
  const digest = digester();
  return new Map(ir.nodes.map((node) => [node.id, contents(translate(node), digest)]));
}

const sorted = (xs: Iterable<string>) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function resourceChanges(base: NodeContents | undefined, head: NodeContents | undefined): ProxyResourceChange[] {
  const changes: ProxyResourceChange[] = [];
  for (const kind of PROXY_RESOURCE_KINDS) {
    const before = base?.[kind] ?? new Map<string, string>();
    const after = head?.[kind] ?? new Map<string, string>();
    const added = sorted([...after.keys()].filter((n) => !before.has(n)));
    const removed = sorted([...before.keys()].filter((n) => !after.has(n)));
    const changed = sorted([...after.keys()].filter((n) => before.has(n) && before.get(n) !== after.get(n)));
    if (added.length + removed.length + changed.length > 0) changes.push({ kind, added, removed, changed });
  }
  return changes;
}

/** Compares the compiled nodes of two trees (compiledNodes' results; a string is a tree compile refuses). */
export function compareProxies(target: Target, base: Map<string, NodeContents> | string, head: Map<string, NodeContents> | string): ProxyDiff {
  if (typeof base === 'string' || typeof head === 'string') {
    const why = [typeof base === 'string' ? `base: ${base}` : '', typeof head === 'string' ? `head: ${head}` : ''].filter(Boolean).join('; ');
    return { target, nodes: null, changed: [], skipped: why };
  }
  const changed: ProxyChange[] = [];
  for (const node of sorted(new Set([...base.keys(), ...head.keys()]))) {
    const resources = resourceChanges(base.get(node), head.get(node));
    if (resources.length === 0 && base.has(node) && head.has(node)) continue;
    changed.push({ node, change: !base.has(node) ? 'new' : !head.has(node) ? 'removed' : 'changed', resources });
  }
  return { target, nodes: { base: base.size, head: head.size }, changed };
}
