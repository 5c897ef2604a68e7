import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { meshConfig, world } from './world.ts';

const retry = y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: Retry
  metadata:
    name: web-to-api
    namespace: shop
  spec:
    source: {kind: ServiceAccount, name: web, namespace: shop}
    destinations:
      - {kind: Service, name: api, namespace: shop}
    retryPolicy: {retryOn: 5xx, perTryTimeout: 1s, numRetries: 3, retryBackoffBaseInterval: 100ms}
`;
const egress = y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: Egress
  metadata:
    name: github
    namespace: shop
  spec:
    sources:
      - {kind: ServiceAccount, name: web, namespace: shop}
    hosts: [api.github.com]
    ports:
      - {number: 443, protocol: https}
`;

ruleTester('osm-feature-flags', {
  valid: [
    { name: 'no MeshConfig: every policy given applies', yaml: docs(retry, egress, ...world) },
    { name: 'flags on', yaml: docs(retry, egress, meshConfig('osm-mesh-config', 'featureFlags:\n  enableRetryPolicy: true\n  enableEgressPolicy: true'), ...world) },
  ],
  invalid: [
    {
      name: 'flag left out (false in OSM)',
      yaml: docs(retry, egress, meshConfig('osm-mesh-config', 'featureFlags:\n  enableEgressPolicy: true'), ...world),
      errors: [{ code: 'MESH1112', line: 2, column: 7, message: 'Retry shop/web-to-api has no effect: MeshConfig osm-system/osm-mesh-config sets featureFlags.enableRetryPolicy to false (it leaves the flag out, which OSM reads as false)' }],
    },
    {
      name: 'flag written false',
      yaml: docs(egress, retry, meshConfig('osm-mesh-config', 'featureFlags:\n  enableEgressPolicy: false\n  enableRetryPolicy: true'), ...world),
      errors: [{ code: 'MESH1112', line: 2, column: 7, message: 'sets featureFlags.enableEgressPolicy to false' }],
    },
  ],
});

test.run();
