/**
 * Valid/invalid tables for the delivery rules (MESH0630–0632): what `meshc compile` cannot deliver as the policy
 * says, reported by `meshc check` from the same decisions (src/reach/delivery.ts).
 */
import { deployment, routeGroup, service, serviceAccount, tcpRoute, trafficTarget } from '../rules/objects.ts';
import { test } from 'uvu';
import { docs, ruleTester, y } from '../rules/tester.ts';

const client = (ns: string, name: string) => [serviceAccount(ns, name), deployment(ns, name, { app: name }, name)];

/** Service shop/api (HTTP port 80) over two Deployments running as shop/api-main and shop/api-audit. */
const apiService = y`
  apiVersion: v1
  kind: Service
  metadata:
    name: api
    namespace: shop
  spec:
    selector:
      app: api
    ports:
      - port: 80
        name: http
`;
const apiPods = [
  serviceAccount('shop', 'api-main'), serviceAccount('shop', 'api-audit'),
  deployment('shop', 'api-main', { app: 'api', track: 'main' }, 'api-main'),
  deployment('shop', 'api-audit', { app: 'api', track: 'audit' }, 'api-audit'),
];
/** Endpoints of shop/api naming each address's pod (targetRef). */
const apiEndpoints = (withUnnamed = false) => y`
  apiVersion: v1
  kind: Endpoints
  metadata:
    name: api
    namespace: shop
  subsets:
    - addresses:
        - ip: 10.0.0.1
          targetRef: {kind: Pod, name: api-main-5d8f7c9b4-abcde, namespace: shop}
        - ip: 10.0.0.2
          targetRef: {kind: Pod, name: api-audit-6c7d8e9f5-fghij, namespace: shop}${withUnnamed ? '\n        - ip: 10.0.0.3' : ''}
      ports:
        - port: 80
          name: http
`;

ruleTester('service-pods-deny-caller', {
  valid: [
    { name: 'the caller is admitted by every identity behind the Service', yaml: docs(apiService, ...apiPods, ...client('shop', 'web'), tcpRoute('shop', 'all'), trafficTarget('shop', 't1', 'api-main', ['web']), trafficTarget('shop', 't2', 'api-audit', ['web'])) },
    { name: 'endpoints told apart by pod: the caller\'s cluster holds only the admitting pods', yaml: docs(apiService, ...apiPods, apiEndpoints(), ...client('shop', 'web'), tcpRoute('shop', 'all'), trafficTarget('shop', 't1', 'api-main', ['web'])) },
    { name: 'permissive mode admits every caller everywhere', options: { permissive: true }, yaml: docs(apiService, ...apiPods, ...client('shop', 'web')) },
  ],
  invalid: [
    {
      name: 'endpoints unknown: part of the traffic reaches pods that refuse it',
      yaml: docs(apiService, ...apiPods, ...client('shop', 'web'), tcpRoute('shop', 'all'), trafficTarget('shop', 't1', 'api-main', ['web'])),
      errors: [{ code: 'MESH0630', line: 10, column: 7, message: 'shop/web may reach Service shop/api port 80, but its pods also run as shop/api-audit, which does not admit shop/web; their endpoints cannot be told apart' }],
    },
    {
      name: 'an address whose pod is not named: the endpoints cannot be told apart',
      yaml: docs(apiService, ...apiPods, apiEndpoints(true), ...client('shop', 'web'), tcpRoute('shop', 'all'), trafficTarget('shop', 't1', 'api-main', ['web'])),
      errors: [{ code: 'MESH0630', line: 10, column: 7 }],
    },
  ],
});

/** Two TCP Services on port 5672, neither with a ClusterIP. */
const queueA = y`
  apiVersion: v1
  kind: Service
  metadata:
    name: queue-a
    namespace: shop
  spec:
    selector:
      app: queue-a
    ports:
      - port: 5672
        name: tcp-amqp
`;
const queueB = (clusterIP?: string) => y`
  apiVersion: v1
  kind: Service
  metadata:
    name: queue-b
    namespace: shop
  spec:${clusterIP ? `\n    clusterIP: ${clusterIP}` : ''}
    selector:
      app: queue-b
    ports:
      - port: 5672
        name: tcp-amqp
`;
const queues = (b = queueB()) => [queueA, b, serviceAccount('shop', 'queue-a'), serviceAccount('shop', 'queue-b'),
  deployment('shop', 'queue-a', { app: 'queue-a' }, 'queue-a'), deployment('shop', 'queue-b', { app: 'queue-b' }, 'queue-b'),
  tcpRoute('shop', 'all')];

ruleTester('tcp-port-ambiguous', {
  valid: [
    { name: 'the second Service has a ClusterIP: its chain matches the address', yaml: docs(...queues(queueB('10.96.0.7')), ...client('shop', 'web'), trafficTarget('shop', 'ta', 'queue-a', ['web']), trafficTarget('shop', 'tb', 'queue-b', ['web'])) },
    { name: 'each caller reaches one of them', yaml: docs(...queues(), ...client('shop', 'web'), ...client('shop', 'batch'), trafficTarget('shop', 'ta', 'queue-a', ['web']), trafficTarget('shop', 'tb', 'queue-b', ['batch'])) },
  ],
  invalid: [
    {
      name: 'one caller reaches both on one port',
      yaml: docs(...queues(), ...client('shop', 'web'), trafficTarget('shop', 'ta', 'queue-a', ['web']), trafficTarget('shop', 'tb', 'queue-b', ['web'])),
      errors: [
        { code: 'MESH0631', line: 10, column: 7, message: 'Service shop/queue-a port 5672 is TCP with no known ClusterIP or endpoint address, and port 5672 also carries TCP service shop/queue-b for shop/web' },
        { code: 'MESH0631', line: 22, column: 7, message: 'Service shop/queue-b port 5672' },
      ],
    },
    {
      name: 'permissive mode: every proxy reaches both',
      options: { permissive: true },
      yaml: docs(...queues(), ...client('shop', 'web')),
      errors: [{ code: 'MESH0631', line: 10, column: 7, message: 'for shop/queue-a, shop/queue-b and shop/web' }, { code: 'MESH0631', line: 22, column: 7 }],
    },
  ],
});

