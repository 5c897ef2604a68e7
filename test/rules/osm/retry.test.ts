/** retry-refs and retry-conflict. */
import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { world } from './world.ts';

/** source kind 8:11, name 9:11; destinations[0] at 12:7, kind 12:13, name 13:13 (interpolated values keep their columns). */
const retry = (name: string, sourceKind: string, source: string, destKind: string, dest: string) => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: Retry
  metadata:
    name: ${name}
    namespace: shop
  spec:
    source:
      kind: ${sourceKind}
      name: ${source}
      namespace: shop
    destinations:
      - kind: ${destKind}
        name: ${dest}
        namespace: shop
    retryPolicy: {retryOn: 5xx, perTryTimeout: 1s, numRetries: 3, retryBackoffBaseInterval: 100ms}
`;

ruleTester('retry-refs', {
  valid: [
    { name: 'ServiceAccount to Service', yaml: docs(retry('r', 'ServiceAccount', 'web', 'Service', 'api'), ...world) },
  ],
  invalid: [
    { name: 'unknown source', yaml: docs(retry('r', 'ServiceAccount', 'webb', 'Service', 'api'), ...world), errors: [{ code: 'MESH1150', line: 9, column: 11, message: 'did you mean "web"?' }] },
    { name: 'source of another kind', yaml: docs(retry('r', 'Deployment', 'web', 'Service', 'api'), ...world), errors: [{ code: 'MESH1153', line: 8, column: 11, message: 'Retry source kind "Deployment"' }] },
    { name: 'unknown destination', yaml: docs(retry('r', 'ServiceAccount', 'web', 'Service', 'app'), ...world), errors: [{ code: 'MESH1151', line: 13, column: 13, message: 'Retry destination Service shop/app is not in the input; did you mean "api"?' }] },
    { name: 'destination of another kind', yaml: docs(retry('r', 'ServiceAccount', 'web', 'ServiceAccount', 'api'), ...world), errors: [{ code: 'MESH1151', line: 12, column: 13, message: 'is not a Service' }] },
  ],
});

ruleTester('retry-conflict', {
  valid: [
    { name: 'different sources', yaml: docs(retry('a', 'ServiceAccount', 'web', 'Service', 'api'), retry('b', 'ServiceAccount', 'api', 'Service', 'api'), ...world) },
  ],
  invalid: [
    {
      name: 'two for one pair: the later by name loses, whatever the input order',
      yaml: docs(retry('z-fast', 'ServiceAccount', 'web', 'Service', 'api'), retry('a-slow', 'ServiceAccount', 'web', 'Service', 'api'), ...world),
      errors: [{ code: 'MESH1152', line: 12, column: 7, message: 'Retry shop/z-fast and shop/a-slow both set the retry policy from shop/web to shop/api: shop/a-slow wins' }],
    },
  ],
});

test.run();
