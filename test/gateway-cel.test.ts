/**
 * The validation rules of the Gateway API route CRDs that the JSON schemas leave out (src/schema/gateway-cel.ts):
 * an API server rejects a route that breaks one, so check reports it at the field at fault, in the CRD's words,
 * and the route is not modelled. A table of valid routes (no finding) and invalid ones (code, line, column, words).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../src/pipeline/check.ts';
import { pathValueProblem } from '../src/schema/gateway-cel.ts';
import { tempDir } from './helpers/temp.ts';

const SERVICES = `apiVersion: v1
kind: Service
metadata: {name: backend, namespace: demo}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: other, namespace: demo}
spec: {ports: [{name: http, port: 8080}]}
`;

/** A route on Service backend with `rules` (YAML lines under `rules:`, indented four spaces). Its first rule line is line 8. */
const http = (rules: string, parentRefs = '    - {group: "", kind: Service, name: backend}') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: demo}
spec:
  parentRefs:
${parentRefs}
  rules:
${rules}
`;
const grpc = (rules: string) => http(rules).replace('kind: HTTPRoute', 'kind: GRPCRoute');

async function findings(route: string) {
  const dir = tempDir('meshc-cel-');
  writeFileSync(join(dir, 'services.yaml'), SERVICES);
  writeFileSync(join(dir, 'route.yaml'), route);
  const r = await check([dir], { cwd: dir });
  return r.diagnostics.filter((d) => d.range?.file.endsWith('route.yaml') && d.severity === 'error')
    .map((d) => ({ code: d.code, line: d.range!.line, column: d.range!.column, message: d.message }));
}

const valid: [string, string][] = [
  ['paths of every allowed form', http(`    - matches:
        - path: {type: Exact, value: "/a/b-c_d.e~f!$&'()*+,;=:@%2Ex"}
        - path: {type: PathPrefix, value: /}
        - path: {type: RegularExpression, value: "no/slash//needed"}
      backendRefs: [{name: other, port: 8080}]`)],
  ['a redirect without backendRefs, a rewrite with one PathPrefix match', http(`    - matches: [{path: {type: PathPrefix, value: /old}}]
      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}]
    - matches: [{path: {type: PathPrefix, value: /v1}}]
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}}]
      backendRefs: [{name: other, port: 8080}]`)],
  ['two parentRefs to one Service told apart by port', http('    - backendRefs: [{name: other, port: 8080}]',
    '    - {group: "", kind: Service, name: backend, port: 8080}\n    - {group: "", kind: Service, name: backend, port: 9090}')],
  ['a backendRef to something other than a Service needs no port', http('    - backendRefs: [{group: example.com, kind: Bucket, name: b}]')],
  ['gRPC: service and method, method alone, a regular expression', grpc(`    - matches:
        - method: {service: helloworld.Greeter, method: SayHello}
        - method: {method: SayHello}
        - method: {type: RegularExpression, service: "hello.*"}
      backendRefs: [{name: other, port: 8080}]`)],
];

const invalid: [string, string, { code: string; line: number; column: number; words: string }[]][] = [
  ['a path that does not start with /', http(`    - matches: [{path: {type: PathPrefix, value: api}}]
      backendRefs: [{name: other, port: 8080}]`), [{ code: 'MESH0112', line: 8, column: 50, words: "value must be an absolute path and start with '/'" }]],
  ['an Exact path with // and one with a space', http(`    - matches:
        - path: {type: Exact, value: /a//b}
        - path: {value: "/a b"}
      backendRefs: [{name: other, port: 8080}]`), [
    { code: 'MESH0112', line: 9, column: 38, words: "must not contain '//'" },
    { code: 'MESH0112', line: 10, column: 25, words: 'must only contain valid characters' },
  ]],
  ['a filter type without its field, a field under another type', http(`    - filters:
        - {type: RequestMirror}
        - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: a, value: b}]}, urlRewrite: {hostname: x}}
      backendRefs: [{name: other, port: 8080}]`), [
    { code: 'MESH0133', line: 9, column: 18, words: 'filter.requestMirror must be specified for RequestMirror filter.type' },
    { code: 'MESH0133', line: 10, column: 94, words: 'filter.urlRewrite must be nil if the filter.type is not URLRewrite' },
  ]],
  ['a redirect with backendRefs', http(`    - filters: [{type: RequestRedirect, requestRedirect: {statusCode: 301}}]
      backendRefs: [{name: other, port: 8080}]`), [{ code: 'MESH0133', line: 8, column: 17, words: 'RequestRedirect filter must not be used together with backendRefs' }]],
  ['a redirect and a rewrite in one rule; a header modifier twice', http(`    - filters:
        - {type: URLRewrite, urlRewrite: {hostname: x}}
        - {type: RequestHeaderModifier, requestHeaderModifier: {remove: [a]}}
        - {type: RequestHeaderModifier, requestHeaderModifier: {remove: [b]}}
        - {type: RequestRedirect, requestRedirect: {statusCode: 302}}`), [
    { code: 'MESH0133', line: 11, column: 18, words: 'RequestHeaderModifier filter cannot be repeated' },
    { code: 'MESH0133', line: 12, column: 18, words: 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both' },
  ]],
  ['ReplacePrefixMatch with an Exact match; a path modifier without its field', http(`    - matches: [{path: {type: Exact, value: /a}}]
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]
      backendRefs: [{name: other, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /c}}]
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath}}}]
      backendRefs: [{name: other, port: 8080}]`), [
    { code: 'MESH0133', line: 9, column: 62, words: 'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified' },
    { code: 'MESH0133', line: 12, column: 62, words: "replaceFullPath must be specified when type is set to 'ReplaceFullPath'" },
  ]],
  ['a Service backendRef and a mirror backendRef without port', http(`    - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: other}}}]
      backendRefs: [{name: other}]`), [
    { code: 'MESH0133', line: 8, column: 67, words: 'Must have port for Service reference (backend "other")' },
    { code: 'MESH0133', line: 9, column: 21, words: 'Must have port for Service reference (backend "other")' },
  ]],
  ['the same parentRef twice', http('    - backendRefs: [{name: other, port: 8080}]',
    '    - {group: "", kind: Service, name: backend}\n    - {kind: Service, group: "", name: backend}'), [
    { code: 'MESH0133', line: 7, column: 7, words: 'sectionName or port must be unique when parentRefs includes 2 or more references to the same parent (entry 0 is the same reference)' },
  ]],
  ['a header matched twice by one name; two rules of one name', http(`    - name: a
      matches: [{headers: [{name: x-v, value: "1"}, {name: x-v, value: "2"}]}]
      backendRefs: [{name: other, port: 8080}]
    - name: a
      backendRefs: [{name: other, port: 8080}]`), [
    { code: 'MESH0133', line: 9, column: 60, words: 'header "x-v" is listed twice' },
    { code: 'MESH0133', line: 11, column: 13, words: 'Rule name must be unique within the route ("a" is used twice)' },
  ]],
  ['gRPC: a method match naming neither; a service and a method outside their patterns', grpc(`    - matches:
        - method: {type: Exact}
        - method: {service: "", method: "say-hello"}
      backendRefs: [{name: other, port: 8080}]`), [
    { code: 'MESH0133', line: 9, column: 11, words: "One or both of 'service' or 'method' must be specified" },
    { code: 'MESH0112', line: 10, column: 29, words: 'service must only contain valid characters' },
    { code: 'MESH0112', line: 10, column: 41, words: 'method must only contain valid characters' },
  ]],
];

for (const [name, route] of valid) {
  test(`valid: ${name}`, async () => {
    assert.equal(await findings(route), [], name);
  });
}

for (const [name, route, expected] of invalid) {
  test(`invalid: ${name}`, async () => {
    const got = await findings(route);
    assert.equal(got.map(({ code, line, column }) => ({ code, line, column })), expected.map(({ code, line, column }) => ({ code, line, column })), name);
    expected.forEach((e, i) => assert.ok(got[i]!.message.includes(e.words), `${name}: ${got[i]!.message}`));
  });
}

test('more than 128 matches in one route', async () => {
  const rule = `    - matches: [${Array.from({ length: 43 }, (_, i) => `{path: {value: /p${i}}}`).join(', ')}]\n      backendRefs: [{name: other, port: 8080}]`;
  const got = await findings(http([rule, rule, rule].join('\n')));
  assert.equal(got.map((g) => [g.code, g.line, g.column]), [['MESH0133', 7, 3]]);
  assert.match(got[0]!.message, /must be at most 128 \(this route has 129\)/);
});

test('path values: every rule of HTTPPathMatch, the first that applies', () => {
  const cases: [string, string | undefined][] = [
    ['/', undefined], ['/a/b', undefined], ['/%2E%2e', undefined], ['api', "start with '/'"], ['/a//b', "'//'"], ['/a/./b', "'/./'"],
    ['/a/../b', "'/../'"], ['/a%2fb', "'%2f'"], ['/a%2Fb', "'%2F'"], ['/a#b', "'#'"], ['/a/..', "end with '/..'"], ['/a/.', "end with '/.'"],
    ['/a?b', 'valid characters'], ['/%zz', 'valid characters'], ['/ü', 'valid characters'],
  ];
  for (const [value, problem] of cases) {
    const got = pathValueProblem(value);
    if (problem === undefined) assert.is(got, undefined, value);
    else assert.ok(got?.includes(problem), `${value}: ${got}`);
  }
});

test.run();
