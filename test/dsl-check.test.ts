/**
 * `meshc check` on TypeScript DSL files, through the real CLI: the bookstore
 * DSL, bad input (each a diagnostic at the right line with check's exit
 * codes), mixed YAML + TS meshes, findings of later stages pointing at DSL
 * lines, directory walking and the cache.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';

interface Finding { code: string; severity: string; message: string; file: string; line: number; column: number }

const CACHE = tempDir('meshc-dsl-cache-');

function project(files: Record<string, string>): string {
  const dir = tempDir('meshc-dsl-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function check(dir: string, args: string[], env: Record<string, string> = {}): { code: number; findings: Finding[]; stderr: string } {
  const r = runCli(['check', '--format', 'json', ...args], { cwd: dir, env: { MESHC_CACHE_DIR: CACHE, ...env } });
  let findings: Finding[];
  try {
    findings = (JSON.parse(r.stdout) as { diagnostics: Finding[] }).diagnostics;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, findings, stderr: r.stderr };
}

const at = (f: Finding) => `${f.code} ${f.file}:${f.line}:${f.column}`;

function expectFinding(findings: Finding[], code: string, file: string, line: number, column?: number): Finding {
  const hit = findings.find((f) => f.code === code && f.file === file && f.line === line && (column === undefined || f.column === column));
  assert.ok(hit, `expected ${code} at ${file}:${line}${column ? `:${column}` : ''}, got: ${findings.map(at).join(', ') || 'nothing'}`);
  return hit!;
}

/** A small valid mesh; `extra` is spliced into namespace `shop`. */
const mesh = (extra = '', header = '') => `import { defineMesh, external } from 'meshc';
${header}
export default defineMesh({
  namespaces: {
    shop: {
      serviceAccounts: ['web', 'api'],
      services: {
        api: { selector: { app: 'api' }, ports: [{ port: 8080 }] },
        'api-v2': { selector: { app: 'api', version: 'v2' }, ports: [{ port: 8080 }] },
      },
      deployments: {
        api: { serviceAccount: 'api', podLabels: { app: 'api' }, containers: [{ name: 'api', image: 'api:1', ports: [{ containerPort: 8080 }] }] },
        web: { serviceAccount: 'web', podLabels: { app: 'web' }, containers: [{ name: 'web', image: 'web:1' }] },
      },
      httpRouteGroups: {
        routes: { matches: { list: { pathRegex: '/items.*', methods: ['GET'] } } },
      },
      trafficTargets: {
        api: {
          destination: 'api',
          rules: [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['list'] }],
          sources: ['web'],
        },
      },${extra}
    },
  },
});
`;

test('the bookstore DSL checks clean and models the same number of resources as the YAML', () => {
  const ts = runCli(['check', 'fixtures/bookstore-ts/mesh.ts'], { env: { MESHC_CACHE_DIR: CACHE } });
  const yaml = runCli(['check', 'fixtures/bookstore']);
  assert.is(ts.code, 0, ts.stdout + ts.stderr);
  const count = (s: string) => /\((\d+) resources\)/.exec(s)?.[1];
  assert.ok(count(ts.stdout + ts.stderr), ts.stdout + ts.stderr);
  assert.is(count(ts.stdout + ts.stderr), count(yaml.stdout + yaml.stderr));
});

test('a valid small mesh: exit 0, no errors', () => {
  const dir = project({ 'mesh.ts': mesh() });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 0, JSON.stringify(r.findings));
  assert.equal(r.findings.filter((f) => f.severity === 'error'), []);
});

test('syntax error: MESH0900 at the parser position, exit 1', () => {
  const dir = project({ 'mesh.ts': `import { defineMesh } from 'meshc';\nexport default defineMesh({\n  namespaces: { a: { serviceAccounts: ['x'] },\n});\n` });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const f = expectFinding(r.findings, 'MESH0900', 'mesh.ts', 4);
  assert.match(f.message, /\(TS\d+\)$/);
});

