import { test } from 'uvu';
import { docs, ruleTester } from '../tester.ts';
import { meshConfig } from './world.ts';

const traffic = 'traffic:\n  enablePermissiveTrafficPolicyMode: false';

ruleTester('mesh-config', {
  valid: [
    { name: 'one MeshConfig named osm-mesh-config', yaml: meshConfig('osm-mesh-config', traffic) },
    { name: 'no MeshConfig at all', yaml: docs('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n') },
  ],
  invalid: [
    {
      name: 'a second MeshConfig, at its name, naming the one in force',
      yaml: docs(meshConfig('osm-mesh-config', traffic), meshConfig('osm-mesh-config-copy', traffic)),
      errors: [{ code: 'MESH1110', line: 13, column: 9, message: 'a second MeshConfig (osm-system/osm-mesh-config-copy): a mesh has one, and meshc uses osm-system/osm-mesh-config' }],
    },
    {
      name: 'a MeshConfig OSM does not read',
      yaml: meshConfig('mesh-config', traffic),
      errors: [{ code: 'MESH1111', line: 4, column: 9, message: 'OSM reads only the one named osm-mesh-config' }],
    },
  ],
});

test.run();
