import type { Rule, RuleContext } from '../types.ts';
import type { TCPRoute, UDPRoute } from '../../model/types.ts';

function checkPorts(ctx: RuleContext, route: TCPRoute | UDPRoute): void {
  const seen = new Set<number>();
  route.ports.forEach((port, j) => {
    if (seen.has(port)) ctx.report('MESH0321', { port }, { meta: route.meta, path: ['spec', 'matches', 'ports', j] });
    seen.add(port);
  });
}

export const routePorts: Rule = {
  id: 'route-ports',
  // Ports outside 1-65535 are schema findings (MESH0112; MESH0320 is retired).
  description: 'TCPRoute and UDPRoute ports are listed once',
  codes: ['MESH0321'],
  inputs: ['tcpRoutes', 'udpRoutes'],
  run(ctx) {
    for (const route of ctx.mesh.tcpRoutes) checkPorts(ctx, route);
    for (const route of ctx.mesh.udpRoutes) checkPorts(ctx, route);
  },
};
