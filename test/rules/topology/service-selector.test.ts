import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { deployment, service } from '../objects.ts';

const unusual = { 'app.kubernetes.io/name': 'shop', 'example.com/tier': '', 'my_label-x.y': 'a_b-c.d' };

ruleTester('service-selector', {
  valid: [
    { name: 'selector matches a Deployment\'s pod template labels', yaml: docs(service('shop', 'web', { app: 'web' }), deployment('shop', 'web', { app: 'web', version: 'v1' }, 'web')) },
    { name: 'prefixed keys, empty values, dots, dashes and underscores', yaml: docs(service('shop', 'web', unusual), deployment('shop', 'web', { ...unusual, extra: 'x' }, 'web')) },
    { name: 'Service without selector', yaml: docs(service('shop', 'external', null), deployment('shop', 'web', { app: 'web' }, 'web')) },
    { name: 'no workloads in the input at all (policy-only repository)', yaml: docs(service('shop', 'web', { app: 'nothing' })) },
    {
      name: 'workloads of the namespace declared external',
      yaml: docs(service('shop', 'web', { app: 'elsewhere' }), deployment('shop', 'other', { app: 'other' }, 'other')),
      options: { assumeExternal: ['Deployment/shop/*'] },
    },
    {
      name: 'a workload of the namespace failed validation: its labels are unknown, no guess',
      yaml: docs(service('shop', 'web', { app: 'web' }), deployment('shop', 'other', { app: 'other' }, 'other'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: many\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: app\n          image: example/web:1\n'),
      allowErrors: true,
    },
    {
      name: 'a Pod matches',
      yaml: docs(service('shop', 'web', { app: 'web' }), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  labels:\n    app: web\nspec:\n  serviceAccountName: web\n  containers:\n    - name: app\n      image: example/web:1\n'),
    },
  ],
  invalid: [
    {
      name: 'selector matches the Deployment\'s own labels, not its pod template',
      yaml: docs(service('shop', 'web', { app: 'web' }), y`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels:
            app: web
        spec:
          selector:
            matchLabels:
              component: web
          template:
            metadata:
              labels:
                component: web
            spec:
              serviceAccountName: web
              containers:
                - name: app
                  image: example/web:1
      `),
      errors: [{ code: 'MESH0501', line: 7, column: 3, message: 'selector {app: web} matches no workload in namespace shop' }],
    },
    {
      name: 'empty label value differs from a set one',
      yaml: docs(service('shop', 'web', { app: 'web', tier: '' }), deployment('shop', 'web', { app: 'web', tier: 'front' }, 'web')),
      errors: [{ code: 'MESH0501', line: 7, column: 3, message: 'selector {app: web, tier: ""}' }],
    },
    {
      name: 'matching workload lives in another namespace',
      yaml: docs(service('shop', 'web', { 'app.kubernetes.io/name': 'web' }), deployment('other', 'web', { 'app.kubernetes.io/name': 'web' }, 'web')),
      errors: [{ code: 'MESH0501', line: 7, column: 3, message: 'selector {app.kubernetes.io/name: web} matches no workload in namespace shop' }],
    },
  ],
});

test.run();
