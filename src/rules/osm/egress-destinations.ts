import type { Rule, RuleContext } from '../types.ts';
import type { Cidr } from '../../model/osm-types.ts';
import { cidrContains } from '../../model/cidr.ts';
import { clusterHost } from '../util/osm.ts';

/** The first mesh Service whose ClusterIP or endpoint/pod IPs fall in the block. */
function serviceIn(ctx: RuleContext, block: Cidr): string | undefined {
  for (const s of ctx.mesh.services) {
    if (s.clusterIP && s.clusterIP !== 'None' && cidrContains(block, s.clusterIP)) return `Service ${s.meta.namespace}/${s.meta.name}, ClusterIP ${s.clusterIP}`;
  }
  for (const e of ctx.mesh.endpoints) {
    const a = e.addresses.find((x) => cidrContains(block, x.ip));
    if (a) return `Service ${e.meta.namespace}/${e.serviceName}, endpoint ${a.ip}`;
  }
  for (const w of ctx.mesh.workloads) {
    if (w.podIP && cidrContains(block, w.podIP)) return `${w.workloadKind} ${w.meta.namespace}/${w.meta.name}, pod IP ${w.podIP}`;
  }
  return undefined;
}

export const egressDestinations: Rule = {
  id: 'egress-destinations',
  description: 'An Egress opens destinations outside the mesh: HTTP ports need hosts, and no host or IP range may be a mesh service',
  codes: ['MESH1123', 'MESH1124'],
  inputs: ['egresses'],
  run(ctx) {
    for (const eg of ctx.mesh.egresses) {
      eg.ports.forEach((p, i) => {
        if (p.protocol === 'http' && eg.hosts.length === 0) ctx.report('MESH1123', { port: p.number }, { meta: eg.meta, path: ['spec', 'ports', i, 'protocol'] });
      });
      eg.hosts.forEach((host, i) => {
        const svc = clusterHost(ctx, host, eg.meta.namespace);
        if (!svc) return;
        const known = ctx.index.services.has(`${svc.namespace}/${svc.name}`);
        const service = known ? `Service ${svc.namespace}/${svc.name}` : `a name under .svc.${ctx.config.clusterDomain}, in the cluster`;
        ctx.report('MESH1124', { what: `host ${host}`, service }, { meta: eg.meta, path: ['spec', 'hosts', i] });
      });
      eg.ipAddresses.forEach((block, i) => {
        const service = serviceIn(ctx, block);
        if (service) ctx.report('MESH1124', { what: `IP range ${block.text}`, service }, { meta: eg.meta, path: ['spec', 'ipAddresses', i] });
      });
    }
  },
};
