import type { RuleContext } from '../types.ts';
import type { TrafficSplit } from '../../model/types.ts';

export interface RootName {
  /** The Service name the root resolves to in the split's namespace. */
  name: string;
  /** Set when `spec.service` was written qualified (name.namespace[.svc[.domain]]). */
  qualified: boolean;
  /** The namespace a qualified name points at, when it is not the split's. */
  foreignNamespace?: string;
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
  return { name: written, qualified: true, foreignNamespace: namesNamespace ? parts[0] : undefined };
}
