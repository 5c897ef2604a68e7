import { test } from 'uvu';
import { docs, ruleTester, y } from '../tester.ts';
import { world } from './world.ts';

/** sources[0].name at 9:13; matches[0] apiGroup 15:17, kind 16:13, name 17:13; matches[1] name 20:13. */
const egress = (source: string, matches: string) => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: Egress
  metadata:
    name: httpbin
    namespace: shop
  spec:
    sources:
      - kind: ServiceAccount
        name: ${source}
        namespace: shop
    hosts: [httpbin.org]
    ports:
      - {number: 80, protocol: http}
    matches:
${matches}
`;
const m = (apiGroup: string, kind: string, name: string) => `      - apiGroup: ${apiGroup}\n        kind: ${kind}\n        name: ${name}`;
const group = y`
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata:
    name: httpbin-get
    namespace: shop
  spec:
    matches:
      - {name: get, pathRegex: /get$, methods: [GET]}
`;
const uts = (name: string) => y`
  apiVersion: policy.openservicemesh.io/v1alpha1
  kind: UpstreamTrafficSetting
  metadata:
    name: ${name}
    namespace: shop
  spec:
    host: httpbin.org
`;
const HRG = 'specs.smi-spec.io/v1alpha4';
const UTS = 'policy.openservicemesh.io/v1alpha1';

ruleTester('egress-refs', {
  valid: [
    { name: 'HTTPRouteGroup and UpstreamTrafficSetting matches that exist', yaml: docs(egress('web', `${m(HRG, 'HTTPRouteGroup', 'httpbin-get')}\n${m(UTS, 'UpstreamTrafficSetting', 'httpbin')}`), group, uts('httpbin'), ...world) },
    { name: 'default ServiceAccount exists in every namespace', yaml: docs(egress('default', m(HRG, 'HTTPRouteGroup', 'httpbin-get')), group, ...world) },
    { name: 'external ServiceAccount', yaml: docs(egress('batch', m(HRG, 'HTTPRouteGroup', 'httpbin-get')), group, ...world), options: { assumeExternal: ['ServiceAccount/shop/batch'] } },
  ],
  invalid: [
    {
      name: 'unknown source, with a suggestion',
      yaml: docs(egress('wbe', m(HRG, 'HTTPRouteGroup', 'httpbin-get')), group, ...world),
      errors: [{ code: 'MESH1120', line: 9, column: 13, message: 'Egress source ServiceAccount shop/wbe is not in the input; did you mean "web"?' }],
    },
    {
      name: 'missing HTTPRouteGroup',
      yaml: docs(egress('web', m(HRG, 'HTTPRouteGroup', 'httpbin-gets')), group, ...world),
      errors: [{ code: 'MESH1121', line: 17, column: 13, message: 'Egress match HTTPRouteGroup shop/httpbin-gets is not in the input; did you mean "httpbin-get"?' }],
    },
    {
      name: 'apiGroup without version',
      yaml: docs(egress('web', m('specs.smi-spec.io', 'HTTPRouteGroup', 'httpbin-get')), group, ...world),
      errors: [{ code: 'MESH1122', line: 15, column: 17, message: 'write apiGroup: specs.smi-spec.io/v1alpha4' }],
    },
    {
      name: 'unsupported kind',
      yaml: docs(egress('web', m(HRG, 'TCPRoute', 'db')), ...world),
      errors: [{ code: 'MESH1122', line: 16, column: 13, message: 'kind TCPRoute is not supported' }],
    },
    {
      name: 'two UpstreamTrafficSettings',
      yaml: docs(egress('web', `${m(UTS, 'UpstreamTrafficSetting', 'a')}\n${m(UTS, 'UpstreamTrafficSetting', 'b')}`), uts('a'), uts('b'), ...world),
      errors: [{ code: 'MESH1122', line: 20, column: 13, message: 'is a second UpstreamTrafficSetting: an Egress takes at most one' }],
    },
  ],
});

test.run();
