import { test } from 'uvu';
import { ruleTester, y } from '../tester.ts';

/** One match whose pathRegex (single-quoted YAML: backslashes as written) is on line 9. */
const group = (pathRegex: string) => y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata:
    name: g
    namespace: shop
  spec:
    matches:
      - name: search
        pathRegex: '${pathRegex}'
`;

ruleTester('path-regex-query-string', {
  valid: [
    { name: 'the path alone', yaml: group('/search$') },
    { name: 'the ? quantifier', yaml: group('/items/?$') },
    { name: 'a literal ? in an optional part', yaml: group('/search(\\?.*)?') },
    { name: 'a literal ? in one alternative only', yaml: group('/search|/find\\?q=.*') },
    { name: 'a negated class', yaml: group('/[^?]+') },
    { name: 'a class with more than ?', yaml: group('/a[?!]') },
    { name: 'invalid RE2 is MESH0303, not this', yaml: group('/a(?=\\?)') },
  ],
  invalid: [
    { name: 'escaped ?', yaml: group('/search\\?q=.*'), errors: [{ code: 'MESH0311', line: 9, column: 18, message: 'pathRegex "/search\\\\?q=.*" of match "search" requires a literal "?", but the path never contains the query string, so it can never match: match the path alone (for example "/search")' }] },
    { name: '[?] class', yaml: group('/search[?]q'), errors: [{ code: 'MESH0311', line: 9, column: 18 }] },
    { name: 'hex escape', yaml: group('/search\\x3Fq'), errors: [{ code: 'MESH0311', line: 9, column: 18 }] },
    { name: 'inside a required group', yaml: group('(/search\\?q=.*)'), errors: [{ code: 'MESH0311', line: 9, column: 18, message: 'match the path alone;' }] },
    { name: 'in every alternative', yaml: group('/a\\?x|/b\\?y'), errors: [{ code: 'MESH0311', line: 9, column: 18 }] },
  ],
});

test.run();
