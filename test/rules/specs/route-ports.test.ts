import { test } from 'uvu';
import { ruleTester, y } from '../tester.ts';

const route = (kind: string, ports: string) => y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: ${kind}
  metadata:
    name: r
    namespace: shop
  spec:
    matches:
      ports: ${ports}
`;

ruleTester('route-ports', {
  valid: [
    { name: 'TCP ports', yaml: route('TCPRoute', '[3306, 6446]') },
    { name: 'all ports', yaml: route('TCPRoute', '[]') },
    { name: 'UDP ports at the edges of the range', yaml: route('UDPRoute', '[1, 65535]') },
  ],
  invalid: [
    {
      name: 'duplicate TCP port',
      yaml: route('TCPRoute', '[3306, 6446, 3306]'),
      errors: [{ code: 'MESH0321', line: 8, column: 25, message: 'port 3306 is listed more than once' }],
    },
    {
      name: 'duplicate UDP port',
      yaml: route('UDPRoute', '[53, 53]'),
      errors: [{ code: 'MESH0321', line: 8, column: 17 }],
    },
  ],
});

test.run();
