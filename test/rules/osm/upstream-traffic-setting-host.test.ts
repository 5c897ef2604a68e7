import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { world } from './world.ts';

/** spec.host value at 7:9. */
const uts = (name: string, host: string, ns = 'shop') => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: UpstreamTrafficSetting
  metadata:
    name: ${name}
    namespace: ${ns}
  spec:
    host: ${host}
    connectionSettings:
      tcp: {maxConnections: 100}
`;
const egressNaming = (name: string) => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: Egress
  metadata:
    name: payments
    namespace: shop
  spec:
    sources:
      - {kind: ServiceAccount, name: web, namespace: shop}
    hosts: [payments.example.com]
    ports:
      - {number: 443, protocol: https}
    matches:
      - {apiGroup: policy.openservicemesh.io/v1alpha1, kind: UpstreamTrafficSetting, name: ${name}}
`;

ruleTester('upstream-traffic-setting-host', {
  valid: [
    { name: 'the FQDN of a Service of its namespace', yaml: docs(uts('api', 'api.shop.svc.cluster.local'), ...world) },
    { name: 'an external host an Egress names', yaml: docs(uts('payments', 'payments.example.com'), egressNaming('payments'), ...world) },
    { name: 'any host, when an Egress names it (OSM ignores the host then)', yaml: docs(uts('payments', 'payments-limits'), egressNaming('payments'), ...world) },
    { name: 'another cluster domain', yaml: docs(uts('api', 'api.shop.svc.corp.example'), ...world), options: { clusterDomain: 'corp.example' } },
  ],
  invalid: [
    {
      name: 'a host outside the mesh (the issue\'s bad input)',
      yaml: docs(uts('payments', 'payments.example.com'), ...world),
      errors: [{ code: 'MESH1140', line: 7, column: 9, message: 'UpstreamTrafficSetting host payments.example.com is outside the mesh' }],
    },
    {
      name: 'an external host whose Egress names another object',
      yaml: docs(uts('payments', 'payments.example.com'), egressNaming('other'), ...world),
      errors: [{ code: 'MESH1140', line: 7, column: 9, message: 'is a host Egress shop/payments opens, but OSM applies an UpstreamTrafficSetting to egress only through an Egress\'s matches, whatever its host: add {apiGroup: policy.openservicemesh.io/v1alpha1, kind: UpstreamTrafficSetting, name: payments} to the matches of payments' }],
    },
    {
      name: 'an external host no Egress of its namespace opens or names it',
      yaml: docs(uts('payments', 'api.example.org'), egressNaming('other'), ...world),
      errors: [{ code: 'MESH1140', line: 7, column: 9, message: 'no Egress of namespace shop names this UpstreamTrafficSetting' }],
    },
    {
      name: 'a short name',
      yaml: docs(uts('api', 'api'), ...world),
      errors: [{ code: 'MESH1140', line: 7, column: 9, message: 'is a short name: OSM compares the host with the full name, so write api.shop.svc.cluster.local' }],
    },
    {
      name: 'a Service of another namespace',
      yaml: docs(uts('api', 'api.shop.svc.cluster.local', 'edge'), ...world),
      errors: [{ code: 'MESH1140', line: 7, column: 9, message: 'names namespace shop, but an UpstreamTrafficSetting applies only to Services of its own namespace (edge)' }],
    },
    {
      name: 'a missing Service',
      yaml: docs(uts('api', 'apis.shop.svc.cluster.local'), ...world),
      errors: [{ code: 'MESH1140', line: 7, column: 9, message: 'stands for Service shop/apis, which is not in the input; did you mean "api"?' }],
    },
    {
      name: 'two settings for one host',
      yaml: docs(uts('api', 'api.shop.svc.cluster.local'), uts('api-2', 'api.shop.svc.cluster.local'), ...world),
      errors: [{ code: 'MESH1141', line: 17, column: 9, message: 'UpstreamTrafficSetting for host api.shop.svc.cluster.local also in shop/api' }],
    },
  ],
});

test.run();
