/** ingress-backend-refs, ingress-backend-conflicts and ingress-backend-sources. */
import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { world } from './world.ts';

/** backends[0]: name 8:13, port.number 10:17, protocol 11:19; sources from line 12. */
const ib = (name: string, backend: string, port: number, protocol: string, sources: string, tls = '') => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: IngressBackend
  metadata:
    name: ${name}
    namespace: shop
  spec:
    backends:
      - name: ${backend}
        port:
          number: ${port}
          protocol: ${protocol}${tls}
    sources:
${sources}
`;
const ipRange = '      - {kind: IPRange, name: 10.0.0.0/16}';
const nginx = '      - kind: Service\n        name: ingress-nginx-controller\n        namespace: ingress-nginx';
const controller = y`
  apiVersion: v1
  kind: Service
  metadata:
    name: ingress-nginx-controller
    namespace: ingress-nginx
  spec:
    ports:
      - {port: 80, name: http}
`;

ruleTester('ingress-backend-refs', {
  valid: [
    { name: 'backend on its target port, source Service present', yaml: docs(ib('api', 'api', 8080, 'http', nginx), controller, ...world) },
    { name: 'external source Service', yaml: docs(ib('api', 'api', 8080, 'http', nginx), ...world), options: { assumeExternal: ['Service/ingress-nginx/*'] } },
  ],
  invalid: [
    {
      name: 'missing backend Service',
      yaml: docs(ib('api', 'apis', 8080, 'http', ipRange), ...world),
      errors: [{ code: 'MESH1130', line: 8, column: 13, message: 'IngressBackend backend apis is not a Service in namespace shop; did you mean "api"?' }],
    },
    {
      name: 'Service port instead of target port',
      yaml: docs(ib('api', 'api', 80, 'http', ipRange), ...world),
      errors: [{ code: 'MESH1131', line: 10, column: 17, message: 'port 80 is not a target port of Service shop/api (target ports: 8080 (Service port 80))' }],
    },
    {
      name: 'missing source Service',
      yaml: docs(ib('api', 'api', 8080, 'http', nginx), ...world),
      errors: [{ code: 'MESH1134', line: 14, column: 13, message: 'IngressBackend source Service ingress-nginx/ingress-nginx-controller is not in the input' }],
    },
  ],
});

const twoBackends = y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: IngressBackend
  metadata:
    name: api
    namespace: shop
  spec:
    backends:
      - name: api
        port: {number: 8080, protocol: http}
      - name: api
        port: {number: 8080, protocol: https}
        tls: {skipClientCertValidation: true}
    sources:
      - {kind: IPRange, name: 10.0.0.0/16}
`;

ruleTester('ingress-backend-conflicts', {
  valid: [
    { name: 'one backend, one IngressBackend', yaml: docs(ib('api', 'api', 8080, 'http', ipRange), ...world) },
  ],
  invalid: [
    { name: 'duplicate backend', yaml: docs(twoBackends, ...world), errors: [{ code: 'MESH1132', line: 10, column: 7, message: 'backend api port 8080 is listed twice in this IngressBackend' }] },
    {
      name: 'the same backend in two IngressBackends',
      yaml: docs(ib('api', 'api', 8080, 'http', ipRange), ib('api-b', 'api', 8080, 'http', ipRange), ...world),
      errors: [{ code: 'MESH1133', line: 22, column: 7, message: 'backend api port 8080 is also in IngressBackend shop/api' }],
    },
  ],
});

ruleTester('ingress-backend-sources', {
  valid: [
    { name: 'https with an authenticated principal', yaml: docs(ib('api', 'api', 8080, 'https', '      - {kind: AuthenticatedPrincipal, name: ingress.ingress-nginx.cluster.local}'), ...world) },
    { name: 'https without client validation', yaml: docs(ib('api', 'api', 8080, 'https', ipRange, '\n        tls: {skipClientCertValidation: true}'), ...world) },
    { name: 'plain http from an IPRange', yaml: docs(ib('api', 'api', 8080, 'http', ipRange), ...world) },
  ],
  invalid: [
    {
      name: 'unknown source kind',
      yaml: docs(ib('api', 'api', 8080, 'http', '      - {kind: ServiceAccount, name: nginx, namespace: ingress-nginx}'), ...world),
      errors: [{ code: 'MESH1135', line: 13, column: 14, message: 'kind "ServiceAccount" is not Service, AuthenticatedPrincipal or IPRange' }],
    },
    {
      name: 'Service source without namespace',
      yaml: docs(ib('api', 'api', 8080, 'http', '      - {kind: Service, name: nginx}'), ...world),
      errors: [{ code: 'MESH1135', line: 13, column: 7, message: 'Service nginx needs a namespace' }],
    },
    {
      name: 'plain http admitted by principal only: every client gets in',
      yaml: docs(ib('api', 'api', 8080, 'http', '      - {kind: AuthenticatedPrincipal, name: ingress.ingress-nginx.cluster.local}'), ...world),
      errors: [{ code: 'MESH1185', line: 11, column: 19, message: 'backend api port 8080 is plain http and no Service or IPRange source restricts who may connect' }],
    },
    {
      name: 'https validating client certificates without a principal',
      yaml: docs(ib('api', 'api', 8080, 'https', ipRange), ...world),
      errors: [{ code: 'MESH1135', line: 11, column: 19, message: 'no source of kind AuthenticatedPrincipal names the client' }],
    },
  ],
});

test.run();