test('type errors: a weight that is not a number, a method outside the enum', () => {
  const dir = project({
    'mesh.ts': mesh(`
      trafficSplits: {
        api: { service: 'api', backends: [{ service: 'api-v2', weight: '10' }] },
      },`).replace("methods: ['GET']", "methods: ['FETCH']"),
  });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const method = expectFinding(r.findings, 'MESH0901', 'mesh.ts', 16);
  assert.match(method.message, /FETCH/);
  assert.match(method.message, /TS\d+/);
  const weight = expectFinding(r.findings, 'MESH0901', 'mesh.ts', 26);
  assert.match(weight.message, /string/);
});

test('type errors: references to a route group, match, service or service account the mesh does not define', () => {
  const dir = project({
    'mesh.ts': mesh(`
      trafficSplits: {
        canary: { service: 'api', weights: { api: 90, 'api-v3': 10 } },
      },`)
      .replace("matches: ['list']", "matches: ['lst']")
      .replace("sources: ['web']", "sources: ['web', 'shop/admin']"),
  });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const match = expectFinding(r.findings, 'MESH0901', 'mesh.ts', 21);
  assert.match(match.message, /"lst" is not a match of this HTTPRouteGroup defined in this mesh \(defined: list\)/);
  const sa = expectFinding(r.findings, 'MESH0901', 'mesh.ts', 22);
  assert.match(sa.message, /"shop\/admin" is not a service account/);
  const svc = expectFinding(r.findings, 'MESH0901', 'mesh.ts', 26);
  assert.match(svc.message, /"api-v3" is not a Service/);
});

test('every type error of the file in one run, each at its line:col: a wrong port type no longer hides a route-name typo', () => {
  const dir = project({
    'mesh.ts': mesh()
      .replace("api: { selector: { app: 'api' }, ports: [{ port: 8080 }] }", "api: { selector: { app: 'api' }, ports: [{ port: '8080' }] }")
      .replace("name: 'routes'", "name: 'routez'"),
  });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const errors = r.findings.filter((f) => f.severity === 'error');
  assert.equal(errors.map(at), ['MESH0901 mesh.ts:8:52', 'MESH0901 mesh.ts:21:45'], r.stderr);
  assert.match(errors[0]!.message, "Type 'string' is not assignable to type 'number'");
  assert.match(errors[1]!.message, '"routez" is not an HTTPRouteGroup defined in this mesh (defined: routes)');
  // Three independent mistakes in three namespaces of the mesh: three findings.
  const more = project({
    'mesh.ts': mesh().replace("methods: ['GET']", "methods: ['FETCH']").replace("sources: ['web']", "sources: ['webb']")
      .replace("ports: [{ containerPort: 8080 }]", "ports: [{ containerPort: 'http' }]"),
  });
  const m = check(more, ['mesh.ts']);
  assert.equal(m.findings.filter((f) => f.severity === 'error').map((f) => f.line), [12, 16, 22], m.findings.map(at).join(', '));
});

test('type errors: an unknown field (typo) names the known fields', () => {
  const dir = project({ 'mesh.ts': mesh().replace("pathRegex: '/items.*'", "pathRegx: '/items.*'") });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const f = expectFinding(r.findings, 'MESH0901', 'mesh.ts', 16);
  assert.match(f.message, /unknown field "pathRegx" \(known fields: [^)]*pathRegex/);
});

test('external() accepts a name defined elsewhere', () => {
  const dir = project({ 'mesh.ts': mesh().replace("sources: ['web']", "sources: ['web', external('ops/admin')]") });
  const r = check(dir, ['mesh.ts']);
  assert.equal(r.findings.filter((f) => f.code.startsWith('MESH09')), []);
});

test('namespaces and records computed at run time are accepted (there are no literal names to check)', () => {
  const dir = project({
    'mesh.ts': `import { defineMesh } from 'meshc';
const teams = ['shop', 'payments'];
const weights = (a: string, b: string, p: number) => ({ [a]: 100 - p, [b]: p });
export default defineMesh({
  namespaces: {
    ...Object.fromEntries(teams.map((t) => [t, { serviceAccounts: [t] }])),
    web: {
      services: { api: { ports: [{ port: 80 }] }, 'api-v2': { ports: [{ port: 80 }] } },
      trafficSplits: { canary: { service: 'api', weights: weights('api', 'api-v2', 10) } },
    },
  },
});
`,
  });
  const r = check(dir, ['mesh.ts']);
  assert.equal(r.findings.filter((f) => f.code.startsWith('MESH09')).map(at), []);
});

