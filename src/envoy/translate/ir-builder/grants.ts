/** Which reachability grants really take effect on a compiled port. */
import type { ServiceKey } from '../../../reach/types.ts';
import { isHttpLike, portProtocol } from '../protocol.ts';
import type { BuildContext, Proto } from './context.ts';

/**
 * Grants that really admit traffic on a port of this protocol (HTTP rules need an HTTP port). An HTTP grant that
 * lands on a TCP port is recorded as a finding (MESH0859).
 */
export function effectiveGrants(ctx: BuildContext, ids: number[], proto: Proto, service: ServiceKey, port: number): number[] {
  return ids.filter((id) => {
    const g = ctx.reach.grants[id];
    if (g.protocol === 'tcp') return true;
    if (g.protocol === 'http') {
      if (isHttpLike(proto)) return true;
      // Reachability grants HTTP rules only on HTTP/gRPC Service ports (MESH0607 in check); what is left here is a
      // target port that another Service of the workload reaches as TCP, so its one inbound chain is TCP (MESH0857).
      const rp = ctx.reach.services[service]?.ports.find((p) => p.port === port);
      const why = rp && isHttpLike(portProtocol(rp)) ? 'another Service reaches the same target port as TCP, see MESH0857'
        : rp?.appProtocol !== undefined ? `appProtocol ${rp.appProtocol}` : `port name ${rp?.name ?? ''}`;
      ctx.findings.httpOnTcp.set(`${id}|${service}|${port}`, { g, service, port, why });
    }
    return false;
  });
}
