/**
 * Valid/invalid tables for the reachability lint rules (MESH0601–0607),
 * through YAML, the real model builder and every rule.
 */
import { test } from 'uvu';
import { deployment, routeGroup, service, serviceAccount, tcpRoute, trafficSplit, trafficTarget, udpRoute, type PortSpec } from '../rules/objects.ts';
import * as assert from 'uvu/assert';
import { checkYaml, docs, ruleTester, y } from '../rules/tester.ts';

const app = (ns: string, name: string, ports: PortSpec[] = [{ port: 80, name: 'http' }]) =>
  [serviceAccount(ns, name), service(ns, name, { app: name }, ports), deployment(ns, name, { app: name }, name)];
const client = (ns: string, name: string) => [serviceAccount(ns, name), deployment(ns, name, { app: name }, name)];

// ---------------------------------------------------------------- MESH0601

const ingressBackend = (backend: string) => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: IngressBackend
  metadata: {name: edge, namespace: shop}
  spec:
    backends: [{name: ${backend}, port: {number: 80, protocol: http}}]
    sources: [{kind: IPRange, name: 10.0.0.0/16}]
`;
const osmOff = y`
  apiVersion: config.openservicemesh.io/v1alpha2
  kind: MeshConfig
  metadata: {name: osm-mesh-config, namespace: shop}
  spec:
    featureFlags: {enableIngressBackendPolicy: false}
