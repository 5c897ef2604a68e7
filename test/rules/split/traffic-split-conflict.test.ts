import { test } from 'uvu';
import { docs, ruleTester } from '../tester.ts';
import { service, trafficSplit } from '../objects.ts';

const world = ['web', 'web-v1', 'web-v2'].map((n) => service('shop', n, { app: n }));

ruleTester('traffic-split-conflict', {
  valid: [{ name: 'one split per root', yaml: docs(trafficSplit('shop', 'canary', 'web', [['web-v1', 9], ['web-v2', 1]]), ...world) }],
  invalid: [
    {
      name: 'a second split for the same root (OSM keeps only the first)',
      yaml: docs(trafficSplit('shop', 'canary', 'web', [['web-v1', 9], ['web-v2', 1]]), trafficSplit('shop', 'rollback', 'web', [['web-v1', 1]]), ...world),
      errors: [{ code: 'MESH0413', line: 20, column: 12, message: 'service web is already the root of TrafficSplit shop/canary' }],
    },
  ],
});

test.run();
