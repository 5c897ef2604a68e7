import type { Rule, RuleContext } from '../types.ts';
import type { TCPRoute, UDPRoute } from '../../model/types.ts';

function checkPorts(ctx: RuleContext, route: TCPRoute | UDPRoute): void {
  const seen = new Set<number>();
  route.ports.forEach((port, j) => {
    const at = { meta: route.meta, path: ['spec', 'matches', 'ports', j] };
    if (!Number.isInteger(port) || port < 1 || port > 65535) ctx.report('MESH0320', { port }, at);
    else if (seen.has(port)) ctx.report('MESH0321', { port }, at);
    seen.add(port);
  });
}

export const routePorts: Rule = {
  id: 'route-ports',
  description: 'TCPRoute and UDPRoute ports are between 1 and 65535 and listed once',
  codes: ['MESH0320', 'MESH0321'],
  inputs: ['tcpRoutes', 'udpRoutes'],
  run(ctx) {
    for (const route of ctx.mesh.tcpRoutes) checkPorts(ctx, route);
    for (const route of ctx.mesh.udpRoutes) checkPorts(ctx, route);
  },
};
