import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { deployment, serviceAccount, tcpRoute } from '../objects.ts';

const world = [tcpRoute('shop', 'all'), serviceAccount('shop', 'api'), serviceAccount('shop', 'web'), serviceAccount('ops', 'prometheus')];

/** Destination shop/<dest>; sources as [namespace, name]; the first source's name is on line 16, each next one 3 lines lower. */
const target = (dest: string, sources: [string, string][]) => `${y`
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata:
    name: t
    namespace: shop
  spec:
    destination:
      kind: ServiceAccount
      name: ${dest}
      namespace: shop
    rules:
      - kind: TCPRoute
        name: all
    sources:
`}${sources.map(([ns, name]) => `    - kind: ServiceAccount\n      name: ${name}\n      namespace: ${ns}\n`).join('')}`;

ruleTester('traffic-target-subjects-exist', {
  valid: [
    { name: 'declared ServiceAccounts, across namespaces', yaml: docs(target('api', [['shop', 'web'], ['ops', 'prometheus']]), ...world) },
    { name: 'the default ServiceAccount exists in every namespace', yaml: docs(target('default', [['shop', 'default']]), ...world) },
    {
      name: 'a ServiceAccount a declared workload runs as',
      yaml: docs(target('api', [['shop', 'batch']]), ...world, deployment('shop', 'batch', { app: 'batch' }, 'batch')),
    },
    {
      name: 'identities declared external with globs',
      yaml: docs(target('api', [['monitoring', 'prometheus'], ['ci', 'runner-7']]), ...world),
      options: { assumeExternal: ['ServiceAccount/monitoring/*', 'ServiceAccount/ci/runner-*'] },
    },
  ],
  invalid: [
    {
      name: 'misspelt source and unknown destination',
      yaml: docs(target('payments', [['shop', 'webb'], ['monitoring', 'prometheus']]), ...world),
      errors: [
        { code: 'MESH0212', line: 9, column: 11, message: 'destination ServiceAccount shop/payments is not declared' },
        { code: 'MESH0212', line: 16, column: 13, message: 'source ServiceAccount shop/webb is not declared; did you mean "web"?' },
        { code: 'MESH0212', line: 19, column: 13, message: 'a ServiceAccount of that name exists in namespace ops' },
      ],
    },
    {
      name: 'policy-only input (no ServiceAccount, no workload): the message says how to declare them external',
      yaml: docs(target('api', [['shop', 'web']]), tcpRoute('shop', 'all')),
      errors: [
        { code: 'MESH0212', line: 9, column: 11, message: 'the input declares no ServiceAccount at all: if they live elsewhere, add ServiceAccount/*/* (or narrower patterns) to assumeExternal' },
        { code: 'MESH0212', line: 16, column: 13 },
      ],
    },
    {
      name: 'smi#18: "*" is no wildcard and no name; an assumeExternal glob that matches it literally does not declare it',
      yaml: docs(target('"*"', [['shop', '"*"'], ['shop', 'web']]), ...world),
      options: { assumeExternal: ['ServiceAccount/shop/*'] },
      errors: [
        { code: 'MESH0212', line: 9, column: 11, message: 'destination ServiceAccount shop/* is not declared; "*" is no ServiceAccount name ("*" is not allowed; names are DNS-1123 subdomains), so it names no identity and assumeExternal cannot declare it: SMI has no wildcard subjects (smi-spec#51)' },
        { code: 'MESH0212', line: 16, column: 13, message: 'allow every caller with --permissive' },
      ],
    },
    {
      name: 'a name no ServiceAccount can have (uppercase) is reported even when declared external',
      yaml: docs(target('api', [['ops', 'Prometheus']]), ...world),
      options: { assumeExternal: ['ServiceAccount/ops/*'] },
      errors: [{ code: 'MESH0212', line: 16, column: 13, message: /"Prometheus" is no ServiceAccount name \(it has uppercase letters; names are DNS-1123 subdomains\), so it names no identity and assumeExternal cannot declare it$/ }],
    },
    {
      name: 'a "*" namespace is no wildcard either: reported at the namespace, even when an assumeExternal glob matches it',
      yaml: docs(target('api', [['"*"', 'web']]), ...world),
      options: { assumeExternal: ['ServiceAccount/*/web'] },
      errors: [{ code: 'MESH0212', line: 17, column: 18, message: 'source ServiceAccount */web is not declared; "*" is no namespace ("*" is not allowed; namespaces are DNS-1123 labels), so it names no identity and assumeExternal cannot declare it: SMI has no wildcard subjects (smi-spec#51)' }],
    },
    {
      name: 'assumeExternal for another kind does not cover ServiceAccounts',
      yaml: docs(target('api', [['monitoring', 'agent']]), ...world),
      options: { assumeExternal: ['Service/monitoring/*'] },
      errors: [{ code: 'MESH0212', line: 16, column: 13, message: 'source ServiceAccount monitoring/agent' }],
    },
  ],
});

test.run();
