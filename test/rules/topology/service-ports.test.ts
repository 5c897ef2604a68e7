import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';

/** A Service in shop with these port lines (line 8 is the first port's, its `{` at column 7). */
const svc = (...ports: string[]) => y`
  apiVersion: v1
  kind: Service
  metadata:
    name: api
    namespace: shop
  spec:
    ports:
${ports.map((p) => `      - ${p}`).join('\n')}
`;

ruleTester('service-ports', {
  valid: [
    { name: 'one unnamed port', yaml: docs(svc('{port: 80, targetPort: 8080}')) },
    { name: 'named ports, each once', yaml: docs(svc('{name: http, port: 80}', '{name: grpc-api, port: 9000}')) },
    { name: 'the same port number over TCP and UDP (DNS)', yaml: docs(svc('{name: dns, port: 53, protocol: UDP}', '{name: dns-tcp, port: 53, protocol: TCP}')) },
  ],
  invalid: [
    {
      name: 'the same port and protocol twice',
      yaml: docs(svc('{name: http, port: 80}', '{name: web, port: 80, targetPort: 8081}')),
      errors: [{ code: 'MESH0506', line: 9, column: 25, message: 'port 80/TCP is already ports[0] of this Service: the API server rejects the Service' }],
    },
    {
      name: 'several ports, one without a name',
      yaml: docs(svc('{name: http, port: 80}', '{port: 81}')),
      errors: [{ code: 'MESH0507', line: 9, column: 7, message: 'port 81/TCP has no name, but a Service with more than one port names each one' }],
    },
    {
      name: 'a name that is no DNS-1123 label',
      yaml: docs(svc('{name: Http_X, port: 80}')),
      errors: [{ code: 'MESH0508', line: 8, column: 14, message: 'port name "Http_X" is not a DNS-1123 label (it has uppercase letters)' }],
    },
    {
      name: 'a name used twice',
      yaml: docs(svc('{name: http, port: 80}', '{name: http, port: 81}')),
      errors: [{ code: 'MESH0509', line: 9, column: 14, message: 'port name "http" is already the name of ports[0]' }],
    },
  ],
});

test.run();
