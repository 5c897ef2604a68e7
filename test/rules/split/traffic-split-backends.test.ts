import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { service } from '../objects.ts';

const world = [service('shop', 'birds', { app: 'birds' }), service('shop', 'blue', { app: 'birds', color: 'blue' }), service('shop', 'green', { app: 'birds', color: 'green' }), service('lab', 'red', { app: 'red' })];

/** Root birds; backend i's service value is on line 9 + 2i, column 16. */
const split = (...backends: string[]) => `${y`
  apiVersion: split.smi-spec.io/v1alpha4
  kind: TrafficSplit
  metadata:
    name: s
    namespace: shop
  spec:
    service: birds
`}${backends.length === 0 ? '  backends: []\n' : `  backends:\n${backends.map((b) => `    - service: ${b}\n      weight: 1\n`).join('')}`}`;

ruleTester('traffic-split-backends', {
  valid: [
    { name: 'two existing backends', yaml: docs(split('blue', 'green'), ...world) },
    { name: 'backend declared external', yaml: docs(split('blue', 'canary'), ...world), options: { assumeExternal: ['Service/*/canary'] } },
  ],
  invalid: [
    { name: 'no backends', yaml: docs(split(), ...world), errors: [{ code: 'MESH0404', line: 8, column: 3, message: 'TrafficSplit has no backends' }] },
    {
      name: 'missing backend with a suggestion',
      yaml: docs(split('blue', 'gren'), ...world),
      errors: [{ code: 'MESH0405', line: 11, column: 16, message: 'backend "gren" is not a Service in namespace shop; did you mean "green"?' }],
    },
    {
      name: 'smi#18: a backend "*" is no wildcard; an assumeExternal glob that matches it literally does not declare it',
      yaml: docs(split('blue', '"*"'), ...world),
      options: { assumeExternal: ['Service/shop/*'] },
      errors: [{ code: 'MESH0405', line: 11, column: 16, message: 'backend "*" is not a Service in namespace shop' }],
    },
    {
      name: 'backend in another namespace',
      yaml: docs(split('blue', 'red'), ...world),
      errors: [{ code: 'MESH0405', line: 11, column: 16, message: 'a Service of that name exists in namespace lab' }],
    },
    {
      name: 'split without metadata.namespace: the message says where the namespace came from',
      options: { namespace: 'default' },
      yaml: docs(y`
        apiVersion: split.smi-spec.io/v1alpha4
        kind: TrafficSplit
        metadata:
          name: s
        spec:
          service: birds
          backends:
            - service: blue
              weight: 1
      `, ...world),
      errors: [{ code: 'MESH0405', line: 8, column: 16, message: 'a Service of that name exists in namespace shop (metadata.namespace is not set: the namespace comes from --namespace)' }],
    },
    {
      name: 'input without any Service: the message says how to declare them external',
      yaml: docs(split('blue')),
      errors: [{ code: 'MESH0405', line: 9, column: 16, message: 'the input declares no Service at all: if they live elsewhere, add Service/*/*' }],
    },
    {
      name: 'namespace-qualified backend',
      yaml: docs(split('blue', 'red.lab'), ...world),
      errors: [{ code: 'MESH0405', line: 11, column: 16, message: 'backends are plain Service names in the split\'s namespace' }],
    },
    {
      name: 'duplicate backend',
      yaml: docs(split('blue', 'green', 'blue'), ...world),
      errors: [{ code: 'MESH0406', line: 13, column: 16, message: 'backend blue is listed more than once' }],
    },
    {
      name: 'backend equal to the root',
      yaml: docs(split('blue', 'birds'), ...world),
      errors: [{ code: 'MESH0407', line: 11, column: 16, message: 'backend birds is the root service itself' }],
    },
  ],
});

test.run();
