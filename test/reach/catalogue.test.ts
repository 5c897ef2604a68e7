/** The reachability (MESH06xx) and policy-test (MESH07xx) catalogue entries, rules and user guide agree. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { allCatalogEntries } from '../../src/core/catalog/index.ts';
import { RULES } from '../../src/rules/registry.ts';

const entries = allCatalogEntries().filter((e) => e.code >= 'MESH0600' && e.code < 'MESH0800');
const reachRules = RULES.filter((r) => r.codes.some((c) => c.startsWith('MESH06')));
const guide = readFileSync(new URL('../../docs/guide-reach.md', import.meta.url), 'utf8');

test('every MESH06xx code belongs to exactly one reach rule; every MESH07xx code to meshc test', () => {
  for (const e of entries.filter((x) => x.code < 'MESH0700')) {
    const owners = reachRules.filter((r) => (r.codes as readonly string[]).includes(e.code));
    assert.is(owners.length, 1, `${e.code} owners: ${owners.map((r) => r.id)}`);
    assert.is(e.area, 'rules/reach');
  }
  for (const e of entries.filter((x) => x.code >= 'MESH0700')) assert.is(e.area, 'policy-test');
  const catalogued = new Set(entries.map((e) => e.code));
  for (const r of reachRules) for (const c of r.codes) assert.ok(catalogued.has(c), `${c} is not in the catalogue`);
});

test('entries have a kebab-case name, a message and a doc that says what to do', () => {
  const names = new Set<string>();
  for (const e of entries) {
    assert.match(e.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, e.code);
    assert.not.ok(names.has(e.name), `${e.code}: duplicate name ${e.name}`);
    names.add(e.name);
    assert.ok(e.doc.length >= 150, `${e.code}: doc too short`);
    assert.match(e.doc, /Fix|fix/, `${e.code}: doc must say how to fix`);
  }
});

test('docs/guide-reach.md documents every code and rule id', () => {
  for (const e of entries) assert.ok(guide.includes(e.code), `docs/guide-reach.md lacks ${e.code}`);
  for (const r of reachRules) assert.ok(guide.includes(`\`${r.id}\``), `docs/guide-reach.md lacks ${r.id}`);
});

test.run();
