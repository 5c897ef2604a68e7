/** The shipped JSON Schemas, the kinds table and the validators compiled from them agree. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KINDS, apiVersionOf, schemaKey } from '../src/schema/kinds.ts';
import { VALIDATORS } from '../src/schema/validators.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function schemaFiles(dir = join(ROOT, 'schemas'), out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) schemaFiles(full, out);
    else if (name.endsWith('.json')) out.push(relative(join(ROOT, 'schemas'), full).replace(/\.json$/, ''));
  }
  return out;
}

test('src/schema/generated/ (validator index and per-schema modules) is up to date with schemas/', () => {
  const r = spawnSync(process.execPath, ['scripts/prebuild-schemas.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
});

test('every kind and version meshc accepts has a schema and a validator, and nothing else does', () => {
  const expected = new Set(KINDS.flatMap((k) => k.versions.map((v) => schemaKey(k, v))));
  assert.equal([...expected].sort(), Object.keys(VALIDATORS).sort());
  assert.equal(schemaFiles().filter((f) => f !== 'definitions').sort(), [...expected].sort());
});

test('SMI and OSM schemas pin their apiVersion and kind, and close every object', () => {
  for (const info of KINDS.filter((k) => k.family !== 'kubernetes')) {
    for (const version of info.versions) {
      const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', `${schemaKey(info, version)}.json`), 'utf8'));
      assert.equal(schema.properties.apiVersion, { const: apiVersionOf(info.group, version) });
      assert.equal(schema.properties.kind, { const: info.kind });
      const open: string[] = [];
      const visit = (s: Record<string, unknown>, path: string) => {
        if (s.properties && s.additionalProperties !== false) open.push(path);
        for (const [k, sub] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) visit(sub, `${path}.${k}`);
        if (s.items) visit(s.items as Record<string, unknown>, `${path}[]`);
      };
      visit(schema, info.kind);
      assert.equal(open, [], `${info.kind} ${version}: objects that accept unknown fields`);
    }
  }
});

test.run();
