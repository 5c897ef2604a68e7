import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { serviceAccount, tcpRoute, trafficTarget } from '../objects.ts';

const world = [tcpRoute('shop', 'all'), serviceAccount('shop', 'api'), serviceAccount('shop', 'web')];

ruleTester('traffic-target-not-empty', {
  valid: [{ name: 'one rule, one source', yaml: docs(trafficTarget('shop', 't', 'api', ['web']), ...world) }],
  invalid: [
    {
      name: 'empty rules and sources lists',
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
            namespace: shop
          rules: []
          sources: []
      `, ...world),
      errors: [
        { code: 'MESH0203', line: 11, column: 3, message: 'no rules' },
        { code: 'MESH0204', line: 12, column: 3, message: 'no sources' },
      ],
    },
  ],
});

test.run();
