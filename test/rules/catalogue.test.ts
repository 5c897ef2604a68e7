import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { allCatalogEntries } from '../../src/core/catalog/index.ts';
import { RULES } from '../../src/rules/registry.ts';

const mine = (code: string) => code >= 'MESH0200' && code < 'MESH0600';
const entries = allCatalogEntries().filter((e) => mine(e.code) && !e.retired);
const retired = allCatalogEntries().filter((e) => mine(e.code) && e.retired);
const rules = RULES.filter((r) => r.codes.some(mine));
const guide = readFileSync(new URL('../../docs/guide-rules.md', import.meta.url), 'utf8');

test('every MESH0200-0599 code belongs to exactly one rule, and every rule code is catalogued', () => {
  const owners = new Map<string, string[]>();
  for (const r of rules) for (const c of r.codes) owners.set(c, [...(owners.get(c) ?? []), r.id]);
  for (const e of entries) assert.equal(owners.get(e.code)?.length, 1, `${e.code} owners: ${owners.get(e.code)}`);
  const catalogued = new Set(entries.map((e) => e.code));
  for (const c of owners.keys()) assert.ok(catalogued.has(c), `${c} is not in the catalogue (or is retired)`);
  // A retired code keeps its entry, is never reported again, and its doc says what reports the mistake now.
  for (const e of retired) {
    assert.not.ok(owners.has(e.code), `${e.code} is retired but rule ${owners.get(e.code)} still reports it`);
    assert.match(e.doc, /^Retired: .*MESH\d{4}/, `${e.code}: the doc must start by saying what reports it now`);
  }
});

test('catalogue entries have a kebab-case name, a message and a real doc text', () => {
  const names = new Set<string>();
  for (const e of entries) {
    assert.match(e.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, e.code);
    assert.ok(!names.has(e.name), `${e.code}: duplicate name ${e.name}`);
    names.add(e.name);
    assert.ok(e.doc.length >= 150, `${e.code}: doc too short`);
    assert.match(e.doc, /Fix:|fix/i, `${e.code}: doc must say how to fix`);
  }
});

test('rule ids are unique, kebab-case, and described', () => {
  const ids = rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of rules) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(r.description.length > 20 && r.inputs.length > 0, r.id);
  }
});

test('the user guide documents every rule id and code', () => {
  for (const r of rules) assert.ok(guide.includes(`\`${r.id}\``), `docs/guide-rules.md lacks ${r.id}`);
  const ranges = [...guide.matchAll(/MESH(\d{4})–MESH(\d{4})/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  for (const e of entries) {
    const n = Number(e.code.slice(4));
    assert.ok(guide.includes(e.code) || ranges.some(([a, b]) => a <= n && n <= b), `docs/guide-rules.md lacks ${e.code}`);
  }
});

test.run();
