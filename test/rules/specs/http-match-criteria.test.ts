import { test } from 'uvu';
import { ruleTester, y } from '../tester.ts';

/** A group whose single match (from line 8) is the given YAML, indented under `matches:`. */
const group = (match: string) => `${y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata:
    name: g
    namespace: shop
  spec:
    matches:
`}${match}\n`;

ruleTester('http-match-criteria', {
  valid: [
    { name: 'path and methods', yaml: group('    - name: m\n      pathRegex: /api/.*\n      methods: [GET, POST]') },
    { name: 'path only', yaml: group('    - name: m\n      pathRegex: /api/.*') },
    { name: 'methods only, with the wildcard', yaml: group('    - name: m\n      methods: ["*"]') },
  ],
  invalid: [
    {
      name: 'header-only match',
      yaml: group('    - name: android\n      headers:\n        user-agent: ".*Android.*"'),
      errors: [{ code: 'MESH0306', line: 8, column: 7, message: 'match "android" has neither pathRegex nor methods: any path and method qualifies, only its headers restrict it' }],
    },
    {
      name: 'match with only a name',
      yaml: group('    - name: everything'),
      errors: [{ code: 'MESH0306', line: 8, column: 7, message: 'it matches every request' }],
    },
    {
      name: 'empty methods list means every method',
      yaml: group('    - name: m\n      pathRegex: /api/.*\n      methods: []'),
      errors: [{ code: 'MESH0309', line: 10, column: 16, message: 'methods of match "m" is an empty list' }],
    },
    {
      name: 'duplicate methods and * next to others',
      yaml: group('    - name: m\n      pathRegex: /api/.*\n      methods: [GET, "*", GET, POST]'),
      errors: [
        { code: 'MESH0308', line: 10, column: 16, message: 'methods of match "m" list "*" next to GET, POST: "*" already allows every method' },
        { code: 'MESH0330', line: 10, column: 16, message: 'methods of match "m" list GET more than once' },
      ],
    },
  ],
});

test.run();
