import type { Rule, RuleContext } from '../types.ts';
import type { UpstreamTrafficSetting } from '../../model/osm-types.ts';
import { resolves } from '../util/refs.ts';
import { clusterHost, missingHint, serviceFqdn } from '../util/osm.ts';

/** Why the host of an UpstreamTrafficSetting matches no mesh service, or undefined when it does. */
function hostProblem(ctx: RuleContext, uts: UpstreamTrafficSetting, namedByEgress: boolean): string | undefined {
  const { namespace } = uts.meta;
  const svc = clusterHost(ctx, uts.host, namespace);
  if (!svc) {
    if (namedByEgress) return undefined; // an Egress's matches apply it to that Egress's egress clusters
    const routing = ctx.mesh.egresses.find((eg) => eg.meta.namespace === namespace && eg.hosts.some((h) => h.toLowerCase() === uts.host.toLowerCase()));
    if (routing) {
      return `is a host Egress ${namespace}/${routing.meta.name} opens, but OSM applies an UpstreamTrafficSetting to egress only through an Egress's matches, whatever its host: add {apiGroup: policy.openservicemesh.io/v1alpha1, kind: UpstreamTrafficSetting, name: ${uts.meta.name}} to the matches of ${routing.meta.name}`;
    }
    const dots = uts.host.split('.').length;
    return dots < 2
      ? `is no fully qualified name: OSM's validator wants an FQDN and applies the setting to the Service whose name is <service>.${namespace}.svc.${ctx.config.clusterDomain}`
      : `is outside the mesh (not <service>.${namespace}.svc.${ctx.config.clusterDomain}) and no Egress of namespace ${namespace} names this UpstreamTrafficSetting in its matches, so it applies to nothing`;
  }
  if (svc.namespace !== namespace) {
    return `names namespace ${svc.namespace}, but an UpstreamTrafficSetting applies only to Services of its own namespace (${namespace}): create it in namespace ${svc.namespace}`;
  }
  if (!resolves(ctx, 'Service', svc.namespace, svc.name)) {
    return `stands for Service ${svc.namespace}/${svc.name}, which is not in the input${missingHint(ctx, 'Service', svc.namespace, svc.name)}`;
  }
  if (!svc.fqdn) return `is a short name: OSM compares the host with the full name, so write ${serviceFqdn(ctx, svc.namespace, svc.name)}`;
  return undefined;
}

export const upstreamTrafficSettingHost: Rule = {
  id: 'upstream-traffic-setting-host',
  description: 'An UpstreamTrafficSetting host is the FQDN of a Service of its namespace (or an Egress names it), and each host has one',
  codes: ['MESH1140', 'MESH1141'],
  inputs: ['upstreamTrafficSettings'],
  run(ctx) {
    const namedByEgress = new Set(ctx.mesh.egresses.flatMap((eg) => eg.matches.filter((m) => m.kind === 'UpstreamTrafficSetting').map((m) => `${eg.meta.namespace}/${m.name}`)));
    const byHost = new Map<string, UpstreamTrafficSetting>();
    for (const uts of ctx.mesh.upstreamTrafficSettings) {
      const at = { meta: uts.meta, path: ['spec', 'host'] };
      const why = hostProblem(ctx, uts, namedByEgress.has(`${uts.meta.namespace}/${uts.meta.name}`));
      if (why) ctx.report('MESH1140', { host: uts.host, why }, at);
      const key = `${uts.meta.namespace}/${uts.host.toLowerCase()}`;
      const other = byHost.get(key);
      if (other) ctx.report('MESH1141', { host: uts.host, other: `${other.meta.namespace}/${other.meta.name}` }, at, [{ message: `UpstreamTrafficSetting ${other.meta.name}`, at: { meta: other.meta, path: ['spec', 'host'] } }]);
      else byHost.set(key, uts);
    }
  },
};
