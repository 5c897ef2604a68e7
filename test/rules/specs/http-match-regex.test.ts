import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ruleTester, y, checkYaml } from '../tester.ts';

/** One match "m" whose pathRegex (YAML single-quoted) is on line 9, column 18. */
const path = (pattern: string) => y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata:
    name: g
    namespace: shop
  spec:
    matches:
      - name: m
        pathRegex: '${pattern}'
        methods: [GET]
`;

/** One header-only match whose header value (single-quoted) is on line 10, column 21. */
const header = (name: string, pattern: string) => y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata:
    name: g
    namespace: shop
  spec:
    matches:
      - name: m
        headers:
          ${name}: '${pattern}'
`;

ruleTester('http-match-regex', {
  valid: [
    { name: 'prefix regex', yaml: path('/api/.*') },
    { name: 'exact regex', yaml: path('/api$') },
    { name: 'RE2 named group and Unicode class', yaml: path('/(?P<lang>\\pL{2})/.*') },
    { name: 'catastrophic in JavaScript, linear in RE2', yaml: path('(a+)+$') },
    { name: 'alternatives that all end in .*', yaml: path('(/books|/authors)/.*') },
    { name: 'header regex', yaml: header('user-agent', '.*Android.*') },
  ],
  invalid: [
    {
      name: 'lookahead is not RE2',
      yaml: path('/api(?=/v1).*'),
      errors: [{ code: 'MESH0303', line: 9, column: 18, message: 'pathRegex "/api(?=/v1).*" is not a valid RE2 regular expression: invalid perl operator: (?=' }],
    },
    {
      name: 'backreference is not RE2',
      yaml: path('/(a)/\\1.*'),
      errors: [{ code: 'MESH0303', line: 9, column: 18, message: 'invalid escape sequence: \\1' }],
    },
    {
      name: 'lookbehind in a header value',
      yaml: header('user-agent', '(?<=Mozilla).*'),
      errors: [{ code: 'MESH0303', line: 10, column: 21, message: 'header "user-agent" value "(?<=Mozilla).*" is not a valid RE2' }],
    },
    {
      name: 'empty pathRegex',
      yaml: path(''),
      errors: [{ code: 'MESH0304', line: 9, column: 18, message: 'pathRegex is empty' }],
    },
    {
      name: 'start-anchored and full-match readings differ',
      yaml: path('/books'),
      errors: [{ code: 'MESH0305', line: 9, column: 18, message: 'pathRegex "/books" admits different paths' }],
    },
    {
      name: 'only the last alternative ends in .*',
      yaml: path('/a|/b/.*'),
      errors: [{ code: 'MESH0305', line: 9, column: 18 }],
    },
  ],
});

test('a mesh without regexes, or with regexes valid by their shape alone, never loads the RE2 engine', async () => {
  // A fresh process: the engine is loaded lazily on the first pattern.
  const { spawnSync } = await import('node:child_process');
  const script = `
    const { check } = await import('./src/pipeline/check.ts');
    const { re2Loaded } = await import('./src/regex/re2.ts');
    const yaml = 'apiVersion: specs.smi-spec.io/v1alpha4\\nkind: HTTPRouteGroup\\nmetadata:\\n  name: g\\n  namespace: shop\\nspec:\\n  matches:\\n    - name: m\\n      methods: [GET]\\n';
    await check(['-'], { readStdin: async () => Buffer.from(yaml) });
    const none = re2Loaded();
    await check(['-'], { readStdin: async () => Buffer.from(yaml.replace('methods: [GET]', 'pathRegex: /x/[0-9]+/.*')) });
    const simple = re2Loaded();
    await check(['-'], { readStdin: async () => Buffer.from(yaml.replace('methods: [GET]', 'pathRegex: /x/(a|b)/.*')) });
    console.log(JSON.stringify([none, simple, re2Loaded()]));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../../..', import.meta.url).pathname });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!), [false, false, true]);
});

test('many groups sharing patterns compile each pattern once and report each bad one', async () => {
  const groups = Array.from({ length: 300 }, (_, i) => `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: g${i}
  namespace: shop
spec:
  matches:
    - name: m
      pathRegex: '${i % 3 === 0 ? '(?!x).*' : '/api/.*'}'
`).join('---\n');
  const found = (await checkYaml(groups)).filter((d) => d.code === 'MESH0303');
  assert.is(found.length, 100);
});

test.run();
