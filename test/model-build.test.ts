/** Every accepted version is upgraded into the one canonical model. */
import { test } from 'uvu';
import { checkYaml } from './rules/tester.ts';
import * as assert from 'uvu/assert';
import { errors, modelOf, where } from './helpers/model.ts';

test('v1alpha1 TrafficTarget: flat layout, specs → rules, port → synthesised TCPRoute + rule, namespaces resolved', () => {
  const m = modelOf(`apiVersion: access.smi-spec.io/v1alpha1
kind: TrafficTarget
metadata:
  name: path-specific
  labels: {team: a}
destination:
  kind: ServiceAccount
  name: service-a
  port: 8080
specs:
- kind: HTTPRouteGroup
  name: the-routes
  matches: [metrics]
sources:
- kind: ServiceAccount
  name: prometheus
  namespace: monitoring
`, { namespace: 'shop' });
  assert.equal(m.diagnostics, []);
  const meta = {
    apiVersion: 'access.smi-spec.io/v1alpha1', kind: 'TrafficTarget', namespace: 'shop', name: 'path-specific',
    labels: { team: 'a' }, annotations: {}, namespaceDefaulted: true,
    origin: {
      doc: 0, path: [],
      rewrites: [[['spec', 'destination'], ['destination']], [['spec', 'rules'], ['specs']], [['spec', 'sources'], ['sources']], [['spec'], []], [['spec', 'rules', 1], ['destination', 'port']]],
    },
  };
  assert.equal(m.mesh.trafficTargets, [{
    meta,
    destination: { kind: 'ServiceAccount', name: 'service-a', namespace: 'shop', namespaceExplicit: false },
    rules: [{ kind: 'HTTPRouteGroup', name: 'the-routes', matches: ['metrics'] }, { kind: 'TCPRoute', name: 'path-specific:port-8080' }],
    sources: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring', namespaceExplicit: true }],
  }]);
  assert.equal(m.mesh.tcpRoutes, [{
    meta: {
      apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', namespace: 'shop', name: 'path-specific:port-8080',
      labels: {}, annotations: {}, origin: { doc: 0, path: ['destination', 'port'] }, namespaceDefaulted: true,
    },
    ports: [8080],
    synthesizedFrom: { apiVersion: 'access.smi-spec.io/v1alpha1', kind: 'TrafficTarget', namespace: 'shop', name: 'path-specific' },
  }]);
});

test('v1alpha2 TrafficTarget without port synthesises nothing; v1alpha3 is copied as is', () => {
  const v2 = modelOf(`apiVersion: access.smi-spec.io/v1alpha2
kind: TrafficTarget
metadata: {name: t, namespace: ns}
spec:
  destination: {kind: ServiceAccount, name: a, namespace: ns}
  rules: [{kind: TCPRoute, name: r}]
  sources: [{kind: ServiceAccount, name: b}]
`);
  assert.equal(v2.mesh.tcpRoutes, []);
  assert.equal(v2.mesh.trafficTargets[0]!.rules, [{ kind: 'TCPRoute', name: 'r' }]);
  assert.equal(v2.mesh.trafficTargets[0]!.sources, [{ kind: 'ServiceAccount', name: 'b', namespace: 'ns', namespaceExplicit: false }]);
  assert.is(v2.mesh.trafficTargets[0]!.meta.origin.rewrites, undefined);
});

test('TCPRoute and UDPRoute: no spec / empty spec / ports: [] mean every port', () => {
  const route = (version: string, spec: string, kind = 'TCPRoute') => modelOf(`apiVersion: specs.smi-spec.io/${version}\nkind: ${kind}\nmetadata: {name: r}\n${spec}`);
  assert.equal(route('v1alpha1', '').mesh.tcpRoutes[0]!.ports, []);
  assert.equal(route('v1alpha2', '').mesh.tcpRoutes[0]!.ports, []);
  assert.equal(route('v1alpha3', 'spec: {}\n').mesh.tcpRoutes[0]!.ports, []);
  assert.equal(route('v1alpha4', 'spec: {matches: {ports: []}}\n').mesh.tcpRoutes[0]!.ports, []);
  const some = route('v1alpha4', 'spec:\n  matches:\n    name: mysql\n    ports: [3306, 6446]\n');
  assert.equal(some.diagnostics, []);
  assert.equal(some.mesh.tcpRoutes[0]!.ports, [3306, 6446]);
  assert.equal(route('v1alpha4', 'spec: {matches: {ports: [53]}}\n', 'UDPRoute').mesh.udpRoutes[0]!.ports, [53]);
  const bare = route('v1alpha4', '');
  assert.equal(where(bare), ['MESH0118 2:7']);
  assert.is(bare.diagnostics[0]!.severity, 'warning');
  assert.equal(bare.mesh.tcpRoutes[0]!.ports, []);
  assert.equal(where(route('v1alpha4', 'spec: {}\n')), ['MESH0110 4:1']);
  assert.equal(where(route('v1alpha4', 'spec: {matches: {}}\n')), ['MESH0110 4:8']);
  assert.equal(where(route('v1alpha2', 'spec: {}\n')), ['MESH0109 4:1']);
});

