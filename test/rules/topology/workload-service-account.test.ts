import { test } from 'uvu';
import { docs, ruleTester } from '../tester.ts';
import { deployment } from '../objects.ts';

ruleTester('workload-service-account', {
  valid: [
    { name: 'Deployment with its own ServiceAccount', yaml: docs(deployment('shop', 'web', { app: 'web' }, 'web')) },
    { name: 'explicit default is a deliberate choice', yaml: docs(deployment('shop', 'web', { app: 'web' }, 'default')) },
  ],
  invalid: [
    {
      name: 'Deployment without serviceAccountName',
      yaml: docs(deployment('shop', 'web', { app: 'web' }, null)),
      errors: [{ code: 'MESH0502', line: 14, column: 5, message: 'Deployment web sets no serviceAccountName: its pods run as shop/default' }],
    },
    {
      name: 'Pod without serviceAccountName',
      yaml: docs('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: example/web:1\n'),
      errors: [{ code: 'MESH0502', line: 6, column: 1, message: 'Pod p sets no serviceAccountName' }],
    },
  ],
});

test.run();
