import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { world } from './world.ts';

/** hosts at line 10, ipAddresses at line 12, ports[0].protocol at 15:17. */
const egress = (hosts: string, ips: string, protocol: string) => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: Egress
  metadata:
    name: out
    namespace: shop
  spec:
    sources:
      - {kind: ServiceAccount, name: web, namespace: shop}
    hosts:
${hosts}
    ipAddresses:
${ips}
    ports:
      - number: 443
        protocol: ${protocol}
`;
const list = (...items: string[]) => items.map((i) => `      - ${i}`).join('\n') || '      []';
const withIps = y`
  apiVersion: v1
  kind: Service
  metadata:
    name: db
    namespace: shop
  spec:
    clusterIP: 10.96.0.20
    selector: {app: db}
    ports:
      - {port: 5432, name: tcp-db}
`;

ruleTester('egress-destinations', {
  valid: [
    { name: 'external host over https', yaml: docs(egress(list('api.github.com'), list('203.0.113.0/24'), 'https'), withIps, ...world) },
    { name: 'tcp by IP range only', yaml: docs(egress(list(), list('203.0.113.0/24'), 'tcp'), withIps, ...world) },
  ],
  invalid: [
    {
      name: 'http without hosts',
      yaml: docs(egress(list(), list('203.0.113.0/24'), 'http'), ...world),
      errors: [{ code: 'MESH1123', line: 15, column: 17, message: 'Egress port 443 is http but the Egress lists no hosts' }],
    },
    {
      name: 'a mesh Service FQDN as host',
      yaml: docs(egress(list('api.shop.svc.cluster.local'), list('203.0.113.0/24'), 'https'), ...world),
      errors: [{ code: 'MESH1124', line: 10, column: 7, message: 'Egress host api.shop.svc.cluster.local is inside the mesh (Service shop/api)' }],
    },
    {
      name: 'a short service name as host',
      yaml: docs(egress(list('api'), list('203.0.113.0/24'), 'https'), ...world),
      errors: [{ code: 'MESH1124', line: 10, column: 7, message: '(Service shop/api)' }],
    },
    {
      name: 'an IP range over a mesh ClusterIP',
      yaml: docs(egress(list('api.github.com'), list('10.96.0.0/16'), 'https'), withIps, ...world),
      errors: [{ code: 'MESH1124', line: 12, column: 7, message: 'Egress IP range 10.96.0.0/16 is inside the mesh (Service shop/db, ClusterIP 10.96.0.20)' }],
    },
  ],
});

test.run();
