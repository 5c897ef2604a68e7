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
    {
      name: 'access v1alpha2 without rules and sources fields (the CRD requires only the destination)',
      yaml: docs(y`
        apiVersion: access.smi-spec.io/v1alpha2
        kind: TrafficTarget
        metadata:
          name: t
          namespace: shop
        spec:
          destination:
            kind: ServiceAccount
            name: api
            namespace: shop
      `, ...world),
      errors: [
        { code: 'MESH0203', line: 6, column: 1 },
        { code: 'MESH0204', line: 6, column: 1 },
      ],
    },
    {
      name: 'access v1alpha1 (flat layout) with empty specs',
      yaml: docs(y`
        apiVersion: access.smi-spec.io/v1alpha1
        kind: TrafficTarget
        metadata:
          name: t
          namespace: shop
        destination:
          kind: ServiceAccount
          name: api
          namespace: shop
        specs: []
        sources:
        - kind: ServiceAccount
          name: web
          namespace: shop
      `, ...world),
      errors: [{ code: 'MESH0203', line: 10, column: 1 }],
    },
  ],
});

test.run();
