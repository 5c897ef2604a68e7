/** The OSM area of the catalogue (MESH1100–MESH1199): owned by rules or the model, documented in docs/guide-osm.md. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { allCatalogEntries } from '../../../src/core/catalog/index.ts';
import { RULES } from '../../../src/rules/registry.ts';

const entries = allCatalogEntries().filter((e) => e.code >= 'MESH1100' && e.code < 'MESH1200');
const guide = readFileSync(new URL('../../../docs/guide-osm.md', import.meta.url), 'utf8');

test('rule codes (area rules/osm: MESH1110–MESH1159, MESH1180–MESH1182, MESH1185) belong to exactly one rule; model, compile and CLI codes to none', () => {
  const owners = new Map<string, string[]>();
  for (const r of RULES) for (const c of r.codes) if (c.startsWith('MESH11')) owners.set(c, [...(owners.get(c) ?? []), r.id]);
  for (const e of entries) {
    if (e.area === 'rules/osm') assert.equal(owners.get(e.code)?.length, 1, `${e.code} owners: ${owners.get(e.code)}`);
    else assert.not.ok(owners.has(e.code), `${e.code} is reported by the model/CLI, not by rule ${owners.get(e.code)}`);
  }
  for (const c of owners.keys()) assert.ok(entries.some((e) => e.code === c), `${c} is not catalogued`);
});

test('entries are named, documented with a fix, and in the OSM guide', () => {
  const names = new Set<string>();
  for (const e of entries) {
    assert.match(e.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, e.code);
    assert.ok(!names.has(e.name), `${e.code}: duplicate name ${e.name}`);
    names.add(e.name);
    assert.ok(e.doc.length >= 150, `${e.code}: doc too short`);
    assert.match(e.doc, /Fix:/, `${e.code}: doc must say how to fix`);
    assert.ok(guide.includes(e.code) || guide.includes(`\`${e.name}\``), `docs/guide-osm.md lacks ${e.code}`);
  }
  for (const r of RULES.filter((x) => x.codes.some((c) => c.startsWith('MESH11')))) assert.ok(guide.includes(`\`${r.id}\``), `docs/guide-osm.md lacks rule ${r.id}`);
});

test.run();
