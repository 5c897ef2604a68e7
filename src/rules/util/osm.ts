/** Helpers the OSM policy rules share. */
import type { RuleContext } from '../types.ts';
import { subjectDeclared, elsewhereHint, noneDeclaredHint } from './refs.ts';
import { lookups } from './lookups.ts';
import { closestHint } from '../../core/suggest.ts';

/** Whether a ServiceAccount exists for a policy source (declared, external, `default`, or run as by a workload). */
export function serviceAccountDeclared(ctx: RuleContext, namespace: string, name: string): boolean {
  return subjectDeclared(ctx, { kind: 'ServiceAccount', name, namespace, namespaceExplicit: true });
}

/** "; did you mean …" / "; exists in namespace …" / "; the input declares none" for a missing object. */
export function missingHint(ctx: RuleContext, kind: string, namespace: string, name: string): string {
  return elsewhereHint(ctx, kind, namespace, name) || closestHint(name, lookups(ctx.mesh, ctx.index).names(kind, namespace)) || noneDeclaredHint(ctx, kind);
}

/** `<svc>.<ns>.svc.<clusterDomain>` */
export function serviceFqdn(ctx: RuleContext, namespace: string, name: string): string {
  return `${name}.${namespace}.svc.${ctx.config.clusterDomain}`;
}

/**
 * The Service a host name stands for inside the cluster (svc, svc.ns, svc.ns.svc, svc.ns.svc.<domain>),
 * or undefined for a name outside the cluster. `namespace` resolves a bare service name.
 */
export function clusterHost(ctx: RuleContext, host: string, namespace: string): { namespace: string; name: string; fqdn: boolean } | undefined {
  const h = host.toLowerCase().replace(/\.$/, '').replace(/:\d+$/, '');
  const domain = `.svc.${ctx.config.clusterDomain}`;
  const parts = h.split('.');
  if (h.endsWith(domain) && parts.length === 3 + ctx.config.clusterDomain.split('.').length) return { namespace: parts[1]!, name: parts[0]!, fqdn: true };
  if (parts.length === 3 && parts[2] === 'svc') return { namespace: parts[1]!, name: parts[0]!, fqdn: false };
  if (parts.length === 2 && ctx.index.services.has(`${parts[1]}/${parts[0]}`)) return { namespace: parts[1]!, name: parts[0]!, fqdn: false };
  if (parts.length === 1 && ctx.index.services.has(`${namespace}/${parts[0]}`)) return { namespace, name: parts[0]!, fqdn: false };
  return undefined;
}