`;

ruleTester('service-unreachable', {
  valid: [
    { name: 'a TrafficTarget admits a caller', yaml: docs(...app('shop', 'api'), ...client('shop', 'web'), tcpRoute('shop', 'all'), trafficTarget('shop', 't', 'api', ['web'])) },
    { name: 'permissive mode', options: { permissive: true }, yaml: docs(...app('shop', 'api')) },
    { name: 'a Service that selects no pod is a topology finding, not this one', yaml: docs(service('shop', 'ghost', { app: 'ghost' })) },
    { name: 'the backend of an IngressBackend is reached from outside the mesh', yaml: docs(...app('shop', 'api'), ingressBackend('api')) },
    {
      name: 'no workloads at all (policy-only input): a split root whose backends select no pod is not judged either',
      yaml: docs(service('shop', 'api', { app: 'api' }), service('shop', 'api-v1', { app: 'api', version: 'v1' }), service('shop', 'api-v2', { app: 'api', version: 'v2' }),
        trafficSplit('shop', 's', 'api', [['api-v1', 90], ['api-v2', 10]])),
    },
    {
      name: 'a split root reached only through its backends',
      yaml: docs(service('shop', 'api', { app: 'api' }), ...app('shop', 'api-v1'), ...client('shop', 'web'), tcpRoute('shop', 'all'),
        trafficTarget('shop', 't', 'api-v1', ['web']), trafficSplit('shop', 's', 'api', [['api-v1', 100]])),
    },
  ],
  invalid: [
    {
      name: 'an IngressBackend the MeshConfig switches off (enableIngressBackendPolicy) reaches nothing',
      yaml: docs(...app('shop', 'api'), ingressBackend('api'), osmOff),
      errors: [{ code: 'MESH0601', line: 10, column: 9, message: 'no identity may reach Service shop/api' }],
    },
    {
      name: 'nobody may call the Service',
      yaml: docs(y`
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
      `, serviceAccount('shop', 'api'), deployment('shop', 'api', { app: 'api' }, 'api'), ...client('shop', 'web')),
      errors: [{ code: 'MESH0601', line: 4, column: 9, message: 'no identity may reach Service shop/api: no TrafficTarget admits any caller to shop/api' }],
    },
    {
      name: 'a TrafficTarget whose TCPRoute ports miss the Service port leaves it unreachable',
      yaml: docs(y`
        apiVersion: v1
        kind: Service
        metadata:
          name: db
          namespace: shop
        spec:
          selector:
            app: db
          ports:
            - port: 5432
      `, serviceAccount('shop', 'db'), deployment('shop', 'db', { app: 'db' }, 'db'), ...client('shop', 'web'), tcpRoute('shop', 'mysql', [3306]), trafficTarget('shop', 't', 'db', ['web'], 'mysql')),
      errors: [{ code: 'MESH0601', line: 4, column: 9 }],
    },
  ],
});

// ---------------------------------------------------------------- MESH0602–0604

ruleTester('traffic-target-grants-nothing', {
  valid: [
    { name: 'destination runs workloads behind a Service, rule covers its port', yaml: docs(...app('shop', 'api'), ...client('shop', 'web'), tcpRoute('shop', 'all', [80]), trafficTarget('shop', 't', 'api', ['web'])) },
    { name: 'policy-only input (no workloads at all) is not judged', yaml: docs(tcpRoute('shop', 'all'), serviceAccount('shop', 'api'), serviceAccount('shop', 'web'), trafficTarget('shop', 't', 'api', ['web'])) },
    {
      name: 'destination declared external',
      options: { assumeExternal: ['ServiceAccount/shop/api'] },
      yaml: docs(...client('shop', 'web'), tcpRoute('shop', 'all'), trafficTarget('shop', 't', 'api', ['web'])),
    },
    { name: 'a target port matches a TCPRoute port', yaml: docs(...app('shop', 'api', [{ port: 80, name: 'http', targetPort: 8080 } as never]), ...client('shop', 'web'), tcpRoute('shop', 'all', [8080]), trafficTarget('shop', 't', 'api', ['web'])) },
    {
      name: 'a misspelt destination ServiceAccount is MESH0212 (subject not found), not also this warning',
      yaml: docs(...app('shop', 'reviews'), ...client('shop', 'web'), tcpRoute('shop', 'all'), trafficTarget('shop', 't', 'reviws', ['web'])),
    },
  ],
  invalid: [
    {
      name: 'no workload runs as the destination identity',
      yaml: docs(y`
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
          rules:
            - kind: TCPRoute
              name: all
          sources:
            - kind: ServiceAccount
              name: web
              namespace: shop
      `, serviceAccount('shop', 'api'), ...client('shop', 'web'), tcpRoute('shop', 'all')),
      errors: [{ code: 'MESH0602', line: 9, column: 11, message: 'no workload runs as destination identity shop/api: this TrafficTarget grants nothing' }],
    },
    {
      name: 'pods run as the destination but no Service selects them',
      yaml: docs(y`
        apiVersion: access.smi-spec.io/v1alpha3
        kind: TrafficTarget
        metadata:
          name: t
          namespace: shop
        spec:
          destination:
            kind: ServiceAccount
            name: worker
            namespace: shop
          rules:
            - kind: TCPRoute
              name: all
          sources:
            - kind: ServiceAccount
              name: web
              namespace: shop
      `, ...client('shop', 'worker'), ...client('shop', 'web'), tcpRoute('shop', 'all')),
      errors: [{ code: 'MESH0604', line: 9, column: 11, message: 'destination identity shop/worker runs Deployment worker but no Service selects its pods' }],
    },
    {
      name: 'TCPRoute ports and a UDPRoute that cover no port of the destination',
      yaml: docs(y`
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
          rules:
            - kind: TCPRoute
              name: mysql
            - kind: UDPRoute
              name: dns
            - kind: TCPRoute
              name: all
          sources:
            - kind: ServiceAccount
              name: web
              namespace: shop
      `, ...app('shop', 'api'), ...client('shop', 'web'), tcpRoute('shop', 'mysql', [3306]), udpRoute('shop', 'dns', []), tcpRoute('shop', 'all')),
      errors: [
        { code: 'MESH0603', line: 12, column: 7, message: 'rule TCPRoute mysql (ports 3306) covers no port of the Services shop/api serves (shop/api:80/TCP)' },
        { code: 'MESH0603', line: 14, column: 7, message: 'rule UDPRoute dns covers no port' },
      ],
    },
  ],
});

// ---------------------------------------------------------------- MESH0605

const everything = y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata:
    name: routes
    namespace: shop
  spec:
    matches:
      - name: everything
        pathRegex: ".*"
        methods: ["*"]
      - name: getonly
        pathRegex: ".*"
        methods: [GET]
      - name: api
        pathRegex: "/api/.*"
      - name: api-users
        pathRegex: "/api/users"
        methods: [GET]
      - name: alternation
        pathRegex: "/(api|v1)/users"
        methods: [GET]
`;

const httpTarget = (name: string, sources: string[], matches: string[]) => y`
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata:
    name: ${name}
    namespace: shop
  spec:
    destination:
      kind: ServiceAccount
      name: api
      namespace: shop
    rules:
      - kind: HTTPRouteGroup
        name: routes
        matches: [${matches.join(', ')}]
    sources:
${sources.map((s) => `      - kind: ServiceAccount\n        name: ${s}\n        namespace: shop`).join('\n')}
`;

const callers = [...app('shop', 'api'), ...client('shop', 'a'), ...client('shop', 'b'), everything];

