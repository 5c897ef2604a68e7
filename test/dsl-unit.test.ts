/**
 * The DSL's parts in isolation: instrumentation (literal positions), message
 * rewriting, the renderer's source references, the TypeScript printer, the
 * sandbox, the cache, and the lazy loading that keeps TypeScript off the
 * YAML-only path.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tsModule from 'typescript';
import type * as TS from 'typescript';
import { instrumentFile, type LiteralInfo } from '../src/dsl/instrument.ts';
import { describeTsMessage } from '../src/dsl/typecheck.ts';
import { LITERAL_TAG, renderMesh, type SourceRef } from '../src/dsl/api/render.ts';
import { defineMesh, external, isMeshDefinition } from '../src/dsl/api/index.ts';
import { printMeshFile, printValue, quote } from '../src/dsl/convert/print-ts.ts';
import { evaluateBundle } from '../src/dsl/evaluate.ts';
import { readCache, writeCache, cacheKey } from '../src/dsl/cache.ts';
import type { MeshInput } from '../src/dsl/api/types.ts';
import { apiFiles } from '../src/dsl/paths.ts';
import { parseKeepingNumbers, stringifyKeepingNumbers } from '../src/dsl/api/json-numbers.ts';
import { catalogEntry, formatMessage } from '../src/core/catalog/index.ts';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';

// typescript is CommonJS: its API is the default export at run time.
const ts = tsModule as unknown as typeof TS;

function instrument(text: string) {
  const sf = ts.createSourceFile('/virtual/mesh.ts', text, ts.ScriptTarget.ES2022, true);
  const table = new Map<number, LiteralInfo>();
  let id = 0;
  const inst = instrumentFile(ts, sf, '/virtual/mesh.ts', table, () => ++id);
  return { inst, table };
}

/** Runs instrumented JS with a tagger that records which literal made each object. */
function runTagged(js: string): unknown {
  const tag = (o: object, id: number) => Object.defineProperty(o, LITERAL_TAG, { value: id });
  return new Function('__meshc_t', `${js}\nreturn result;`)(tag);
}

test('instrument: every literal gets an id and ranges; lines are kept, destructuring targets are left alone', () => {
  const src = "let a = 1, b = 2;\n[a, b] = [b, a];\nconst { x } = { x: 1 };\nconst result = { list: [a, b], x, nested: { k: 'v' } };\n";
  const { inst, table } = instrument(src);
  assert.is(inst.text.split('\n').length, src.split('\n').length);
  assert.ok(inst.text.includes('[a, b] = __meshc_t([b, a],'), inst.text);
  const js = ts.transpileModule(inst.text, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const result = runTagged(js) as Record<string, unknown> & Record<symbol, number>;
  assert.equal(JSON.parse(JSON.stringify(result)), { list: [2, 1], x: 1, nested: { k: 'v' } });
  const info = table.get(result[LITERAL_TAG])!;
  assert.is(inst.toRange(info.span).line, 4);
  const nested = info.props.get('nested')!;
  assert.equal([inst.toRange(nested.key).line, inst.toRange(nested.key).column], [4, 35]);
  const list = table.get((result.list as unknown as Record<symbol, number>)[LITERAL_TAG])!;
  assert.is(list.elems.length, 2);
});

test('instrument: columns of the instrumented text map back to the original', () => {
  const src = "const result = { a: [1, { b: 2 }], c: 'x' };";
  const { inst } = instrument(src);
  const original = src.indexOf("'x'") + 1;
  const instrumented = inst.text.indexOf("'x'") + 1;
  assert.ok(instrumented > original);
  assert.is(inst.originalColumn(1, instrumented), original);
});

test('TypeScript messages of defineMesh errors are put in plain words', () => {
  assert.is(
    describeTsMessage([`Type '"bookstor"' is not assignable to type '"bookstor" & NotInMesh<"service account", "bookstor", "bookstore" | "default">'.`]),
    `"bookstor" is not a service account defined in this mesh (defined: bookstore, default); use external('bookstor') for one defined elsewhere`,
  );
  assert.is(
    describeTsMessage(["Type 'string' is not assignable to type 'UnknownField<\"pathRegx\", \"pathRegex\" | \"methods\" | \"headers\">'."]),
    'unknown field "pathRegx" (known fields: pathRegex, methods, headers)',
  );
  assert.is(describeTsMessage(['Head line.', 'middle', 'The specific one.']), 'Head line. The specific one.');
});

/** Tags like the instrumented DSL would: each object literal gets its own id. */
function tagged<T>(value: T, ids: { next: number; byId: Map<number, unknown> }): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) tagged(v, ids);
    const id = ++ids.next;
    ids.byId.set(id, value);
    Object.defineProperty(value, LITERAL_TAG, { value: id });
  }
  return value;
}

