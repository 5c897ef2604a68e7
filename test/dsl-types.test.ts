/**
 * The DSL's types reject mistakes in the editor. Small DSL snippets are
 * type-checked the way an editor does it in a user's project: `meshc`
 * resolved from node_modules through the package's `exports` (its shipped
 * declaration files, dist/types, written by the build), with the settings the
 * guide suggests. Every wrong snippet must fail to compile with exactly one
 * error, at the place marked `/*!*\/`; every right one must compile clean.
 * (meshc's own type-check of the same mistakes: test/dsl-check.test.ts.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';

const MARK = '/*!*/';

/** A valid mesh; `edit` makes one mistake in it (marked with MARK). */
const base = `import { defineMesh, external } from 'meshc';

export default defineMesh({
  namespaces: {
    shop: {
      serviceAccounts: ['web', 'api'],
      services: {
        api: { selector: { app: 'api' }, ports: [{ port: 8080 }, { name: 'db', port: 5432, protocol: 'TCP' }] },
        'api-v2': { selector: { app: 'api', version: 'v2' }, ports: [{ port: 8080 }] },
      },
      deployments: {
        api: { serviceAccount: 'api', podLabels: { app: 'api' }, containers: [{ name: 'api', image: 'api:1', ports: [{ containerPort: 8080 }] }] },
        web: { serviceAccount: 'web', podLabels: { app: 'web' }, containers: [{ name: 'web', image: 'web:1' }] },
      },
      httpRouteGroups: {
        routes: { matches: { list: { pathRegex: '/items.*', methods: ['GET'] }, all: {} } },
      },
      tcpRoutes: { db: { ports: [5432] } },
      udpRoutes: { dns: {} },
      trafficTargets: {
        api: {
          destination: 'api',
          rules: [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['list'] }, { kind: 'TCPRoute', name: 'db' }, { kind: 'UDPRoute', name: 'dns' }],
          sources: ['web', 'shop/api', external('ops/monitor')],
        },
      },
      trafficSplits: {
        canary: { service: 'api', backends: [{ service: 'api', weight: 90 }, { service: 'api-v2', weight: 10 }] },
        short: { service: 'api', weights: { api: 50, 'api-v2': 50 }, matches: [{ kind: 'HTTPRouteGroup', name: 'routes' }] },
      },
    },
  },
});
`;

function edit(from: string, to: string): string {
  assert.ok(base.includes(from), `the base mesh contains ${from}`);
  return base.replace(from, to);
}

interface Case { name: string; text: string; message: RegExp }

