import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { routeGroup, service, tcpRoute } from '../objects.ts';

const world = [service('shop', 'web', { app: 'web' }), service('shop', 'web-v2', { app: 'web', v: '2' }), routeGroup('shop', 'firefox', ['ff']), tcpRoute('shop', 'db')];

/** A split with one matches entry: kind on line 8, name on line 9 (both values at column 13). */
const split = (kind: string, name: string) => y`
  apiVersion: split.smi-spec.io/v1alpha4
  kind: TrafficSplit
  metadata:
    name: ab
    namespace: shop
  spec:
    matches:
      - kind: ${kind}
        name: ${name}
    service: web
    backends:
      - service: web-v2
        weight: 1
`;

ruleTester('traffic-split-matches', {
  valid: [{ name: 'existing HTTPRouteGroup', yaml: docs(split('HTTPRouteGroup', 'firefox'), ...world) }],
  invalid: [
    {
      name: 'missing group with a suggestion',
      yaml: docs(split('HTTPRouteGroup', 'firefx'), ...world),
      errors: [{ code: 'MESH0415', line: 9, column: 13, message: 'HTTPRouteGroup "firefx" not found in namespace shop; did you mean "firefox"?' }],
    },
    {
      name: 'name of a TCPRoute',
      yaml: docs(split('HTTPRouteGroup', 'db'), ...world),
      errors: [{ code: 'MESH0415', line: 9, column: 13, message: 'shop/db is a TCPRoute, and splits can only match HTTP requests' }],
    },
    {
      name: 'a TCPRoute in matches: the rule says why (the schema leaves this kind to it)',
      yaml: docs(split('TCPRoute', 'db'), ...world),
      errors: [{ code: 'MESH0416', line: 8, column: 13, message: 'TCPRoute is not allowed in TrafficSplit matches; only HTTPRouteGroup: a split selects HTTP requests, and a TCPRoute matches ports, not requests' }],
    },
    {
      name: 'a misspelt kind gets a suggestion',
      yaml: docs(split('HTTPRouteGroups', 'firefox'), ...world),
      errors: [{ code: 'MESH0416', line: 8, column: 13, message: 'HTTPRouteGroups is not allowed in TrafficSplit matches; only HTTPRouteGroup; did you mean "HTTPRouteGroup"?' }],
    },
  ],
});

test.run();
