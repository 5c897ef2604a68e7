import { test } from 'uvu';
import { ruleTester, y } from '../tester.ts';

const group = (header: string) => y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata:
    name: g
    namespace: shop
  spec:
    matches:
      - name: m
        pathRegex: /api/.*
        headers:
          ${header}: 'shop\\.example\\.com'
`;

ruleTester('http-match-host-header', {
  valid: [{ name: 'ordinary header', yaml: group('x-tenant') }],
  invalid: [
    { name: 'host header', yaml: group('host'), errors: [{ code: 'MESH0310', line: 11, column: 9, message: 'header "host" is matched against :authority by OSM' }] },
    { name: 'Host header in another case', yaml: group('Host'), errors: [{ code: 'MESH0310', line: 11, column: 9 }] },
  ],
});

test.run();