test('a DSL file that throws: MESH0903 at the throwing line', () => {
  const dir = project({
    'mesh.ts': mesh('', `
function weightOf(name: string): number {
  throw new Error('no weight for ' + name);
}
const w = weightOf('api');`).replace("port: 8080 }] },\n        'api-v2'", 'port: w }] },\n        \'api-v2\''),
  });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const f = expectFinding(r.findings, 'MESH0903', 'mesh.ts', 4);
  assert.match(f.message, /no weight for api/);
});

test('a thrown value that throws when read (a Proxy, a revoked Proxy) is still MESH0903, not an internal error', () => {
  const throwers = [
    "const e: any = new Proxy(new Error('x'), { get() { throw new Error('trap'); } });\nif (1 as number) throw e;",
    'const r = Proxy.revocable({}, {});\nr.revoke();\nif (1 as number) throw r.proxy;',
  ];
  for (const body of throwers) {
    const r = check(project({ 'mesh.ts': mesh('', body) }), ['mesh.ts']);
    assert.is(r.code, 1, body);
    assert.equal(r.findings.filter((f) => f.code === 'MESH0001'), [], body);
    // No stack to read the throwing line from: the finding points at the default export.
    assert.match(expectFinding(r.findings, 'MESH0903', 'mesh.ts', body.split('\n').length + 2, 1).message, /cannot describe/);
  }
});

test('NaN and Infinity in a DSL mesh are reported as such (as YAML .nan is), also from the cache', () => {
  const dir = project({
    'mesh.ts': mesh().replace("'api-v2': { selector: { app: 'api', version: 'v2' }, ports: [{ port: 8080 }] }", "'api-v2': { selector: { app: 'api', version: 'v2' }, ports: [{ port: NaN }, { port: -Infinity }] }"),
  });
  const messages = (r: ReturnType<typeof check>) => r.findings.filter((f) => f.message.includes('port must')).map((f) => f.message);
  const cold = check(dir, ['mesh.ts']);
  assert.is(cold.code, 1);
  assert.equal(messages(cold).map((m) => / not (.*)$/.exec(m)?.[1]), ['a number (NaN)', 'a number (-Infinity)'], messages(cold).join('\n'));
  const cached = check(dir, ['mesh.ts']);
  assert.equal(cached.findings, cold.findings);
});

test('a DSL file that is not UTF-8 is MESH0005 at the bad byte, as a YAML file is (not names full of U+FFFD)', () => {
  const dir = project({});
  writeFileSync(join(dir, 'mesh.ts'), Buffer.concat([Buffer.from(mesh().replace("'api-v2'", "'caf\u00e9'"), 'latin1')]));
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const bad = Buffer.from(mesh().replace("'api-v2'", "'caf\u00e9'"), 'latin1').indexOf(0xe9);
  assert.equal(r.findings.map((f) => [f.code, f.message]), [['MESH0005', `file is not valid UTF-8 (first bad byte at offset ${bad})`]]);
});

test('DSL console output: escaped (no terminal escapes), and a notice when lines past the first 200 are dropped', () => {
  const dir = project({ 'mesh.ts': mesh('', "console.log('\\u001b[31mred\\u202eevil');\nfor (let i = 0; i < 250; i++) console.log('line ' + i);") });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('mesh.ts: console: '));
  assert.is(lines[0], 'mesh.ts: console: \\u001b[31mred\\u202eevil');
  assert.is(lines.length, 201);
  assert.is(lines[200], 'mesh.ts: console: (51 more console line(s) not shown: meshc keeps the first 200)');
  assert.not.match(r.stderr, /\u001b/);
});

test('a throw inside a local module points at that module', () => {
  const dir = project({
    'lib/ports.ts': `export function port(name: string): number {\n  if (name !== 'http') throw new RangeError('unknown port ' + name);\n  return 8080;\n}\n`,
    'mesh.ts': mesh('', `import { port } from './lib/ports.ts';\nconst p = port('grpc');`),
  });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const f = expectFinding(r.findings, 'MESH0903', 'lib/ports.ts', 2);
  assert.match(f.message, /RangeError: unknown port grpc/);
});

