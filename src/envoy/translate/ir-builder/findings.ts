/**
 * Findings reported after the walk over the proxies: the collected ones (each once, with the number of proxies it
 * affects) and the names that several objects would share once translated.
 */
import type { ServiceKey } from '../../../reach/types.ts';
import type { ProxyIR } from '../ir.ts';
import { NameRegistry, serviceFqdn } from '../names.ts';
import { at, cmp, type BuildContext } from './context.ts';
import { splitLabel } from '../../../model/types.ts';

export function reportCollected(ctx: BuildContext): void {
  const { findings: f, reporter } = ctx;
  for (const { value, nodes: n } of f.grpcNoEndpoints.sorted()) {
    reporter.report('MESH0855', { service: value.service, port: value.port, nodes: n }, at(ctx.metaOfKey('Service', value.service), ['spec', 'ports']));
  }
  for (const { value, nodes: n } of f.grpcTcp.sorted()) {
    reporter.report('MESH0863', { service: value.service, port: value.port, nodes: n }, at(ctx.metaOfKey('Service', value.service), ['spec', 'ports']));
  }
  for (const { value, nodes: n } of f.dropped.sorted()) {
    const meta = ctx.metaOfKey('TrafficSplit', value.split);
    const split = splitLabel(ctx.index.trafficSplits.get(value.split), value.split);
    reporter.report('MESH0856', { split, backend: value.backend, nodes: n, reason: value.reason }, at(meta, ['spec', 'backends']));
  }
  for (const { value, nodes: n } of f.ambiguous.sorted()) {
    reporter.report('MESH0858', { service: value.service, port: value.port, other: value.other, nodes: n }, at(ctx.metaOfKey('Service', value.service), ['spec', 'ports']));
  }
  for (const { value, nodes: n } of f.outsideMesh.sorted()) {
    reporter.report('MESH0867', { service: value.service, host: value.host, nodes: n }, at(ctx.modelService(value.service)?.meta, ['spec', 'externalName']));
  }
  for (const { value: v, nodes: n } of f.mirrorLeftOut.sorted()) {
    reporter.report('MESH1213', { route: v.route, mirror: v.mirror, nodes: n, reason: v.reason }, at(ctx.metaOfKey('TrafficSplit', v.split), ['spec', 'rules', v.rule, 'filters', v.filter]));
  }
  for (const { value: v, nodes: n } of f.grpcPolicyDropped.sorted()) {
    reporter.report('MESH1214', { route: v.route, what: v.what, nodes: n }, at(ctx.metaOfKey('TrafficSplit', v.split), ['spec', 'rules', v.rule]));
  }
  for (const k of [...f.httpOnTcp.keys()].sort(cmp)) {
    const { g, service, port, why } = f.httpOnTcp.get(k)!;
    reporter.report('MESH0859', { trafficTarget: g.trafficTarget, rule: g.rule, service, port, why }, at(ctx.metaOfKey('TrafficTarget', g.trafficTarget), ['spec', 'rules', g.rule]));
  }
}

/**
 * Names that several objects would share once translated: the Service DNS
 * name (SNI, gRPC listener names) and the virtual-host domains of each
 * outbound RouteConfiguration (Envoy rejects a domain used twice).
 */
export function checkNameCollisions(ctx: BuildContext, nodes: ProxyIR[], services: ServiceKey[]): void {
  const { options, index, reporter } = ctx;
  const reported = new Set<string>();
  const report = (what: string, name: string, first: string, second: string) => {
    const key = `${what}|${name}`;
    if (reported.has(key)) return;
    reported.add(key);
    const meta = index.services.get(second)?.meta;
    reporter.report('MESH0853', { what, name, first: `Service ${first}`, second: `Service ${second}` }, meta ? { meta, path: ['metadata', 'name'] } : undefined);
  };
  const fqdns = new NameRegistry();
  for (const svc of services) {
    const fqdn = serviceFqdn(svc, options.clusterDomain);
    const clash = fqdns.claim(fqdn.toLowerCase(), svc);
    if (clash) report('service DNS name', fqdn, clash, svc);
  }
  if (options.target === 'grpc') return;
  for (const n of nodes) {
    const byPort = new Map<number, NameRegistry>();
    for (const o of n.outbound) {
      if (o.protocol === 'tcp') continue;
      let domains = byPort.get(o.port);
      if (!domains) byPort.set(o.port, (domains = new NameRegistry()));
      for (const h of o.hostnames) {
        const c = domains.claim(h, o.service);
        if (c) report('virtual-host domain', h, c, o.service);
      }
    }
  }
}