ruleTester('http-match-shadowed', {
  valid: [
    { name: 'the same sources on overlapping matches', yaml: docs(httpTarget('t1', ['a', 'b'], ['everything']), httpTarget('t2', ['a', 'b'], ['getonly']), ...callers) },
    { name: 'a broader match with a superset of the sources comes first', yaml: docs(httpTarget('t1', ['a', 'b'], ['everything']), httpTarget('t2', ['b'], ['getonly']), ...callers) },
    { name: 'an overlap meshc cannot decide (alternation) is not reported', yaml: docs(httpTarget('t1', ['a'], ['api']), httpTarget('t2', ['b'], ['alternation']), ...callers) },
    { name: 'permissive mode', options: { permissive: true }, yaml: docs(httpTarget('t1', ['a'], ['everything']), httpTarget('t2', ['b'], ['getonly']), ...callers) },
  ],
  invalid: [
    {
      name: 'osm#5297: a wildcard route first shadows the GET route of another source',
      yaml: docs(httpTarget('t1', ['a'], ['everything']), httpTarget('t2', ['b'], ['getonly']), ...callers),
      errors: [{ code: 'MESH0605', line: 31, column: 7, message: 'match getonly of HTTPRouteGroup shop/routes (granted to shop/b) is shadowed by the broader match everything of HTTPRouteGroup shop/routes from TrafficTarget shop/t1' }],
    },
    {
      name: 'the narrower match comes first: the broader match loses its requests',
      yaml: docs(httpTarget('t1', ['b'], ['getonly']), httpTarget('t2', ['a'], ['everything']), ...callers),
      errors: [{ code: 'MESH0605', line: 31, column: 7, message: 'match everything of HTTPRouteGroup shop/routes (granted to shop/a) overlaps the narrower match getonly of HTTPRouteGroup shop/routes from TrafficTarget shop/t1, which comes first for destination shop/api: OSM would deny shop/a the requests getonly matches' }],
    },
    {
      name: 'a literal-prefix match followed by .* shadows a longer literal path',
      yaml: docs(httpTarget('t1', ['a'], ['api']), httpTarget('t2', ['a', 'b'], ['api-users']), ...callers),
      errors: [{ code: 'MESH0605', line: 31, column: 7, message: 'OSM would deny shop/b these requests' }],
    },
  ],
});

// ---------------------------------------------------------------- MESH0606

const split = (v1: number, v2: number) => y`
  apiVersion: split.smi-spec.io/v1alpha4
  kind: TrafficSplit
  metadata:
    name: split
    namespace: shop
  spec:
    service: api
    backends:
      - service: api-v1
        weight: ${v1}
      - service: api-v2
        weight: ${v2}
`;
const versions = [
  service('shop', 'api', { app: 'api' }), serviceAccount('shop', 'api-v1'), serviceAccount('shop', 'api-v2'),
  service('shop', 'api-v1', { app: 'api', version: 'v1' }), service('shop', 'api-v2', { app: 'api', version: 'v2' }),
  deployment('shop', 'api-v1', { app: 'api', version: 'v1' }, 'api-v1'), deployment('shop', 'api-v2', { app: 'api', version: 'v2' }, 'api-v2'),
  ...client('shop', 'web'), tcpRoute('shop', 'all'),
];

ruleTester('split-backend-denies-caller', {
  valid: [
    { name: 'every backend admits the caller', yaml: docs(split(90, 10), ...versions, trafficTarget('shop', 't1', 'api-v1', ['web']), trafficTarget('shop', 't2', 'api-v2', ['web'])) },
    { name: 'the denying backend has weight 0', yaml: docs(split(100, 0), ...versions, trafficTarget('shop', 't1', 'api-v1', ['web'])) },
    { name: 'a caller allowed to no backend is plainly denied, not partially', yaml: docs(split(50, 50), ...versions) },
    {
      // smi#18: "*" is MESH0212's finding (no wildcard, no identity), not a caller that a backend denies.
      name: 'a "*" source is no caller, even declared external',
      yaml: docs(split(90, 10), ...versions, trafficTarget('shop', 't1', 'api-v1', ['web']), trafficTarget('shop', 't2', 'api-v2', ['web']), trafficTarget('shop', 't3', 'api-v1', ['"*"'])),
      options: { assumeExternal: ['ServiceAccount/shop/*'] },
    },
  ],
  invalid: [
    {
      name: 'the canary backend does not admit the caller',
      yaml: docs(split(90, 10), ...versions, trafficTarget('shop', 't1', 'api-v1', ['web'])),
      errors: [{ code: 'MESH0606', line: 11, column: 7, message: 'shop/web → shop/api: 10% of requests go to shop/api-v2, whose identity does not allow shop/web' }],
    },
    {
      name: 'a backend identity calling its own root is denied by the other backend',
      yaml: docs(split(50, 50), ...versions, trafficTarget('shop', 't1', 'api-v1', ['api-v2', 'web'])),
      errors: [{ code: 'MESH0606', line: 11, column: 7, message: 'shop/api-v2 and shop/web → shop/api: 50% of requests go to shop/api-v2, whose identity does not allow them' }],
    },
  ],
});

