/** ingress-backend-source-endpoints (MESH1180, MESH1181) and ingress-backend-inbound (MESH1182). */
import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { deployment, service } from '../objects.ts';
import { world } from './world.ts';

/** backends[0]: name 8:13, port.number 10:17; sources[0].name at 14:13 for a Service source. */
const ib = (backend: string, port: number, protocol: string, sources: string) => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: IngressBackend
  metadata:
    name: edge
    namespace: shop
  spec:
    backends:
      - name: ${backend}
        port:
          number: ${port}
          protocol: ${protocol}
    sources:
${sources}
`;
const nginx = '      - kind: Service\n        name: ingress-nginx-controller\n        namespace: ingress-nginx';
const ipRange = '      - {kind: IPRange, name: 10.0.0.0/16}';
const controller = (selector: Record<string, string> | null) => service('ingress-nginx', 'ingress-nginx-controller', selector, [{ port: 80, name: 'http' }]);
const endpoints = (ready: string[], notReady: string[] = []) => y`
  apiVersion: v1
  kind: Endpoints
  metadata:
    name: ingress-nginx-controller
    namespace: ingress-nginx
  subsets:
    - addresses: [${ready.map((ip) => `{ip: ${ip}}`).join(', ')}]
      notReadyAddresses: [${notReady.map((ip) => `{ip: ${ip}}`).join(', ')}]
      ports: [{name: http, port: 80}]
`;
const barePod = (ip: string) => y`
  apiVersion: v1
  kind: Pod
  metadata:
    name: controller-0
    namespace: ingress-nginx
    labels: {app: nginx}
  spec:
    containers: [{name: c, image: example/nginx:1}]
  status:
    podIP: ${ip}
`;

ruleTester('ingress-backend-source-endpoints', {
  valid: [
    { name: 'the controller Service has ready Endpoints', yaml: docs(ib('api', 8080, 'http', nginx), controller(null), endpoints(['10.0.5.10']), ...world) },
    { name: 'the controller Service selects a bare Pod with status.podIP', yaml: docs(ib('api', 8080, 'http', nginx), controller({ app: 'nginx' }), barePod('10.0.5.10'), ...world) },
    { name: 'IPRange sources only', yaml: docs(ib('api', 8080, 'http', ipRange), ...world) },
    { name: 'a missing source Service is ingress-backend-refs\' (MESH1134)', yaml: docs(ib('api', 8080, 'http', nginx), ...world) },
  ],
  invalid: [
    {
      name: 'Endpoints without a ready address',
      yaml: docs(ib('api', 8080, 'http', nginx), controller(null), endpoints([], ['10.0.5.10']), ...world),
      errors: [{ code: 'MESH1180', line: 14, column: 13, message: 'has no ready endpoint address (its Endpoints (or EndpointSlices) list no ready address): OSM drops the whole IngressBackend' }],
    },
    {
      name: 'no selector and no Endpoints',
      yaml: docs(ib('api', 8080, 'http', nginx), controller(null), ...world),
      errors: [{ code: 'MESH1180', line: 14, column: 13, message: '(it has no selector and no Endpoints object)' }],
    },
    {
      name: 'pods of a Deployment: IPs only known at run time',
      yaml: docs(ib('api', 8080, 'http', nginx), controller({ app: 'nginx' }), deployment('ingress-nginx', 'nginx', { app: 'nginx' }, null), ...world),
      errors: [{ code: 'MESH1181', line: 14, column: 13, message: 'meshc compile leaves IngressBackend shop/edge out' }],
    },
    {
      name: 'a selector that matches nothing',
      yaml: docs(ib('api', 8080, 'http', nginx), controller({ app: 'nginx' }), ...world),
      errors: [{ code: 'MESH1181', line: 14, column: 13, message: 'its selector matches no workload of the input' }],
    },
  ],
});

ruleTester('ingress-backend-inbound', {
  valid: [
    { name: 'a meshed backend on an HTTP target port', yaml: docs(ib('api', 8080, 'http', ipRange), ...world) },
    { name: 'a missing backend is ingress-backend-refs\' (MESH1130)', yaml: docs(ib('nope', 8080, 'http', ipRange), ...world) },
    { name: 'not a target port is ingress-backend-refs\' (MESH1131)', yaml: docs(ib('api', 9999, 'http', ipRange), ...world) },
  ],
  invalid: [
    {
      name: 'a backend Service that selects no workload',
      yaml: docs(ib('legacy', 8080, 'http', ipRange), service('shop', 'legacy', { app: 'legacy' }, [{ port: 80, targetPort: 8080, name: 'http' }]), ...world),
      errors: [{ code: 'MESH1182', line: 8, column: 13, message: 'Service shop/legacy selects no workload of the input, so no proxy has an inbound listener' }],
    },
    {
      name: 'a backend Service without selector',
      yaml: docs(ib('legacy', 8080, 'http', ipRange), service('shop', 'legacy', null, [{ port: 80, targetPort: 8080, name: 'http' }]), ...world),
      errors: [{ code: 'MESH1182', line: 8, column: 13, message: 'has no selector' }],
    },
    {
      name: 'a UDP backend port',
      yaml: docs(ib('dns', 5353, 'http', ipRange), service('shop', 'dns', { app: 'api' }, [{ port: 53, targetPort: 5353, name: 'dns', protocol: 'UDP' }]), ...world),
      errors: [{ code: 'MESH1182', line: 8, column: 13, message: 'the Service port is UDP, which the mesh does not proxy' }],
    },
  ],
});

test.run();