const WRONG: Case[] = [
  { name: 'a weight that is not a number', text: edit("{ service: 'api-v2', weight: 10 }", `{ service: 'api-v2', ${MARK}weight: '10' }`), message: /'string' is not assignable to type 'number'/ },
  { name: 'a weight (shorthand) that is not a number', text: edit("'api-v2': 50 }", `${MARK}'api-v2': '50' }`), message: /'string' is not assignable to type 'number'/ },
  { name: 'a method outside the enum', text: edit("methods: ['GET']", `methods: [${MARK}'FETCH']`), message: /'"FETCH"' is not assignable to type 'HttpMethod'/ },
  { name: 'a protocol outside the enum', text: edit("protocol: 'TCP'", `${MARK}protocol: 'HTTP'`), message: /'"HTTP"' is not assignable to type 'Protocol/ },
  { name: 'an undefined HTTPRouteGroup in a rule', text: edit("name: 'routes', matches: ['list']", `${MARK}name: 'rotues'`), message: /NotInMesh<"HTTPRouteGroup", "rotues"/ },
  { name: 'an undefined match', text: edit("matches: ['list']", `matches: [${MARK}'lst']`), message: /NotInMesh<"match of this HTTPRouteGroup", "lst"/ },
  { name: 'an undefined TCPRoute', text: edit("name: 'db' }", `${MARK}name: 'dbb' }`), message: /NotInMesh<"TCPRoute", "dbb"/ },
  { name: 'an undefined UDPRoute', text: edit("name: 'dns' }", `${MARK}name: 'dnss' }`), message: /NotInMesh<"UDPRoute", "dnss"/ },
  { name: 'an undefined source service account', text: edit("sources: ['web'", `sources: [${MARK}'webb'`), message: /NotInMesh<"service account", "webb"/ },
  { name: 'an undefined destination', text: edit("destination: 'api'", `${MARK}destination: 'apii'`), message: /NotInMesh<"service account", "apii"/ },
  { name: 'an undefined split backend', text: edit("{ service: 'api-v2', weight: 10 }", `{ ${MARK}service: 'api-v3', weight: 10 }`), message: /NotInMesh<"Service", "api-v3"/ },
  { name: 'an undefined split root service', text: edit("canary: { service: 'api'", `canary: { ${MARK}service: 'apii'`), message: /NotInMesh<"Service", "apii"/ },
  { name: 'an undefined backend in the weights shorthand', text: edit("'api-v2': 50 }", `${MARK}'api-v3': 50 }`), message: /NotInMesh<"Service", "api-v3"|'api-v3'/ },
  { name: 'an undefined HTTPRouteGroup in split matches', text: edit("name: 'routes' }]", `${MARK}name: 'rotues' }]`), message: /NotInMesh<"HTTPRouteGroup", "rotues"/ },
  { name: 'a misspelt field', text: edit("pathRegex: '/items.*'", `${MARK}pathRegx: '/items.*'`), message: /UnknownField<"pathRegx"/ },
];

const RIGHT: Case[] = [
  { name: 'the base mesh', text: base, message: /^$/ },
  { name: 'names defined elsewhere, marked external()', text: edit("name: 'routes', matches: ['list']", "name: external('routes-elsewhere'), matches: ['anything']"), message: /^$/ },
];

/** A user's project: meshc installed in node_modules (a link to this checkout), tsconfig as in the guide. */
function project(cases: Case[]): { dir: string; files: Map<string, { case: Case; line: number; column: number }> } {
  const dir = tempDir('meshc-dsl-types-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'meshc'), 'dir');
  const files = new Map<string, { case: Case; line: number; column: number }>();
  cases.forEach((c, i) => {
    const at = c.text.indexOf(MARK);
    const text = c.text.replace(MARK, '');
    const before = text.slice(0, Math.max(at, 0)).split('\n');
    const file = join(dir, `case${i}.mesh.ts`);
    writeFileSync(file, text);
    files.set(file, { case: c, line: at < 0 ? 0 : before.length, column: at < 0 ? 0 : before[before.length - 1]!.length + 1 });
  });
  return { dir, files };
}

function typecheck(dir: string, files: string[]): ts.Diagnostic[] {
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022, allowImportingTsExtensions: true, skipLibCheck: true, types: [],
  };
  const program = ts.createProgram({ rootNames: files, options, host: ts.createCompilerHost(options, true) });
  return [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
}

const where = (d: ts.Diagnostic) => {
  const p = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1, character: -1 };
  return { file: d.file?.fileName ?? '?', line: p.line + 1, column: p.character + 1, text: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
};

test('the package ships its declaration files and `meshc` resolves to them', () => {
  assert.ok(existsSync(join(ROOT, 'dist/types/index.d.ts')), 'dist/types/index.d.ts (run the build)');
  const { dir } = project([]);
  const r = ts.resolveModuleName('meshc', join(dir, 'mesh.ts'), { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, ts.sys);
  assert.ok(r.resolvedModule, 'meshc resolves');
  assert.match(r.resolvedModule!.resolvedFileName, /dist\/types\/index\.d\.ts$/);
});

test('wrong snippets fail to compile, each with one error at the marked place; right ones compile clean', () => {
  const { dir, files } = project([...WRONG, ...RIGHT]);
  const diagnostics = typecheck(dir, [...files.keys()]).map(where);
  const problems: string[] = [];
  for (const [file, expected] of files) {
    const mine = diagnostics.filter((d) => d.file === file);
    const label = `${expected.case.name} (${file})`;
    if (expected.line === 0) {
      if (mine.length > 0) problems.push(`${label}: expected no error, got ${mine.map((d) => `${d.line}:${d.column} ${d.text}`).join(' | ')}`);
      continue;
    }
    if (mine.length !== 1) {
      problems.push(`${label}: expected one error at ${expected.line}:${expected.column}, got ${mine.length}: ${mine.map((d) => `${d.line}:${d.column} ${d.text}`).join(' | ')}`);
      continue;
    }
    const d = mine[0]!;
    if (d.line !== expected.line || d.column !== expected.column) problems.push(`${label}: error at ${d.line}:${d.column}, expected ${expected.line}:${expected.column}: ${d.text}`);
    if (!expected.case.message.test(d.text)) problems.push(`${label}: message ${JSON.stringify(d.text)} does not match ${expected.case.message}`);
  }
  const stray = diagnostics.filter((d) => !files.has(d.file));
  if (stray.length > 0) problems.push(`errors outside the snippets: ${stray.map((d) => `${d.file}:${d.line} ${d.text}`).join(' | ')}`);
  assert.equal(problems, []);
});

test.run();
