import { test } from 'uvu';
import { docs, ruleTester } from '../tester.ts';
import { deployment } from '../objects.ts';

const account = (ns: string, name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n`;

ruleTester('workload-service-account-exists', {
  valid: [
    { name: 'runs as a declared ServiceAccount', yaml: docs(account('shop', 'web'), deployment('shop', 'web', { app: 'web' }, 'web')) },
    { name: 'no ServiceAccount declared in the namespace: they come from elsewhere', yaml: docs(account('other', 'x'), deployment('shop', 'web', { app: 'web' }, 'web')) },
    { name: 'default exists in every namespace', yaml: docs(account('shop', 'api'), deployment('shop', 'web', { app: 'web' }, 'default')) },
    { name: 'no serviceAccountName is MESH0502\'s finding', yaml: docs(account('shop', 'api'), deployment('shop', 'web', { app: 'web' }, null)) },
    {
      name: 'assumed external',
      yaml: docs(account('shop', 'api'), deployment('shop', 'web', { app: 'web' }, 'web')),
      options: { assumeExternal: ['ServiceAccount/shop/web'] },
    },
  ],
  invalid: [
    {
      name: 'the ServiceAccount was renamed, the Deployment still names the old one',
      yaml: docs(account('shop', 'web-frontend'), deployment('shop', 'web', { app: 'web' }, 'web-frontnd')),
      errors: [{
        code: 'MESH0505', line: 21, column: 27,
        message: 'Deployment web runs as ServiceAccount shop/web-frontnd, which the input does not declare in shop; did you mean "web-frontend"?',
      }],
    },
    {
      name: 'a Pod, no close name',
      yaml: docs(account('shop', 'api'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  serviceAccountName: batch\n  containers:\n    - name: app\n      image: example/p:1\n'),
      errors: [{ code: 'MESH0505', line: 13, column: 23, message: 'Pod p runs as ServiceAccount shop/batch, which the input does not declare in shop' }],
    },
  ],
});

test.run();