test('a DSL file that never ends is stopped at the time limit: MESH0904 at the line it was running', () => {
  const dir = project({ 'mesh.ts': mesh('', "console.log('starting');\nlet n = 0;\nwhile (n >= 0) n = (n + 1) % 10;") });
  const r = check(dir, ['mesh.ts'], { MESHC_DSL_TIMEOUT_MS: '1000' });
  assert.is(r.code, 1);
  const f = expectFinding(r.findings, 'MESH0904', 'mesh.ts', 4, 1);
  assert.match(f.message, /1000 ms/);
  assert.match(r.stderr, /mesh\.ts: console: starting/, 'console lines written before the limit are kept');
});

test('an endless loop in a helper of a local module: MESH0904 points into that module', () => {
  const dir = project({
    'lib/spin.ts': `export function spin(): number {\n  let n = 0;\n  for (;;) n = (n + 1) % 7;\n}\n`,
    'mesh.ts': mesh('', `import { spin } from './lib/spin.ts';\nconst x: number = spin();\nvoid x;`),
  });
  const r = check(dir, ['mesh.ts'], { MESHC_DSL_TIMEOUT_MS: '1000' });
  assert.is(r.code, 1);
  expectFinding(r.findings, 'MESH0904', 'lib/spin.ts', 3);
});

test('imports of missing modules: MESH0902 at the import; Node built-ins: MESH0907', () => {
  const dir = project({ 'mesh.ts': mesh('', `import { teams } from './teams.ts';\nimport { readFileSync } from 'node:fs';\nvoid teams; void readFileSync;`) });
  const r = check(dir, ['mesh.ts']);
  assert.is(r.code, 1);
  const missing = expectFinding(r.findings, 'MESH0902', 'mesh.ts', 2);
  assert.match(missing.message, /\.\/teams\.ts/);
  const builtin = expectFinding(r.findings, 'MESH0907', 'mesh.ts', 3);
  assert.match(builtin.message, /node:fs/);
});

test('a file that exports nothing: MESH0905; the wrong thing: MESH0906', () => {
  const dir = project({
    'none.ts': `export const x = 1;\n`,
    'plain.ts': `const mesh = { namespaces: {} };\nexport default mesh;\n`,
    'fn.ts': `import { defineMesh } from 'meshc';\nexport default () => defineMesh({});\n`,
    'empty.ts': '',
    'script.ts': `const teams = ['a'];\nvoid teams;\n`,
  });
  for (const f of ['empty.ts', 'script.ts']) {
    const r = check(dir, [f]);
    assert.is(r.code, 1);
    assert.match(expectFinding(r.findings, 'MESH0905', f, 1).message, /no default export \(it exports nothing\)/);
  }
  const none = check(dir, ['none.ts']);
  assert.is(none.code, 1);
  assert.match(expectFinding(none.findings, 'MESH0905', 'none.ts', 1).message, /exports x/);
  const plain = check(dir, ['plain.ts']);
  assert.is(plain.code, 1);
  assert.match(expectFinding(plain.findings, 'MESH0906', 'plain.ts', 2).message, /an object with namespaces/);
  const fn = check(dir, ['fn.ts']);
  assert.match(expectFinding(fn.findings, 'MESH0906', 'fn.ts', 2).message, /a function/);
});

test('an unreadable path exits 2', () => {
  const dir = project({});
  const r = check(dir, ['missing.mesh.ts']);
  assert.is(r.code, 2);
});

test('later stages point at the DSL line: schema and lint findings', () => {
  const dir = project({
    'mesh.ts': mesh(`
      trafficSplits: {
        canary: { service: 'api', weights: { api: 0, 'api-v2': 0 } },
      },`),
  });
  const r = check(dir, ['mesh.ts']);
  const onSplit = r.findings.filter((f) => f.file === 'mesh.ts' && f.line === 26);
  assert.ok(onSplit.length > 0, `no finding on the split's line: ${r.findings.map(at).join(', ')}`);
});