test('render: latest SMI versions, and a source reference for every field', () => {
  const ids = { next: 0, byId: new Map<number, unknown>() };
  const input = tagged({
    namespaces: {
      shop: {
        serviceAccounts: ['api', 'web'],
        services: { api: { ports: [{ port: 80 }] }, 'api-v2': { ports: [{ port: 80 }] } },
        trafficSplits: { canary: { service: 'api', weights: { api: 90, 'api-v2': 10 } } },
        trafficTargets: { t: { destination: 'api', rules: [{ kind: 'TCPRoute', name: external('db') }], sources: ['web', 'ops/monitor'] } },
      },
    },
  }, ids) as unknown as MeshInput;
  const { documents, problems } = renderMesh(input);
  assert.equal(problems, []);
  const kinds = documents.map((d) => `${d.value.apiVersion} ${d.value.kind}`);
  assert.equal(kinds, [
    'v1 Namespace', 'v1 ServiceAccount', 'v1 ServiceAccount', 'v1 Service', 'v1 Service',
    'access.smi-spec.io/v1alpha3 TrafficTarget', 'split.smi-spec.io/v1alpha4 TrafficSplit',
  ]);
  const split = documents.find((d) => d.value.kind === 'TrafficSplit')!;
  assert.equal((split.value.spec as Record<string, unknown>).backends, [{ service: 'api', weight: 90 }, { service: 'api-v2', weight: 10 }]);
  const ref = (path: (string | number)[]) => split.refs.find(([p]) => JSON.stringify(p) === JSON.stringify(path))?.[1] as SourceRef;
  const weights = (input.namespaces!.shop!.trafficSplits!.canary as { weights: object }).weights;
  assert.equal(ref(['spec', 'backends', 1, 'weight']), { lit: (weights as Record<symbol, number>)[LITERAL_TAG], prop: 'api-v2' });
  assert.equal(ref(['spec', 'backends', 1, 'service']), { lit: (weights as Record<symbol, number>)[LITERAL_TAG], prop: 'api-v2', key: true });
  const target = documents.find((d) => d.value.kind === 'TrafficTarget')!.value.spec as Record<string, unknown>;
  assert.equal(target.rules, [{ kind: 'TCPRoute', name: 'db' }]);
  assert.equal(target.sources, [
    { kind: 'ServiceAccount', name: 'web', namespace: 'shop' },
    { kind: 'ServiceAccount', name: 'monitor', namespace: 'ops' },
  ]);
});

