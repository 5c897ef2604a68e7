import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { routeGroup, serviceAccount, tcpRoute, udpRoute } from '../objects.ts';

const world = [
  serviceAccount('shop', 'api'), serviceAccount('shop', 'web'),
  tcpRoute('shop', 'all'), udpRoute('shop', 'dns', [53]), routeGroup('shop', 'api-routes', ['read', 'write']),
  routeGroup('billing', 'invoices', ['list']),
];

/** A TrafficTarget in shop whose rules are the given YAML lines (the first rule is on line 16). */
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

ruleTester('traffic-target-rule-refs', {
  valid: [
    {
      name: 'HTTPRouteGroup with existing matches, TCPRoute and UDPRoute',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: api-routes\n      matches: [read, write]\n    - kind: TCPRoute\n      name: all\n    - kind: UDPRoute\n      name: dns'), ...world),
    },
    {
      name: 'a rule object declared external is not looked for',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: shared-routes\n      matches: [anything]'), ...world),
      options: { assumeExternal: ['HTTPRouteGroup/shop/shared-*'] },
    },
  ],
  invalid: [
    {
      name: 'smi#18: a rule object named "*" is no wildcard; an assumeExternal glob that matches it literally does not declare it',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: "*"\n      matches: [read]'), ...world),
      options: { assumeExternal: ['HTTPRouteGroup/shop/*'] },
      errors: [{ code: 'MESH0207', line: 17, column: 13, message: 'HTTPRouteGroup "*" not found in namespace shop' }],
    },
    {
      name: 'access v1alpha1 (flat layout, destination.port upgraded to a TCPRoute rule): positions map back to `specs`',
      yaml: docs(y`
        apiVersion: access.smi-spec.io/v1alpha1
        kind: TrafficTarget
        metadata:
          name: path-specific
          namespace: shop
        destination:
          kind: ServiceAccount
          name: api
          namespace: shop
          port: 8080
        specs:
        - kind: HTTPRouteGroup
          name: api-routes
          matches:
          - metrics
        sources:
        - kind: ServiceAccount
          name: web
          namespace: shop
      `, ...world),
      errors: [{ code: 'MESH0209', line: 15, column: 5, message: 'HTTPRouteGroup api-routes has no match named "metrics"' }],
    },
    {
      name: 'missing HTTPRouteGroup, with a suggestion',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: api-route\n      matches: [read]'), ...world),
      errors: [{ code: 'MESH0207', line: 17, column: 13, message: 'HTTPRouteGroup "api-route" not found in namespace shop; did you mean "api-routes"?' }],
    },
    {
      name: 'rule object that lives in another namespace',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: invoices'), ...world),
      errors: [{ code: 'MESH0207', line: 17, column: 13, message: 'exists in namespace billing (rules always refer to the TrafficTarget\'s namespace)' }],
    },
    {
      name: 'object of that name has another kind',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: all\n    - kind: TCPRoute\n      name: api-routes'), ...world),
      errors: [
        { code: 'MESH0208', line: 16, column: 13, message: 'rule names HTTPRouteGroup "all", but shop/all is of kind TCPRoute' },
        { code: 'MESH0208', line: 18, column: 13, message: 'is of kind HTTPRouteGroup' },
      ],
    },
    {
      name: 'match names not in the group',
      yaml: docs(target('    - kind: HTTPRouteGroup\n      name: api-routes\n      matches: [read, wirte, delete]'), ...world),
      errors: [
        { code: 'MESH0209', line: 18, column: 23, message: 'HTTPRouteGroup api-routes has no match named "wirte"; did you mean "write"?' },
        { code: 'MESH0209', line: 18, column: 30, message: 'no match named "delete"' },
      ],
    },
    {
      name: 'matches on TCPRoute and UDPRoute rules',
      yaml: docs(target('    - kind: TCPRoute\n      name: all\n      matches: [read]\n    - kind: UDPRoute\n      name: dns\n      matches: [x]'), ...world),
      errors: [
        { code: 'MESH0210', line: 18, column: 7, message: 'on a TCPRoute rule' },
        { code: 'MESH0210', line: 21, column: 7, message: 'on a UDPRoute rule' },
      ],
    },
  ],
});

test.run();