test('check: a v1alpha4 route without ports — no spec is a warning, `spec: {}` and `matches: {}` are errors that say why (the CRD rejects them)', async () => {
  const route = (spec: string) => `apiVersion: specs.smi-spec.io/v1alpha4\nkind: UDPRoute\nmetadata: {name: dns, namespace: shop}\n${spec}`;
  const shown = async (spec: string) => (await checkYaml(route(spec))).map((d) => `${d.code} ${d.severity} ${d.range?.line}:${d.range?.column} ${d.message}`);
  assert.equal(await shown(''), ['MESH0118 warning 2:7 UDPRoute has no spec.matches.ports: meshc reads it as every port; write `spec: {matches: {ports: []}}` to say so']);
  const why = 'the SMI prose reads a UDPRoute without ports as every port, but an API server with the smi-sdk-go CRD rejects it once `spec` is written; write `spec: {matches: {ports: []}}` for every port';
  assert.equal(await shown('spec: {}\n'), [`MESH0110 error 4:1 missing required field \`matches\` in spec (UDPRoute specs.smi-spec.io/v1alpha4): ${why}`]);
  assert.equal(await shown('spec: {matches: {}}\n'), [`MESH0110 error 4:8 missing required field \`ports\` in spec.matches (UDPRoute specs.smi-spec.io/v1alpha4): ${why}`]);
  assert.equal(await shown('spec: {matches: {ports: []}}\n'), []);
});

