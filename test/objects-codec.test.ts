/**
 * The bytes of a parsed file's objects (src/load/objects-codec.ts), which
 * the parse cache stores and parse workers send: JSON when JSON gives back
 * exactly what the YAML parser made, v8's encoding for everything JSON would
 * change. Either way a re-check through the cache sees the very objects a
 * parse would have made.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeObjects, encodeObjects } from '../src/load/objects-codec.ts';
import { decodeParsedFile, parseToEncodedFile, parseToParsedFile } from '../src/load/parsed-file.ts';

const isJson = (bytes: Uint8Array) => bytes[0] === '['.charCodeAt(0);

test('plain manifests are stored as JSON and read back equal, key order included', () => {
  const docs = [[0, [], { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', '10': 'x', labels: { b: '1', a: '2' } }, spec: { ports: [{ port: 80 }] }, nothing: null, ok: true, ['__proto__']: { k: 'v' } }]];
  const bytes = encodeObjects(docs);
  assert.ok(isJson(bytes));
  const back = decodeObjects(bytes) as typeof docs;
  assert.equal(back, docs);
  const value = back[0]![2] as Record<string, unknown>;
  assert.equal(Object.keys(value), Object.keys(docs[0]![2] as object));
  assert.ok(Object.hasOwn(value, '__proto__'), 'a __proto__ key stays an own key');
  assert.is(Object.getPrototypeOf(value), Object.prototype);
});

test('values JSON would change go through v8 and come back exactly', () => {
  const shared = { name: 'anchored' };
  const sparse: unknown[] = [1];
  sparse[2] = 3;
  const cases: [string, unknown, (v: unknown) => boolean][] = [
    ['-0', { port: -0 }, (v) => Object.is((v as { port: number }).port, -0)],
    ['NaN', { n: Number.NaN }, (v) => Number.isNaN((v as { n: number }).n)],
    ['Infinity', { n: -Infinity }, (v) => (v as { n: number }).n === -Infinity],
    ['an undefined member', { u: undefined }, (v) => 'u' in (v as object)],
    ['an object shared by an alias', { a: shared, b: shared }, (v) => (v as { a: object; b: object }).a === (v as { a: object; b: object }).b],
    ['a hole in a list', { l: sparse }, (v) => !(1 in (v as { l: unknown[] }).l) && (v as { l: unknown[] }).l.length === 3],
  ];
  for (const [what, value, exact] of cases) {
    const bytes = encodeObjects([value]);
    assert.not.ok(isJson(bytes), `${what}: not JSON`);
    assert.ok(exact((decodeObjects(bytes) as unknown[])[0]), `${what}: read back exactly`);
  }
});

test('a parsed file comes back from its encoding as the parse made it: aliases still one object', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\ndata: &d {k: v}\nother: *d\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {ports: [{port: 80}]}\n';
  const parsed = parseToParsedFile(text, 'f.yaml')!;
  const encoded = parseToEncodedFile(text, 'f.yaml')!;
  assert.not.ok(isJson(encoded.objects), 'the alias makes this file v8-encoded');
  const back = decodeParsedFile(encoded)!;
  assert.equal(back.documents, parsed.documents);
  const first = back.documents[0]![2] as { data: object; other: object };
  assert.ok(first.data === first.other, 'the alias and its anchor are one object, as after a parse');
  const plain = parseToEncodedFile('apiVersion: v1\nkind: Service\nmetadata: {name: b}\n', 'g.yaml')!;
  assert.ok(isJson(plain.objects));
  assert.equal(decodeParsedFile(plain)!.documents, parseToParsedFile('apiVersion: v1\nkind: Service\nmetadata: {name: b}\n', 'g.yaml')!.documents);
});

test('damaged bytes throw (the cache then ignores the entry)', () => {
  const bytes = Buffer.from(encodeObjects([{ a: 1 }]));
  assert.throws(() => decodeObjects(bytes.subarray(0, bytes.length - 2)));
  assert.is(decodeParsedFile({ ...parseToEncodedFile('a: 1\n', 'h.yaml')!, objects: Buffer.from('[{"a":') }), null);
});

test.run();
