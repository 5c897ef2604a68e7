/**
 * `meshc export` writes HTTPRouteGroup headers in a form the target CRD
 * accepts: the list form OSM's CRD (smi-sdk-go, `headers: array`) requires is
 * kept as a list, a map stays a map, DSL matches become lists, and
 * --header-form forces one form. Through the built CLI.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from './helpers/cli.ts';

const ROUTES = `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: routes
  namespace: shop
spec:
  matches:
    - name: android-insiders
      headers:
        - user-agent: ".*Android.*"
        - cookie: "^(.*?;)?(type=insider)(;.*)?$"
    - name: debug
      pathRegex: /api
      headers:
        x-debug: "1"
`;

type Match = { name: string; headers?: unknown };
function matchesOf(yamlText: string): Match[] {
  const docs = parseAllDocuments(yamlText).map((d) => d.toJS() as { kind: string; spec: { matches: Match[] } });
  return docs.filter((d) => d.kind === 'HTTPRouteGroup').flatMap((d) => d.spec.matches);
}

function withInput(body: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-export-headers-'));
  try {
    const file = join(dir, 'routes.yaml');
    writeFileSync(file, ROUTES);
    body(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the list form (OSM) stays a list, the map form stays a map', () => withInput((file) => {
  const r = runCli(['export', file]);
  assert.is(r.code, 0, r.stderr);
  const [android, debug] = matchesOf(r.stdout);
  assert.equal(android!.headers, [{ 'user-agent': '.*Android.*' }, { cookie: '^(.*?;)?(type=insider)(;.*)?$' }]);
  assert.equal(debug!.headers, { 'x-debug': '1' });
  // What export wrote reads back the same (both forms are SMI).
  const dir = mkdtempSync(join(tmpdir(), 'meshc-export-headers-again-'));
  try {
    writeFileSync(join(dir, 'out.yaml'), r.stdout);
    const again = runCli(['export', join(dir, 'out.yaml')]);
    assert.equal(matchesOf(again.stdout), matchesOf(r.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}));

test('--header-form list|map forces one form; anything else is a usage error', () => withInput((file) => {
  const list = matchesOf(runCli(['export', '--header-form', 'list', file]).stdout);
  assert.equal(list.map((m) => m.headers), [[{ 'user-agent': '.*Android.*' }, { cookie: '^(.*?;)?(type=insider)(;.*)?$' }], [{ 'x-debug': '1' }]]);
  const map = matchesOf(runCli(['export', '--header-form', 'map', file]).stdout);
  assert.equal(map.map((m) => m.headers), [{ 'user-agent': '.*Android.*', cookie: '^(.*?;)?(type=insider)(;.*)?$' }, { 'x-debug': '1' }]);
  const bad = runCli(['export', '--header-form', 'array', file]);
  assert.equal([bad.code, bad.stdout], [2, '']);
  assert.match(bad.stderr, /^meshc: error MESH1048 --header-form must be one of list, map \(got "array"\) \[option-value-not-allowed\]/);
}));

test('DSL input: headers (a map in the DSL) are exported as the list OSM\'s CRD accepts', () => {
  const r = runCli(['export', 'fixtures/bookstore-ts/mesh.ts']);
  assert.is(r.code, 0, r.stderr);
  const bought = matchesOf(r.stdout).find((m) => m.name === 'books-bought')!;
  assert.equal(bought.headers, [{ 'user-agent': '.*-http-client/.*' }, { 'client-app': 'bookbuyer' }]);
});

test.run();