test('HTTPRouteGroup: methods stay undefined when absent, headers normalise to lower-cased names', () => {
  const m = modelOf(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, namespace: ns}
spec:
  matches:
  - name: metrics
    pathRegex: /metrics
    methods: [GET]
  - name: android
    headers:
      User-Agent: ".*Android.*"
`);
  assert.equal(m.diagnostics, []);
  assert.equal(m.mesh.httpRouteGroups[0]!.matches, [
    { name: 'metrics', pathRegex: '/metrics', methods: ['GET'], headers: [] },
    { name: 'android', headers: [{ name: 'user-agent', value: '.*Android.*' }] },
  ]);
  assert.equal(m.mesh.httpRouteGroups[0]!.meta.origin.rewrites, [[['spec', 'matches', 1, 'headers', 'user-agent'], ['spec', 'matches', 1, 'headers', 'User-Agent']]]);
  const v1 = modelOf('apiVersion: specs.smi-spec.io/v1alpha1\nkind: HTTPRouteGroup\nmetadata: {name: g}\nmatches: [{name: all, pathRegex: ".*", methods: ["*"]}]\n');
  assert.equal(v1.mesh.httpRouteGroups[0]!.matches, [{ name: 'all', pathRegex: '.*', methods: ['*'], headers: [] }]);
  const bare = modelOf('apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: g}\n');
  assert.equal(bare.diagnostics, [], 'neither CRD requires spec in v1alpha4; an empty group is a lint finding');
  assert.equal(bare.mesh.httpRouteGroups[0]!.matches, []);
});

test('TrafficSplit v1alpha4 with matches, and IdentityBinding', () => {
  const m = modelOf(`apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: ab-test}
spec:
  service: website
  matches:
  - {kind: HTTPRouteGroup, apiGroup: specs.smi-spec.io, name: ab-test}
  backends:
  - {service: website-v1, weight: 0}
  - {service: website-v2, weight: 100}
---
apiVersion: access.smi-spec.io/v1alpha4
kind: IdentityBinding
metadata: {name: service-a}
spec:
  schemes:
    podLabelSelector: {matchLabels: {app: a}}
    spiffeIdentities: [cluster.local/ns/default/sa/service-a]
`, { draft: true });
  assert.equal(m.diagnostics, []);
  const split = m.mesh.trafficSplits[0]!;
  assert.equal({ ...split, meta: undefined }, {
    meta: undefined, service: 'website', weightUnit: 'integer',
    backends: [{ service: 'website-v1', weight: 0 }, { service: 'website-v2', weight: 100 }],
    matches: [{ kind: 'HTTPRouteGroup', name: 'ab-test', apiGroup: 'specs.smi-spec.io' }],
  });
  assert.equal({ ...m.mesh.identityBindings[0]!, meta: undefined }, {
    meta: undefined, podLabelSelector: { app: 'a' }, spiffeIdentities: ['cluster.local/ns/default/sa/service-a'],
  });
  const bad = modelOf('apiVersion: access.smi-spec.io/v1alpha4\nkind: IdentityBinding\nmetadata: {name: b}\nspec:\n  schemes: {}\n', { draft: true });
  assert.equal(where(bad), ['MESH0112 5:12']);
});

test('Service: selector null when absent, targetPort defaults to port, protocol to TCP', () => {
  const m = modelOf(`apiVersion: v1
kind: Service
metadata: {name: db, namespace: data}
spec:
  ports:
  - {name: mysql, port: 3306, appProtocol: tcp}
  - {port: 53, targetPort: dns, protocol: UDP}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  clusterIP: 10.0.0.10
  ports: [{port: 80, targetPort: 8080}]
`);
  assert.equal(m.diagnostics, []);
  assert.equal(m.mesh.services.map((s) => ({ ...s, meta: s.meta.name })), [
    { meta: 'db', selector: null, type: 'ClusterIP', ports: [{ name: 'mysql', port: 3306, targetPort: 3306, protocol: 'TCP', appProtocol: 'tcp' }, { port: 53, targetPort: 'dns', protocol: 'UDP' }] },
    { meta: 'web', selector: { app: 'web' }, type: 'NodePort', clusterIP: '10.0.0.10', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  ]);
  assert.equal(where(modelOf('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: "80"}]\n  selector: {version: 2}\n')), ['MESH0111 6:23', 'MESH0111 5:18']);
});

test('workloads: template labels, service account (also the deprecated field), container ports, replicas, pod IP', () => {
  const m = modelOf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers:
      - name: main
        ports: [{containerPort: 8080, name: http}, {containerPort: 53, protocol: UDP}]
      - name: sidecar
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      serviceAccount: legacy
---
apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: p}}
spec: {containers: [{name: c}]}
status: {podIP: 10.1.2.3}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
status: {readyReplicas: 1}
`);
  assert.equal(m.diagnostics, []);
  assert.equal(m.mesh.workloads.map((w) => ({ ...w, meta: `${w.meta.namespace}/${w.meta.name}` })), [
    {
      meta: 'shop/api', workloadKind: 'Deployment', podLabels: { app: 'api' }, podSpecPath: ['spec', 'template', 'spec'], serviceAccountName: 'api', replicas: 3,
      containerPorts: [{ container: 'main', containerPort: 8080, name: 'http', protocol: 'TCP' }, { container: 'main', containerPort: 53, protocol: 'UDP' }], probes: [],
    },
    { meta: 'default/agent', workloadKind: 'DaemonSet', podLabels: {}, podSpecPath: ['spec', 'template', 'spec'], serviceAccountName: 'legacy', containerPorts: [], probes: [] },
    { meta: 'default/p', workloadKind: 'Pod', podLabels: { app: 'p' }, podSpecPath: ['spec'], serviceAccountName: null, containerPorts: [], probes: [], podIP: '10.1.2.3' },
    { meta: 'default/s', workloadKind: 'StatefulSet', podLabels: {}, podSpecPath: ['spec', 'template', 'spec'], serviceAccountName: null, containerPorts: [], probes: [] },
  ]);
  const wrong = modelOf('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: "2"\n  template: {spec: {containers: [{name: c, ports: [{containerPort: 0}]}]}}\n  anything: {else: 1}\n');
  assert.equal(where(wrong), ['MESH0111 5:13', 'MESH0112 6:68']);
  assert.equal(wrong.mesh.workloads, []);
});

