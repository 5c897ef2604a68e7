import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { service } from '../objects.ts';

const world = [
  service('shop', 'birds', { app: 'birds' }), service('shop', 'blue', { app: 'birds', color: 'blue' }),
  service('shop', 'plain', null), service('zoo', 'parrots', { app: 'parrots' }),
];

/** spec.service (value at line 7, column 12) split over blue. */
const split = (root: string) => y`
  apiVersion: split.smi-spec.io/v1alpha4
  kind: TrafficSplit
  metadata:
    name: s
    namespace: shop
  spec:
    service: ${root}
    backends:
      - service: blue
        weight: 1
`;

ruleTester('traffic-split-root', {
  valid: [
    { name: 'root Service with a selector', yaml: docs(split('birds'), ...world) },
    { name: 'root Service declared external', yaml: docs(split('edge'), ...world), options: { assumeExternal: ['Service/shop/edge'] } },
  ],
  invalid: [
    {
      name: 'missing root, with a suggestion',
      yaml: docs(split('bird'), ...world),
      errors: [{ code: 'MESH0401', line: 7, column: 12, message: 'root service "bird" is not a Service in namespace shop; did you mean "birds"?' }],
    },
    {
      name: 'root that exists only in another namespace',
      yaml: docs(split('parrots'), ...world),
      errors: [{ code: 'MESH0401', line: 7, column: 12, message: 'a Service of that name exists in namespace zoo' }],
    },
    {
      name: 'qualified root pointing into another namespace',
      yaml: docs(split('parrots.zoo.svc.cluster.local'), ...world),
      errors: [{ code: 'MESH0401', line: 7, column: 12, message: 'it points into namespace zoo, but a split and its root share a namespace' }],
    },
    {
      name: 'qualified root naming a missing Service',
      yaml: docs(split('bird.shop.svc.cluster.local'), ...world),
      errors: [{ code: 'MESH0401', line: 7, column: 12, message: 'root service "bird.shop.svc.cluster.local" is not a Service in namespace shop; it stands for Service "bird"; did you mean "birds"?' }],
    },
    {
      name: 'qualified root in the split\'s own namespace (resolved, but not portable)',
      yaml: docs(split('birds.shop.svc.cluster.local'), ...world),
      errors: [{ code: 'MESH0402', line: 7, column: 12, message: 'write the Service name "birds"' }],
    },
    {
      name: 'root Service without selector (OSM)',
      yaml: docs(split('plain'), ...world),
      errors: [{ code: 'MESH0403', line: 7, column: 12, message: 'root Service plain has no selector' }],
    },
  ],
});

test.run();
