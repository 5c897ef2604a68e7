/**
 * The one near-match helper (src/core/suggest.ts) behind every "did you
 * mean …?": transpositions count as one edit, a digit replaced by another
 * digit names another number, and what is reported through the CLI.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closest, editDistance, nearMatches } from '../src/core/suggest.ts';
import { allCatalogEntries } from '../src/core/catalog/index.ts';
import { SMI_GROUPS } from '../src/schema/kinds.ts';
import { runCli } from './helpers/cli.ts';
import { checkYaml } from './rules/tester.ts';

const CODES_AND_NAMES = allCatalogEntries().flatMap((e) => [e.code, e.name]);

test('distance: adjacent transpositions are one edit (Damerau–Levenshtein), bounded', () => {
  assert.is(editDistance('wirte', 'write'), 1);
  assert.is(editDistance('mesh0610', 'mesh0601'), 1);
  assert.is(editDistance('chekc', 'check'), 1);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('abcdef', 'badcfe'), 3);
  assert.is(editDistance('abcdefgh', 'zzzzzzzz', 2), 3, 'stops above the bound');
  // A digit for a digit is another number rather than a typo: it costs one and a half.
  assert.is(editDistance('mesh0610', 'mesh0010'), 1.5);
  assert.is(editDistance('mesh9999', 'mesh0909'), 3);
});

test('codes: a transposition is suggested first, an unrelated number gets no suggestion', () => {
  assert.equal(nearMatches('MESH0610', CODES_AND_NAMES), ['MESH0601']);
  assert.equal(nearMatches('MESH9999', CODES_AND_NAMES), []);
  assert.equal(nearMatches('mesh0003', CODES_AND_NAMES), ['MESH0003']);
  assert.equal(nearMatches('yaml-syntx', CODES_AND_NAMES), ['yaml-syntax']);
});

test('only the nearest candidates, longer common prefix first; related words only when nothing is near', () => {
  assert.equal(nearMatches('birdz', ['birds', 'bird', 'beard']), ['bird', 'birds']);
  assert.equal(nearMatches('path-regex', ['http-match-regex', 'http-match-shadowed']), ['http-match-regex']);
  assert.equal(nearMatches('regex', ['http-match-regex', 'regexp']), ['regexp']);
  assert.equal(nearMatches('web', ['db', 'api']), [], 'short words allow one edit');
  // namespace/name keys also compare the names alone.
  assert.equal(nearMatches('bookbyer', ['bookbuyer/bookbuyer', 'bookstore/bookstore'], { part: (k) => k.slice(k.indexOf('/') + 1) }), ['bookbuyer/bookbuyer']);
});

test('closest: the same word in another case first, else one near typo', () => {
  assert.is(closest('get', ['GET', 'PUT']), 'GET');
  assert.is(closest('gren', ['green', 'blue']), 'green');
  assert.is(closest('zzz', ['green', 'blue']), undefined);
});

test('SMI API groups: any group a typo away is recognised, other groups are not', () => {
  assert.is(closest('split.smi-specs.io', SMI_GROUPS), 'split.smi-spec.io');
  assert.is(closest('acess.smi-spec.io', SMI_GROUPS), 'access.smi-spec.io');
  assert.is(closest('spec.smi-spec.io', SMI_GROUPS), 'specs.smi-spec.io');
  for (const group of ['metrics.k8s.io', 'policy.linkerd.io', 'split.linkerd.io', 'access.k8s.io', 'networking.istio.io', 'security.istio.io', 'gateway.networking.k8s.io', 'apps', 'batch']) {
    assert.is(closest(group, SMI_GROUPS), undefined, group);
  }
});

test('check: a typo in the SMI domain (split.smi-specs.io) is MESH0105 at apiVersion, not a skipped kind', async () => {
  const found = await checkYaml('apiVersion: split.smi-specs.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: canary, namespace: shop}\nspec:\n  service: web\n  backends: [{service: web-v1, weight: 1}]\n');
  assert.equal(found.map((d) => `${d.code} ${d.severity} ${d.range?.line}:${d.range?.column} ${d.message}`), [
    'MESH0105 error 1:13 unknown SMI API group split.smi-specs.io: did you mean split.smi-spec.io?',
  ]);
});

test('meshc explain: MESH0610 suggests MESH0601, MESH9999 suggests nothing', () => {
  const swapped = runCli(['explain', 'MESH0610']);
  assert.is(swapped.code, 2);
  assert.match(swapped.stderr, /unknown code or rule "MESH0610" \(did you mean MESH0601\?\)/);
  const unrelated = runCli(['explain', 'MESH9999']);
  assert.is(unrelated.code, 2);
  assert.match(unrelated.stderr, /MESH1055 unknown code or rule "MESH9999" \[explain-unknown-code\]/);
});

test.run();