test('Endpoints (one set per subset) and EndpointSlices (v1 and v1beta1)', () => {
  const m = modelOf(`apiVersion: v1
kind: Endpoints
metadata: {name: web}
subsets:
- addresses: [{ip: 10.0.0.1, nodeName: n1, targetRef: {kind: Pod, name: web-1}}]
  notReadyAddresses: [{ip: 10.0.0.2}]
  ports: [{port: 80, name: http}]
- addresses: [{ip: 10.0.0.3}]
  ports: [{port: 8080}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: empty}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-x1, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints:
- addresses: [10.0.0.4]
  conditions: {ready: false}
  zone: z1
  nodeName: n2
  targetRef: {kind: Pod, name: web-4}
ports: [{port: 80, protocol: TCP, name: http}, {port: null}]
---
apiVersion: discovery.k8s.io/v1beta1
kind: EndpointSlice
metadata: {name: web-x2, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints:
- addresses: [10.0.0.5]
  topology: {topology.kubernetes.io/zone: z2, kubernetes.io/hostname: n3}
`);
  assert.equal(m.diagnostics, []);
  assert.equal(m.mesh.endpoints.map((e) => ({ ...e, meta: e.meta.name })), [
    { meta: 'web', serviceName: 'web', addresses: [{ ip: '10.0.0.1', ready: true, nodeName: 'n1', podName: 'web-1' }, { ip: '10.0.0.2', ready: false }], ports: [{ port: 80, name: 'http', protocol: 'TCP' }] },
    { meta: 'web', serviceName: 'web', addresses: [{ ip: '10.0.0.3', ready: true }], ports: [{ port: 8080, protocol: 'TCP' }] },
    { meta: 'empty', serviceName: 'empty', addresses: [], ports: [] },
    { meta: 'web-x1', serviceName: 'web', addresses: [{ ip: '10.0.0.4', ready: false, zone: 'z1', nodeName: 'n2', podName: 'web-4' }], ports: [{ port: 80, name: 'http', protocol: 'TCP' }] },
    { meta: 'web-x2', serviceName: 'web', addresses: [{ ip: '10.0.0.5', ready: true, zone: 'z2', nodeName: 'n3' }], ports: [] },
  ]);
  const orphan = modelOf('apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: x}\naddressType: IPv4\nendpoints: []\n');
  assert.equal(where(orphan), ['MESH0119 3:1']);
  assert.equal(orphan.mesh.endpoints, []);
});

test('endpoint and pod addresses that are no IP (of the declared family) are MESH0112 at the address', () => {
  const m = modelOf(`apiVersion: v1
kind: Endpoints
metadata: {name: web}
subsets:
- addresses: [{ip: 10.0.0.1}, {ip: web-0.shop}]
  notReadyAddresses: [{ip: 10.0.0.300}, {ip: "fd00::2"}]
  ports: [{port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-v4, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints:
- addresses: [10.0.0.4, "fd00::1"]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-v6, labels: {kubernetes.io/service-name: web}}
addressType: IPv6
endpoints:
- addresses: ["fd00::1", 10.0.0.5]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: a, image: x}]}
status: {podIP: nope}
`);
  assert.equal(where(m), ['MESH0112 5:36', 'MESH0112 6:28', 'MESH0112 14:25', 'MESH0112 21:26', 'MESH0112 27:17']);
  assert.match(m.diagnostics[0]!.message, /subsets\[0\]\.addresses\[1\]\.ip is "web-0\.shop": not an IP address/);
  assert.match(m.diagnostics[2]!.message, /an IPv6 address in an EndpointSlice whose addressType is IPv4/);
  // As with every schema error, the objects are rejected: compile cannot run on them.
  assert.equal([m.mesh.workloads.length, m.mesh.endpoints.length, m.mesh.rejected.length], [0, 0, 4]);
});

test('Namespaces are cluster-scoped; other objects take config.namespace when they have none', () => {
  const m = modelOf('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, namespace: ignored}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: b, namespace: shop}\n', { namespace: 'team' });
  assert.equal(errors(m), []);
  assert.equal(m.mesh.namespaces.map((n) => [n.meta.namespace, n.meta.name, n.meta.namespaceDefaulted]), [['', 'shop', undefined]]);
  assert.equal(m.mesh.serviceAccounts.map((n) => [n.meta.namespace, n.meta.name, n.meta.namespaceDefaulted]), [['team', 'a', true], ['shop', 'b', undefined]]);
});

test('a schema-invalid object is left out of the model but recorded as rejected', () => {
  const m = modelOf('apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: g, namespace: ns}\nspec:\n  matches: [{name: m, methods: [FETCH]}]\n');
  assert.equal(where(m), ['MESH0112 5:33']);
  assert.equal(m.mesh.httpRouteGroups, []);
  assert.equal(m.mesh.rejected, [{ ref: { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', namespace: 'ns', name: 'g' }, origin: { doc: 0, path: [] } }]);
});

test.run();
