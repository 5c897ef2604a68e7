import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { meshConfig, world } from './world.ts';

const target = y`
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata:
    name: web-to-api
    namespace: shop
  spec:
    destination: {kind: ServiceAccount, name: api, namespace: shop}
    rules:
      - {kind: TCPRoute, name: api-port}
    sources:
      - {kind: ServiceAccount, name: web, namespace: shop}
  ---
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: TCPRoute
  metadata:
    name: api-port
    namespace: shop
  spec:
    matches:
      ports: [8080]
`;
const mode = (on: boolean) => meshConfig('osm-mesh-config', `traffic:\n  enablePermissiveTrafficPolicyMode: ${on}`);

ruleTester('permissive-mode', {
  valid: [
    { name: 'SMI mode', yaml: docs(mode(false), target, ...world) },
    { name: 'permissive without TrafficTargets (nothing is ignored)', yaml: docs(mode(true), ...world) },
    { name: '--permissive is an explicit request, no finding', yaml: docs(target, ...world), options: { permissive: true } },
  ],
  invalid: [
    {
      name: 'permissive MeshConfig with a TrafficTarget',
      yaml: docs(mode(true), target, ...world),
      errors: [{ code: 'MESH1113', line: 8, column: 40, message: 'permissive traffic policy mode (MeshConfig osm-system/osm-mesh-config): every proxy may reach every service and the 1 TrafficTarget(s) are ignored' }],
    },
  ],
});

test.run();