test('render: bad shapes (from `any`) are problems, never exceptions', () => {
  const { documents, problems } = renderMesh({ namespaces: { a: 5, b: { services: [1], colour: 'red', trafficSplits: { s: { service: 'x', backends: [], weights: {} } } } } } as unknown as MeshInput);
  const messages = problems.map((p) => `${p.code} ${formatMessage(catalogEntry(p.code).message, p.args)}`);
  assert.ok(messages.includes('MESH0909 namespace a must be an object (its service accounts, services, workloads and policy), not a number'), messages.join('\n'));
  assert.ok(messages.includes('MESH0909 namespace b: services must be an object (name → definition), not a list'), messages.join('\n'));
  assert.ok(messages.some((m) => /^MESH0922 unknown field colour in namespace b \(known: .*services/.test(m)), messages.join('\n'));
  assert.ok(messages.includes('MESH0923 TrafficSplit b/s has both backends and weights; give one of them'), messages.join('\n'));
  assert.ok(documents.length >= 1);
  assert.equal(renderMesh(null as unknown as MeshInput).documents, []);
});

test('defineMesh and external: a marked definition; a label named "external" is not a reference', () => {
  const def = defineMesh({ namespaces: { a: { serviceAccounts: ['x'] } } });
  assert.ok(isMeshDefinition(def));
  assert.not.ok(isMeshDefinition({ namespaces: {} }));
  const { documents } = renderMesh({ namespaces: { a: { labels: { external: 'yes' }, services: { s: { ports: [{ port: 1 }], selector: { external: 'true' } } } } } });
  assert.equal((documents[0]!.value.metadata as Record<string, unknown>).labels, { external: 'yes' });
  assert.equal((documents[1]!.value.spec as Record<string, unknown>).selector, { external: 'true' });
});

test('print-ts: quoting, bare keys, one-line short values, external(), a header', () => {
  assert.is(quote("it's \"x\"\n"), "'it\\'s \"x\"\\n'");
  assert.is(printValue({ a: 1, 'b-c': ['x', external('y')] }, 0), "{ a: 1, 'b-c': ['x', external('y')] }");
  const long = printValue({ list: Array.from({ length: 30 }, (_, i) => `item-${i}`) }, 0);
  assert.ok(long.split('\n').length > 30);
  const file = printMeshFile({ namespaces: { a: { serviceAccounts: ['x'], trafficTargets: { t: { destination: 'x', rules: [], sources: [external('b/y')] } } } } }, ['in.yaml']);
  assert.match(file, /^\/\/ Generated by `meshc import` from in\.yaml\./);
  assert.match(file, /import \{ defineMesh, external \} from 'meshc';/);
  assert.match(file, /export default defineMesh\(\{\n/);
});

test('sandbox: ECMAScript only (no require, process, fetch, timers), no eval, console collected', async () => {
  const probe = await evaluateBundle(
    "console.log('hi', [1]); globalThis.__meshcOutput = [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof module].join(',');",
    'meshc-dsl-bundle.js',
  );
  assert.equal(probe, { kind: 'ok', output: 'undefined,undefined,undefined,undefined,undefined', logs: ['hi [1]'] });
  const escape = await evaluateBundle("this.constructor.constructor('return process')().exit(3)", 'meshc-dsl-bundle.js');
  assert.is(escape.kind, 'threw');
  assert.match((escape as { message: string }).message, /EvalError/);
  const loop = await evaluateBundle('for (;;) {}', 'meshc-dsl-bundle.js', 200);
  assert.is(loop.kind, 'timeout');
  const memory = await evaluateBundle('const a = []; for (;;) a.push(new Array(1e5).fill(7));', 'meshc-dsl-bundle.js', 60_000);
  assert.is(memory.kind, 'out-of-memory');
});

test('cache: a hit needs every dependency unchanged; a corrupt entry is a miss', () => {
  const dir = tempDir('meshc-cache-unit-');
  const dep = join(dir, 'helper.ts');
  writeFileSync(dep, 'export const a = 1;\n');
  const key = cacheKey('/x/mesh.ts', 'text');
  const outcome = { findings: [], documents: [], logs: ['x'] };
  writeCache(join(dir, 'c'), key, [dep], outcome);
  assert.equal(readCache(join(dir, 'c'), key), outcome);
  writeFileSync(dep, 'export const a = 2;\n');
  assert.is(readCache(join(dir, 'c'), key), null);
  writeFileSync(join(dir, 'c', `${key}.json`), '\u0000not json');
  assert.is(readCache(join(dir, 'c'), key), null);
  assert.is.not(cacheKey('/x/mesh.ts', 'text'), cacheKey('/x/mesh.ts', 'text2'));
  assert.is.not(cacheKey('/x/mesh.ts', 'text'), cacheKey('/y/mesh.ts', 'text'));
});

test('TypeScript code cache: written after a check, used next time, ignored when damaged', () => {
  const dir = tempDir('meshc-v8cache-');
  const script = `
    const { loadTypeScript } = await import(${JSON.stringify(join(ROOT, 'src/dsl/ts-load.ts'))});
    const t = loadTypeScript(${JSON.stringify(dir)});
    const sf = t.ts.createSourceFile('x.ts', 'const a: number = 1;', t.ts.ScriptTarget.ES2022);
    t.persist();
    console.log(t.ts.version + ' ' + sf.statements.length);
  `;
  const run = () => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  const first = run();
  assert.is(first.status, 0, first.stderr);
  const files = readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
  assert.is(files.length, 1);
  const path = join(dir, files[0]!);
  const written = readFileSync(path);
  assert.ok(written.length > 1000);
  const second = run();
  assert.is(second.stdout, first.stdout);
  assert.ok(readFileSync(path).equals(written), 'an accepted cache is not rewritten');
  const damaged = Buffer.from(written);
  damaged[damaged.length - 10] ^= 0xff;
  writeFileSync(path, damaged);
  const third = run();
  assert.is(third.status, 0, third.stderr);
  assert.is(third.stdout, first.stdout);
  assert.not.ok(readFileSync(path).equals(damaged), 'a damaged cache is replaced');
});

/** Which of TypeScript / esbuild a child process loaded while checking `paths` through the built API. */
function heavyModulesLoaded(paths: string[]): string[] {
  const script = `
    import { createRequire } from 'node:module';
    const { check } = await import(${JSON.stringify(join(ROOT, 'dist/index.js'))});
    await check(${JSON.stringify(paths)}, { cwd: ${JSON.stringify(ROOT)} });
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(['typescript', 'esbuild'].filter((m) => cache.some((k) => k.includes('/node_modules/' + m + '/')))));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, MESHC_NO_CACHE: '1' },
  });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as string[];
}

test('TypeScript and esbuild load only when a DSL file is among the inputs', () => {
  assert.equal(heavyModulesLoaded(['fixtures/bookstore']), []);
  assert.equal(heavyModulesLoaded(['fixtures/bookstore-ts/mesh.ts']), ['typescript', 'esbuild']);
});

test.run();

test('cache: every file of src/dsl/api is part of the DSL cache key (an edited renderer never reuses old results)', () => {
  const files = readdirSync(join(ROOT, 'src', 'dsl', 'api')).filter((f) => f.endsWith('.ts')).sort();
  assert.equal(apiFiles(), files);
});

test('json-numbers: NaN and ±Infinity survive the trip; other values are plain JSON', () => {
  const value = { a: NaN, b: [Infinity, -Infinity, 1, null], c: { d: 'x' } };
  const text = stringifyKeepingNumbers(value);
  assert.equal(parseKeepingNumbers(text), value);
  assert.is(stringifyKeepingNumbers({ a: 1, b: [null] }), '{"a":1,"b":[null]}');
  // A manifest's own one-key objects are left alone.
  assert.equal(parseKeepingNumbers('{"meshc:number":"NaN"}'), { 'meshc:number': 'NaN' });
});
