import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { serviceAccount, tcpRoute } from '../objects.ts';

const world = [tcpRoute('shop', 'all'), serviceAccount('shop', 'api'), serviceAccount('shop', 'web')];

const target = (apiVersion: string, destKind: string, srcKind: string) => y`
  apiVersion: ${apiVersion}
  kind: TrafficTarget
  metadata:
    name: t
    namespace: shop
  spec:
    destination:
      kind: ${destKind}
      name: api
      namespace: shop
    rules:
      - kind: TCPRoute
        name: all
    sources:
      - kind: ${srcKind}
        name: web
        namespace: shop
`;

const identityBindings = [
  'apiVersion: access.smi-spec.io/v1alpha4\nkind: IdentityBinding\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  schemes:\n    serviceAccount: api\n',
  'apiVersion: access.smi-spec.io/v1alpha4\nkind: IdentityBinding\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  schemes:\n    serviceAccount: web\n',
];

ruleTester('traffic-target-subject-kind', {
  valid: [
    { name: 'ServiceAccount subjects', yaml: docs(target('access.smi-spec.io/v1alpha3', 'ServiceAccount', 'ServiceAccount'), ...world) },
    { name: 'IdentityBinding subjects in access v1alpha4', yaml: docs(target('access.smi-spec.io/v1alpha4', 'IdentityBinding', 'IdentityBinding'), ...world, ...identityBindings) },
    {
      name: 'IdentityBinding subjects in v1alpha3 with draft APIs enabled',
      yaml: docs(target('access.smi-spec.io/v1alpha3', 'ServiceAccount', 'IdentityBinding'), ...world, ...identityBindings),
      options: { draft: true },
    },
  ],
  invalid: [
    {
      name: 'Group destination and User source',
      yaml: docs(target('access.smi-spec.io/v1alpha3', 'Group', 'User'), ...world),
      errors: [
        { code: 'MESH0201', line: 8, column: 11, message: 'destination kind "Group" is not supported' },
        { code: 'MESH0201', line: 15, column: 13, message: 'source kind "User"' },
      ],
    },
    {
      name: 'IdentityBinding source in released access v1alpha3',
      yaml: docs(target('access.smi-spec.io/v1alpha3', 'ServiceAccount', 'IdentityBinding'), ...world, ...identityBindings),
      errors: [{ code: 'MESH0202', line: 15, column: 13, message: 'access.smi-spec.io/v1alpha3 knows only ServiceAccount' }],
    },
  ],
});

test.run();