ruleTester('tcp-port-catch-all', {
  valid: [
    { name: 'a TCP Service with a ClusterIP', yaml: docs(queueB('10.96.0.7'), serviceAccount('shop', 'queue-b'), deployment('shop', 'queue-b', { app: 'queue-b' }, 'queue-b'), tcpRoute('shop', 'all'), ...client('shop', 'web'), trafficTarget('shop', 'tb', 'queue-b', ['web'])) },
    { name: 'an HTTP Service without a ClusterIP is chosen by its Host header', yaml: docs(service('shop', 'api', { app: 'api' }), serviceAccount('shop', 'api'), deployment('shop', 'api', { app: 'api' }, 'api'), tcpRoute('shop', 'all'), ...client('shop', 'web'), trafficTarget('shop', 't', 'api', ['web'])) },
    { name: 'nobody reaches it', yaml: docs(queueA, serviceAccount('shop', 'queue-a'), deployment('shop', 'queue-a', { app: 'queue-a' }, 'queue-a')) },
  ],
  invalid: [
    {
      name: 'the one TCP Service of a caller on its port, without a ClusterIP',
      yaml: docs(queueA, serviceAccount('shop', 'queue-a'), deployment('shop', 'queue-a', { app: 'queue-a' }, 'queue-a'), tcpRoute('shop', 'all'), ...client('shop', 'web'), trafficTarget('shop', 'ta', 'queue-a', ['web'])),
      errors: [{ code: 'MESH0632', line: 10, column: 7, message: 'the outbound listener of shop/web matches it by port alone, so every connection from there to port 5672, to any address, goes to shop/queue-a' }],
    },
    {
      name: 'beside a TCP Service with a ClusterIP on the same port it still takes the rest',
      yaml: docs(queueA, ...queues(queueB('10.96.0.7')).slice(1), ...client('shop', 'web'), trafficTarget('shop', 'ta', 'queue-a', ['web']), trafficTarget('shop', 'tb', 'queue-b', ['web'])),
      errors: [{ code: 'MESH0632', line: 10, column: 7 }],
    },
  ],
});

/** Service shop/api (HTTP 80 → target port 8080) and shop/api-raw (TCP 9000 → the same target port) over one Deployment. */
const httpTarget = y`
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata:
    name: t
    namespace: shop
  spec:
    destination:
      kind: ServiceAccount
      name: api
      namespace: shop
    sources:
      - kind: ServiceAccount
        name: web
        namespace: shop
    rules:
      - kind: HTTPRouteGroup
        name: routes
        matches: [read]
`;
const sharedTarget = (rawName: string) => [
  service('shop', 'api', { app: 'api' }, [{ port: 80, name: 'http', targetPort: 8080 }]),
  service('shop', 'api-raw', { app: 'api' }, [{ port: 9000, name: rawName, targetPort: 8080 }]),
  serviceAccount('shop', 'api'), deployment('shop', 'api', { app: 'api' }, 'api', [{ containerPort: 8080 }]),
  ...client('shop', 'web'), routeGroup('shop', 'routes', ['read']),
];

ruleTester('http-rule-on-shared-tcp-target-port', {
  valid: [
    { name: 'both Services reach the target port as HTTP', yaml: docs(httpTarget, ...sharedTarget('http-raw')) },
  ],
  invalid: [
    {
      name: 'another Service reaches the same target port as TCP',
      yaml: docs(httpTarget, ...sharedTarget('tcp-raw')),
      errors: [{ code: 'MESH0633', line: 16, column: 7, message: 'HTTPRouteGroup rule shop/routes of TrafficTarget shop/t admits nothing at port 80 of Service shop/api: the pods running as shop/api serve its target port through one TCP chain, since Service port shop/api-raw:9000 reaches the same target port as TCP' }],
    },
  ],
});

const bank = y`
  apiVersion: v1
  kind: Service
  metadata:
    name: bank
    namespace: shop
  spec:
    type: ExternalName
    externalName: api.bank.example.com
    ports:
      - port: 443
        name: tcp-https
`;

ruleTester('external-name-outside-mesh', {
  valid: [
    { name: 'SMI mode: nothing is allowed without a TrafficTarget', yaml: docs(bank, ...client('shop', 'web')) },
    { name: 'permissive mode, an alias of an in-cluster name', options: { permissive: true }, yaml: docs(bank.replace('api.bank.example.com', 'ledger.pay.svc.cluster.local'), ...client('shop', 'web')) },
  ],
  invalid: [
    {
      name: 'permissive mode, a host outside the cluster',
      options: { permissive: true },
      yaml: docs(bank, ...client('shop', 'web')),
      errors: [{ code: 'MESH0634', line: 8, column: 17, message: 'Service shop/bank is an ExternalName Service for api.bank.example.com, outside the mesh: in permissive mode every identity may reach it, but no proxy forwards connections to it' }],
    },
  ],
});

test.run();
