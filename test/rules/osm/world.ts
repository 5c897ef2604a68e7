/** A small mesh the OSM policy rule tests share: web calls api (port 80 → 8080) in namespace shop. */
import { deployment, service, serviceAccount } from '../objects.ts';

export const world = [
  serviceAccount('shop', 'web'), serviceAccount('shop', 'api'),
  service('shop', 'api', { app: 'api' }, [{ port: 80, targetPort: 8080, name: 'http' }]),
  deployment('shop', 'api', { app: 'api' }, 'api', [{ containerPort: 8080 }]),
  deployment('shop', 'web', { app: 'web' }, 'web'),
];

export const meshConfig = (name: string, spec: string) => `apiVersion: config.openservicemesh.io/v1alpha2
kind: MeshConfig
metadata:
  name: ${name}
  namespace: osm-system
spec:
${spec.replace(/^/gm, '  ')}
`;
