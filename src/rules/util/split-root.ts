import type { RuleContext } from '../types.ts';
import type { TrafficSplit } from '../../model/types.ts';

export interface RootName {
  /** The Service name the root resolves to in the split's namespace. */
  name: string;
  /** Set when `spec.service` was written qualified (name.namespace[.svc[.domain]]). */
  qualified: boolean;
  /** The namespace a qualified name points at, when it is not the split's. */
  foreignNamespace?: string;
  /**
   * Set for a dotted name that is not name.namespace[.svc[.cluster-domain]] of a namespace the input knows
   * (`website.com`, `api.example.org`): an external name, which a root cannot be.
   */
  external?: boolean;
}

/** Namespaces the input knows: Namespace objects and the namespaces of all namespaced objects. */
function knownNamespaces(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(ctx.mesh)) {
    if (!Array.isArray(list)) continue;
    for (const o of list as { meta?: { kind?: string; name?: string; namespace?: string } }[]) {
      if (o?.meta?.kind === 'Namespace' && o.meta.name) out.add(o.meta.name);
      else if (o?.meta?.namespace) out.add(o.meta.namespace);
    }
  }
  return out;
}

/**
 * Resolves `spec.service`: a plain Service name, or a qualified form
 * (`name.namespace`, `name.namespace.svc`, `name.namespace.svc.<cluster domain>`)
 * that points back into the split's namespace.
 */
export function rootName(ctx: RuleContext, split: TrafficSplit): RootName {
  const written = split.service;
  const dot = written.indexOf('.');
  if (dot < 0) return { name: written, qualified: false };
  const name = written.slice(0, dot);
  const rest = written.slice(dot + 1);
  const ns = split.meta.namespace;
  const domain = ctx.config.clusterDomain;
  if (rest === ns || rest === `${ns}.svc` || rest === `${ns}.svc.${domain}`) return { name, qualified: true };
  const parts = rest.split('.');
  const namesNamespace = parts.length === 1 || (parts[1] === 'svc' && (parts.length === 2 || parts.slice(2).join('.') === domain));
  // `name.ns.svc…` is a cluster name whatever the input holds; a bare `name.x` only when x is a namespace of the input.
  if (namesNamespace && (parts.length > 1 || knownNamespaces(ctx).has(parts[0]!))) return { name: written, qualified: true, foreignNamespace: parts[0] };
  return { name: written, qualified: true, external: true, ...(namesNamespace ? { foreignNamespace: parts[0] } : {}) };
}
