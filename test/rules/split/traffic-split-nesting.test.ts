import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkYaml, docs, ruleTester } from '../tester.ts';
import { service, trafficSplit } from '../objects.ts';

const svc = (...names: string[]) => names.map((n) => service('shop', n, { app: n }));

/** A ring of n splits: s0 → s1 → … → s(n-1) → s0 (each split's root is the next one's backend). */
function ring(n: number): string[] {
  const roots = Array.from({ length: n }, (_, i) => `r${i}`);
  return [
    ...roots.map((r, i) => trafficSplit('shop', `split-${r}`, r, [[`${r}-stable`, 9], [roots[(i + 1) % n]!, 1]])),
    ...svc(...roots, ...roots.map((r) => `${r}-stable`)),
  ];
}

// Each split from trafficSplit(): backend i's service is on line 9 + 2i, column 16; the documents are 13 lines long (with ---).
ruleTester('traffic-split-nesting', {
  valid: [
    { name: 'two independent splits', yaml: docs(trafficSplit('shop', 'a', 'web', [['web-v1', 1], ['web-v2', 1]]), trafficSplit('shop', 'b', 'api', [['api-v1', 1]]), ...svc('web', 'web-v1', 'web-v2', 'api', 'api-v1')) },
    { name: 'self-reference is not nesting', yaml: docs(trafficSplit('shop', 'a', 'web', [['web', 1], ['web-v2', 1]]), ...svc('web', 'web-v2')) },
    { name: 'same service names in different namespaces', yaml: docs(trafficSplit('shop', 'a', 'web', [['api', 1]]), trafficSplit('other', 'b', 'api', [['x', 1]]), ...svc('web', 'api'), service('other', 'api', { app: 'api' }), service('other', 'x', { app: 'x' })) },
  ],
  invalid: [
    {
      name: 'backend is the root of another split',
      yaml: docs(trafficSplit('shop', 'outer', 'web', [['web-v1', 1], ['web-v2', 1]]), trafficSplit('shop', 'inner', 'web-v2', [['web-v2a', 1], ['web-v2b', 1]]), ...svc('web', 'web-v1', 'web-v2', 'web-v2a', 'web-v2b')),
      errors: [{ code: 'MESH0411', line: 11, column: 16, message: 'backend web-v2 is the root of TrafficSplit shop/inner: splits are not hierarchical' }],
    },
    { name: 'cycle of 2', yaml: docs(...ring(2)), errors: [{ code: 'MESH0412', line: 11, column: 16, message: 'TrafficSplits form a cycle: r0 → r1 → r0' }] },
    { name: 'cycle of 3', yaml: docs(...ring(3)), errors: [{ code: 'MESH0412', line: 11, column: 16, message: 'cycle: r0 → r1 → r2 → r0' }] },
    {
      name: 'cycle of 10',
      yaml: docs(...ring(10)),
      errors: [{ code: 'MESH0412', line: 11, column: 16, message: 'cycle: r0 → r1 → r2 → r3 → r4 → r5 → r6 → r7 → r8 → r9 → r0' }],
    },
    {
      name: 'a split feeding into a cycle is nested, the cycle is reported once',
      yaml: docs(trafficSplit('shop', 'entry', 'front', [['r0', 1]]), ...ring(2), ...svc('front')),
      errors: [
        { code: 'MESH0411', line: 9, column: 16, message: 'backend r0 is the root of TrafficSplit shop/split-r0' },
        { code: 'MESH0412', line: 22, column: 16, message: 'r0 → r1 → r0' },
      ],
    },
  ],
});

test('the cycle finding points at every split on the cycle', async () => {
  const found = (await checkYaml(docs(...ring(3)))).filter((d) => d.code === 'MESH0412');
  assert.is(found.length, 1);
  assert.equal(found[0]!.related!.map((r) => [r.message, r.range.line]), [
    ['TrafficSplit shop/split-r1: backend r2', 24],
    ['TrafficSplit shop/split-r2: backend r0', 37],
  ]);
});

test('a chain of 3,000 nested splits and a ring of 3,000 are analysed without recursion limits', async () => {
  const n = 3000;
  const chain = Array.from({ length: n }, (_, i) => trafficSplit('shop', `c${i}`, `c${i}`, [[`c${i + 1}`, 1]]));
  const found = (await checkYaml(docs(...chain, ...ring(n)))).filter((d) => d.code === 'MESH0411' || d.code === 'MESH0412');
  assert.is(found.filter((d) => d.code === 'MESH0411').length, n - 1);
  const cycles = found.filter((d) => d.code === 'MESH0412');
  assert.is(cycles.length, 1);
  assert.ok(cycles[0]!.message.endsWith(`r${n - 1} → r0`));
  assert.is(cycles[0]!.related!.length, n - 1);
});

test.run();
