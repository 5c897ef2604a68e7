import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { serviceAccount, tcpRoute, trafficTarget } from '../objects.ts';

const world = [tcpRoute('shop', 'all'), serviceAccount('shop', 'api'), serviceAccount('shop', 'web'), serviceAccount('other', 'api')];

ruleTester('traffic-target-namespaces', {
  valid: [{ name: 'destination and sources with explicit namespaces', yaml: docs(trafficTarget('shop', 't', 'api', ['web']), ...world) }],
  invalid: [
    {
      name: 'destination in another namespace (OSM drops the object)',
      yaml: docs(y`
        apiVersion: access.smi-spec.io/v1alpha3
        kind: TrafficTarget
        metadata:
          name: t
          namespace: shop
        spec:
          destination:
            kind: ServiceAccount
            name: api
            namespace: other
          rules:
            - kind: TCPRoute
              name: all
          sources:
            - kind: ServiceAccount
              name: web
              namespace: shop
      `, ...world),
      errors: [{ code: 'MESH0205', line: 10, column: 16, message: 'destination namespace other differs from the TrafficTarget namespace shop' }],
    },
    {
      name: 'TrafficTarget without metadata.namespace takes --namespace',
      options: { namespace: 'default' },
      yaml: docs(y`
        apiVersion: access.smi-spec.io/v1alpha3
        kind: TrafficTarget
        metadata:
          name: t
        spec:
          destination:
            kind: ServiceAccount
            name: api
            namespace: shop
          rules:
            - kind: TCPRoute
              name: all
          sources:
            - kind: ServiceAccount
              name: web
              namespace: shop
      `, ...world),
      errors: [{ code: 'MESH0205', line: 9, column: 16, message: 'from --namespace' }],
    },
    {
      name: 'namespaces omitted on destination and source',
      yaml: docs(y`
        apiVersion: access.smi-spec.io/v1alpha3
        kind: TrafficTarget
        metadata:
          name: t
          namespace: shop
        spec:
          destination:
            kind: ServiceAccount
            name: api
          rules:
            - kind: TCPRoute
              name: all
          sources:
            - kind: ServiceAccount
              name: web
      `, ...world),
      errors: [
        { code: 'MESH0206', line: 7, column: 3, message: 'destination namespace is not set: meshc assumes shop' },
        { code: 'MESH0206', line: 14, column: 7, message: 'OSM matches no caller' },
      ],
    },
  ],
});

test.run();
