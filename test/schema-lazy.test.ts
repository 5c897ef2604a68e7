/**
 * Schema validators are loaded per kind and version, the first time a document needs one
 * (src/schema/validators.ts): each key gets the validator of its own schema, and a run loads
 * only the validators of the kinds in its input (observed through Node's module cache, not timing).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import { KINDS, apiVersionOf, schemaKey } from '../src/schema/kinds.ts';
import { CLOSED_FIELDS, VALIDATORS } from '../src/schema/validators.ts';
import { ROOT } from './helpers/cli.ts';

const ALL = KINDS.flatMap((info) => info.versions.map((version) => ({ info, version, key: schemaKey(info, version) })));

/** A document of each kind and version with a bad name, an unknown field and missing fields. */
const sample = (info: (typeof KINDS)[number], version: string) => ({
  apiVersion: apiVersionOf(info.group, version),
  kind: info.kind,
  metadata: { name: 'Not_A_Name', namespace: 'ns' },
  spec: { notAField: 1 },
});

function schemaFiles(dir = join(ROOT, 'schemas'), out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) schemaFiles(full, out);
    else if (name.endsWith('.json')) out.push(full);
  }
  return out;
}

test('each schema key validates with its own schema: same verdict and errors as ajv compiling schemas/ now, for a document of every kind', () => {
  const ajv = new Ajv.default({ allErrors: true, strict: false, allowUnionTypes: true });
  const ids = new Map<string, string>();
  for (const file of schemaFiles()) {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    ajv.addSchema(schema);
    ids.set(relative(join(ROOT, 'schemas'), file).replace(/\.json$/, ''), schema.$id);
  }
  const docs = ALL.map(({ info, version }) => sample(info, version));
  for (const { key } of ALL) {
    const reference = ajv.getSchema(ids.get(key)!)!;
    const generated = VALIDATORS[key]!;
    for (const doc of docs) {
      const expected = reference(doc);
      const expectedErrors = structuredClone(reference.errors ?? null);
      assert.is(generated(doc), expected, `${key} on a ${doc.apiVersion} ${doc.kind}`);
      assert.equal(generated.errors ?? null, expectedErrors, `${key} on a ${doc.apiVersion} ${doc.kind}`);
    }
    assert.type(CLOSED_FIELDS[key], 'object', key);
  }
  assert.is(VALIDATORS['split.smi-spec.io/TrafficSplit-v9'], undefined);
});

/** Runs the built CLI on `file` and returns the validator modules (dist/validators/*.cjs) it loaded. */
function loadedValidators(args: string[]): { code: number; loaded: string[]; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-lazy-'));
  try {
    const hook = join(dir, 'record-modules.cjs');
    const out = join(dir, 'loaded.json');
    // At exit, the CommonJS modules in Node's module cache (shared by every require of the process).
    writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const r = spawnSync(process.execPath, ['--require', hook, join(ROOT, 'bin', 'meshc.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MESHC_NO_CACHE: '1' } });
    const cached = JSON.parse(readFileSync(out, 'utf8')) as string[];
    const prefix = join(ROOT, 'dist', 'validators') + '/';
    const loaded = cached.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).replace(/\.cjs$/, '')).sort();
    return { code: r.status ?? -1, loaded, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('check of one TrafficSplit loads that validator only', () => {
  const r = loadedValidators(['check', 'fixtures/bookstore/policy/split.yaml']);
  assert.is(r.code, 1, r.stderr); // its backends are not declared in that one file
  assert.equal(r.loaded, ['split.smi-spec.io/TrafficSplit-v1alpha4']);
});

test('check loads the validators of exactly the kinds and versions in the input, every one when every one is there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-lazy-input-'));
  try {
    const two = join(dir, 'two.yaml');
    writeFileSync(two, [sample(KINDS.find((k) => k.kind === 'HTTPRouteGroup')!, 'v1alpha2'), sample(KINDS.find((k) => k.kind === 'Service')!, 'v1'), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }].map((d) => JSON.stringify(d)).join('\n---\n'));
    const r2 = loadedValidators(['check', '--format', 'json', two]);
    assert.is(r2.code, 1, r2.stderr);
    assert.equal(r2.loaded, ['kubernetes/Service', 'specs.smi-spec.io/HTTPRouteGroup-v1alpha2']);

    const every = join(dir, 'every.yaml');
    writeFileSync(every, ALL.map(({ info, version }) => JSON.stringify(sample(info, version))).join('\n---\n'));
    const all = loadedValidators(['check', '--format', 'json', every]);
    assert.is(all.code, 1, all.stderr);
    assert.equal(all.loaded, [...new Set(ALL.map((k) => k.key))].sort());
    const report = JSON.parse(spawnSync(process.execPath, [join(ROOT, 'bin', 'meshc.js'), 'check', '--format', 'json', every], { cwd: ROOT, encoding: 'utf8' }).stdout) as { diagnostics: { code: string }[] };
    const badNames = report.diagnostics.filter((d) => d.code === 'MESH0113').length;
    assert.is(badNames, ALL.length, 'every document is validated (each has a bad name)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
