import { test } from 'uvu';
import { ruleTester, y } from '../tester.ts';

const group = (matches: string) => `${y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata:
    name: g
    namespace: shop
  spec:
`}${matches}\n`;

ruleTester('http-route-group-matches', {
  valid: [
    { name: 'distinct match names', yaml: group('  matches:\n    - name: a\n      pathRegex: /a/.*\n    - name: b\n      pathRegex: /b/.*') },
  ],
  invalid: [
    {
      name: 'no matches (OSM E2006)',
      yaml: group('  matches: []'),
      errors: [{ code: 'MESH0301', line: 7, column: 3, message: 'HTTPRouteGroup has no matches' }],
    },
    {
      name: 'duplicate match names',
      yaml: group('  matches:\n    - name: a\n      pathRegex: /a/.*\n    - name: b\n      pathRegex: /b/.*\n    - name: a\n      pathRegex: /c/.*\n    - name: a\n      methods: [GET]'),
      errors: [
        { code: 'MESH0302', line: 12, column: 13, message: 'match name "a" is used twice' },
        { code: 'MESH0302', line: 14, column: 13 },
      ],
    },
  ],
});

test.run();