test('mixed inputs form one mesh: YAML refers to DSL objects and the DSL to YAML ones (external)', () => {
  const dir = project({
    'mesh.ts': mesh().replace("sources: ['web']", "sources: ['web', external('ops/monitor')]"),
    'ops.yaml': [
      'apiVersion: v1', 'kind: ServiceAccount', 'metadata: {name: monitor, namespace: ops}', '---',
      'apiVersion: access.smi-spec.io/v1alpha3', 'kind: TrafficTarget', 'metadata: {name: monitor-web, namespace: shop}',
      'spec:', '  destination: {kind: ServiceAccount, name: web, namespace: shop}',
      '  rules: [{kind: HTTPRouteGroup, name: routes}]', '  sources: [{kind: ServiceAccount, name: monitor, namespace: ops}]', '',
    ].join('\n'),
  });
  const r = check(dir, ['mesh.ts', 'ops.yaml']);
  assert.is(r.code, 0, r.findings.map((f) => `${at(f)} ${f.message}`).join('\n'));
});

test('an object defined in YAML and in the DSL is a duplicate pointing at both', () => {
  const dir = project({
    'mesh.ts': mesh(),
    'dup.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: shop}\n',
  });
  const r = check(dir, ['.']);
  const dup = r.findings.find((f) => f.code === 'MESH0012');
  assert.ok(dup, r.findings.map(at).join(', '));
  assert.ok(/mesh\.ts:6/.test(dup!.message) || (dup!.file === 'mesh.ts' && dup!.line === 6), `${at(dup!)} ${dup!.message}`);
});

test('directories: mesh.ts and *.mesh.ts are DSL files, other TypeScript is not', () => {
  const dir = project({
    'policy/mesh.ts': mesh(),
    'policy/extra.mesh.ts': `import { defineMesh } from 'meshc';\nexport default defineMesh({ namespaces: { ops: { serviceAccounts: ['monitor'] } } });\n`,
    'policy/helpers.ts': 'export const notAMesh = 1;\n',
    'src/app.ts': 'console.log("an application file");\n',
  });
  const r = runCli(['check', '.'], { cwd: dir, env: { MESHC_CACHE_DIR: CACHE } });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /in 2 files/);
});

test('the cache: a second run reuses the result; a change to a local import is seen; a corrupt entry is a miss', () => {
  const cache = tempDir('meshc-dsl-cache-own-');
  const dir = project({
    'ports.ts': 'export const API_PORT = 8080;\n',
    'mesh.ts': mesh('', "import { API_PORT } from './ports.ts';").replace("api: { selector: { app: 'api' }, ports: [{ port: 8080 }] }", "api: { selector: { app: 'api' }, ports: [{ port: API_PORT }] }"),
  });
  const first = check(dir, ['mesh.ts'], { MESHC_CACHE_DIR: cache });
  assert.is(first.code, 0, JSON.stringify(first.findings));
  const entries = readdirSync(join(cache, 'dsl')).filter((n) => n.endsWith('.json'));
  assert.is(entries.length, 1);
  assert.equal(check(dir, ['mesh.ts'], { MESHC_CACHE_DIR: cache }).findings, first.findings);

  writeFileSync(join(dir, 'ports.ts'), "export const API_PORT = 'http';\n");
  const changed = check(dir, ['mesh.ts'], { MESHC_CACHE_DIR: cache });
  assert.is(changed.code, 1, 'a string port is a type error once the import changes');
  expectFinding(changed.findings, 'MESH0901', 'mesh.ts', 8);

  writeFileSync(join(dir, 'ports.ts'), 'export const API_PORT = 8080;\n');
  for (const name of readdirSync(join(cache, 'dsl'))) writeFileSync(join(cache, 'dsl', name), '{"format": 1, "key": "x", "deps": [');
  const again = check(dir, ['mesh.ts'], { MESHC_CACHE_DIR: cache });
  assert.equal(again.findings, first.findings);
});

test('console output of a DSL file goes to standard error, never into the report', () => {
  const dir = project({ 'mesh.ts': mesh('', "console.log('building the shop mesh', { services: 2 });") });
  const r = runCli(['check', '--format', 'json', 'mesh.ts'], { cwd: dir, env: { MESHC_CACHE_DIR: CACHE } });
  assert.is(r.code, 0);
  JSON.parse(r.stdout);
  assert.match(r.stderr, /mesh\.ts: console: building the shop mesh \{"services":2\}/);
});

test.run();
