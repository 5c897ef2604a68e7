import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { routeGroup, serviceAccount, tcpRoute, udpRoute } from '../objects.ts';

const world = [serviceAccount('shop', 'api'), serviceAccount('shop', 'web'), tcpRoute('shop', 'all'), udpRoute('shop', 'dns', [53]), routeGroup('shop', 'api-routes', ['read'])];

const target = (rules: string) => `${y`
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata:
    name: t
    namespace: shop
  spec:
    destination:
      kind: ServiceAccount
      name: api
      namespace: shop
    sources:
      - kind: ServiceAccount
        name: web
        namespace: shop
    rules:
`}${rules}\n`;

ruleTester('traffic-target-rule-portability', {
  valid: [
    { name: 'HTTPRouteGroup rule with explicit matches and a TCPRoute rule', yaml: docs(target('    - kind: HTTPRouteGroup\n      name: api-routes\n      matches: [read]\n    - kind: TCPRoute\n      name: all'), ...world) },
  ],
  invalid: [
    {
      name: 'HTTPRouteGroup rule without matches (spec: all, OSM: none)',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: api-routes'), ...world),
      errors: [{ code: 'MESH0213', line: 16, column: 7, message: 'HTTPRouteGroup rule api-routes has no `matches`: the SMI spec grants every match of the group, OSM grants none' }],
    },
    {
      name: 'HTTPRouteGroup rule with an empty matches list',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: api-routes\n      matches: []'), ...world),
      errors: [{ code: 'MESH0213', line: 18, column: 7, message: 'has an empty `matches` list' }],
    },
    {
      name: 'UDPRoute rule (info: unsupported by OSM)',
      yaml: docs(target('    - kind: TCPRoute\n      name: all\n    - kind: UDPRoute\n      name: dns'), ...world),
      errors: [{ code: 'MESH0214', line: 18, column: 13, message: 'UDPRoute rule dns' }],
    },
  ],
});

test.run();
