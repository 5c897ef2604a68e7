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
        { code: 'MESH0302', line: 12, column: 13, message: 'match name "a" is used twice in this HTTPRouteGroup (first at line 8)' },
        { code: 'MESH0302', line: 14, column: 13, message: '(first at line 8)' },
      ],
    },
    {
      name: 'duplicate match names in the v1alpha2 layout: at the duplicate, naming the first line',
      yaml: y`
        apiVersion: specs.smi-spec.io/v1alpha2
        kind: HTTPRouteGroup
        metadata:
          name: g
          namespace: shop
        matches:
          - name: read
            methods: [GET]
          - name: read
            methods: [HEAD]
      `,
      errors: [{ code: 'MESH0302', line: 9, column: 11, message: 'match name "read" is used twice in this HTTPRouteGroup (first at line 7)' }],
    },
  ],
});

test.run();