// ---------------------------------------------------------------- MESH0607

/** TrafficTarget t: shop/web may use HTTPRouteGroup `routes` (match read) on shop/db; the rule is at 12:7. */
const tcpPortTarget = y`
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata:
    name: t
    namespace: shop
  spec:
    destination:
      kind: ServiceAccount
      name: db
      namespace: shop
    rules:
      - kind: HTTPRouteGroup
        name: routes
        matches: [read]
    sources:
      - kind: ServiceAccount
        name: web
        namespace: shop
`;
const dbWith = (ports: { port: number; name?: string }[]) => [...app('shop', 'db', ports), ...client('shop', 'web'), routeGroup('shop', 'routes', ['read'])];
const mysqlService = y`
  apiVersion: v1
  kind: Service
  metadata:
    name: db
    namespace: shop
  spec:
    selector:
      app: db
    ports:
      - port: 3306
        appProtocol: mysql
`;

ruleTester('http-rule-on-tcp-port', {
  valid: [
    { name: 'an HTTP port (name http)', yaml: docs(tcpPortTarget, ...dbWith([{ port: 80, name: 'http' }])) },
    { name: 'an unnamed port is HTTP', yaml: docs(tcpPortTarget, ...dbWith([{ port: 80 }])) },
    { name: 'one HTTP port beside a plain-TCP one: the rule applies there', yaml: docs(tcpPortTarget, ...dbWith([{ port: 80, name: 'http' }, { port: 5432, name: 'tcp-db' }])) },
    {
      name: 'every caller of the rule reaches the plain-TCP port through a TCPRoute rule',
      yaml: docs(tcpPortTarget, ...dbWith([{ port: 5432, name: 'tcp-db' }]), tcpRoute('shop', 'all'), trafficTarget('shop', 't2', 'db', ['web'])),
    },
    { name: 'permissive mode', options: { permissive: true }, yaml: docs(tcpPortTarget, ...dbWith([{ port: 5432, name: 'tcp-db' }])) },
  ],
  invalid: [
    {
      name: 'the only port is plain TCP by its name',
      yaml: docs(tcpPortTarget, ...dbWith([{ port: 5432, name: 'tcp-db' }])),
      errors: [{ code: 'MESH0607', line: 12, column: 7, message: 'HTTPRouteGroup rule shop/routes of TrafficTarget shop/t can never apply to port 5432 of Service shop/db, which is plain TCP by' }],
    },
    {
      name: 'the only port is plain TCP by its appProtocol: the fix says to set appProtocol',
      yaml: docs(tcpPortTarget, mysqlService, serviceAccount('shop', 'db'), deployment('shop', 'db', { app: 'db' }, 'db'), ...client('shop', 'web'), routeGroup('shop', 'routes', ['read'])),
      errors: [{ code: 'MESH0607', line: 12, column: 7, message: /port 3306 of Service shop\/db, which is plain TCP by .*appProtocol.*: if it carries HTTP, set appProtocol: http \(or grpc\); otherwise grant it with a TCPRoute/ }],
    },
    {
      name: 'a TCPRoute for another caller does not help this one',
      yaml: docs(tcpPortTarget, ...dbWith([{ port: 5432, name: 'tcp-db' }]), ...client('shop', 'batch'), tcpRoute('shop', 'all'), trafficTarget('shop', 't2', 'db', ['batch'])),
      errors: [{ code: 'MESH0607', line: 12, column: 7, message: 'name it http-… (or grpc-…) or set appProtocol: http, or grant it with a TCPRoute' }],
    },
  ],
});

test('one misspelt destination ServiceAccount: one finding at the name (MESH0212 with a suggestion), no MESH0602 beside it', async () => {
  const found = await checkYaml(docs(trafficTarget('shop', 't', 'reviws', ['web']), ...app('shop', 'reviews'), ...client('shop', 'web'), tcpRoute('shop', 'all')));
  assert.equal(found.filter((d) => d.code === 'MESH0212' || d.code === 'MESH0602').map((d) => `${d.code} ${d.range?.line}:${d.range?.column} ${d.message}`), [
    'MESH0212 9:11 destination ServiceAccount shop/reviws is not declared; did you mean "reviews"?',
  ]);
  // With the subject check disabled, the reachability warning is still there.
  const without = await checkYaml(docs(trafficTarget('shop', 't', 'reviws', ['web']), ...app('shop', 'reviews'), ...client('shop', 'web'), tcpRoute('shop', 'all')), { disableRules: ['traffic-target-subjects-exist'] });
  assert.equal(without.filter((d) => d.code === 'MESH0212' || d.code === 'MESH0602').map((d) => `${d.code} ${d.range?.line}:${d.range?.column}`), ['MESH0602 9:11']);
});

test.run();
