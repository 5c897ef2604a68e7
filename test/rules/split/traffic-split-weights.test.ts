import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { service } from '../objects.ts';

const world = [service('shop', 'birds', { app: 'birds' }), service('shop', 'blue', { app: 'birds', color: 'blue' }), service('shop', 'green', { app: 'birds', color: 'green' })];

/** Weights of blue and green; `backends:` is on line 8. */
const split = (blue: string, green: string, apiVersion = 'split.smi-spec.io/v1alpha4') => y`
  apiVersion: ${apiVersion}
  kind: TrafficSplit
  metadata:
    name: s
    namespace: shop
  spec:
    service: birds
    backends:
      - service: blue
        weight: ${blue}
      - service: green
        weight: ${green}
`;

ruleTester('traffic-split-weights', {
  valid: [
    { name: 'canary 90/10', yaml: docs(split('90', '10'), ...world) },
    { name: 'weights are relative: 1000/500 need not sum to 100', yaml: docs(split('1000', '500'), ...world) },
    { name: 'one backend at 0', yaml: docs(split('1', '0'), ...world) },
    { name: 'sum exactly 2^32-1', yaml: docs(split('4294967294', '1'), ...world) },
    { name: 'v1alpha1 Quantity weights', yaml: docs(split('1', '500m', 'split.smi-spec.io/v1alpha1'), ...world) },
    { name: 'a sum above 2^32-1 that compile reduces by the GCD: 3000000000/3000000000 is 1:1', yaml: docs(split('3000000000', '3000000000'), ...world) },
    { name: 'v1alpha1 milli-units reduce by the GCD too: 4294968 alone is one backend', yaml: docs(split('4294968', '0', 'split.smi-spec.io/v1alpha1'), ...world) },
    { name: 'small canaries written as such are no mixed scale: 99/1, 999/1, 5/450', yaml: docs(split('99', '1'), ...world) },
    { name: '999/1', yaml: docs(split('1', '999'), ...world) },
    { name: '5/450 (a 90-fold ratio)', yaml: docs(split('5', '450'), ...world) },
    { name: 'v1alpha1 quantities 1 and 500m are 1000:500 (no mixed scale)', yaml: docs(split('1', '500m', 'split.smi-spec.io/v1alpha1'), ...world) },
    { name: 'v1alpha1 whole units 1 and 500 are 1000:500000, as written', yaml: docs(split('1', '500', 'split.smi-spec.io/v1alpha1'), ...world) },
  ],
  invalid: [
    { name: 'all weights 0', yaml: docs(split('0', '0'), ...world), errors: [{ code: 'MESH0409', line: 8, column: 3, message: 'every backend weight is 0: no traffic to birds can flow' }] },
    { name: 'sum above 2^32-1', yaml: docs(split('4294967295', '1'), ...world), errors: [{ code: 'MESH0410', line: 8, column: 3, message: 'weights sum to 4294967296, more than 4294967295' }] },
    {
      name: 'v1alpha1 weights overflow once counted in milli-units',
      yaml: docs(split('4294967', '1001m', 'split.smi-spec.io/v1alpha1'), ...world),
      errors: [{ code: 'MESH0410', line: 8, column: 3, message: 'weights sum to 4294968001 milli-units' }],
    },
    {
      name: 'a weight beyond 2^53 (Go\'s MaxUint64) is too large, shown as written rather than as the float YAML reads',
      yaml: docs(split('18446744073709551615', '0'), ...world),
      errors: [{ code: 'MESH0420', line: 10, column: 15, message: 'weight 18446744073709551615 of backend blue is too large: Envoy and gRPC clients take weights and their sum as 32-bit numbers, at most 4294967295' }],
    },
    {
      name: 'one weight above 2^32-1 is too large at the weight (not only as a sum)',
      yaml: docs(split('0', '4294967296'), ...world),
      errors: [{ code: 'MESH0420', line: 12, column: 15, message: 'weight 4294967296 of backend green is too large' }],
    },
    {
      name: 'a half-converted v1alpha1 split (500m became 500, 1 stayed 1): info at the small weight',
      yaml: docs(split('1', '500', 'split.smi-spec.io/v1alpha2'), ...world),
      errors: [{ code: 'MESH0417', line: 10, column: 15, message: 'weight 1 of backend blue next to 500 of green: blue gets 0.2% of the traffic; if the weights were converted from v1alpha1 quantities (1 = 1000m), write 1000' }],
    },
    { name: 'whole units next to 1000', yaml: docs(split('1000', '2'), ...world), errors: [{ code: 'MESH0417', line: 12, column: 15, message: 'green gets 0.2% of the traffic' }] },
    { name: 'v1alpha1 zero Quantities', yaml: docs(split('0m', '0', 'split.smi-spec.io/v1alpha1'), ...world), errors: [{ code: 'MESH0409', line: 8, column: 3 }] },
  ],
});

test.run();
