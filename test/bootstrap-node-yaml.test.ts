// The ADS bootstrap's `node` part is written without the YAML library when the node's id and cluster are plain
// names (src/snapshot/bootstrap-file.ts, a compile speed-up): the text must be exactly what the yaml package
// writes, for every name the shortcut accepts; every other name takes the general path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { isPlainName, plainNodeYaml } from '../src/snapshot/bootstrap-file.ts';

const viaYaml = (id: string, cluster: string) => stringify({ node: { id, cluster } }, { lineWidth: 0 });

test('names meshc gives nodes are plain, and written as the yaml package writes them', () => {
  for (const [id, cluster] of [['bookstore/deployment/bookstore-v1', 'bookstore.bookstore'], ['ns-0/statefulset/db-0', 'db.ns-0'], ['a/b/c', 'x']]) {
    assert.ok(isPlainName(id) && isPlainName(cluster), `${id} ${cluster}`);
    assert.is(plainNodeYaml(id, cluster), viaYaml(id, cluster));
  }
});

test('names YAML would quote or read as another type are refused', () => {
  for (const s of ['', 'null', 'true', 'false', '123', '1e3', '0x1f', '.inf', '-a', 'a:', 'a: b', 'a #b', 'A', 'a b', 'a..b', 'a/', '/a', 'a\nb', "a'", '~', 1, null]) {
    assert.not.ok(isPlainName(s), JSON.stringify(s));
  }
});

test('every name the shortcut accepts comes out exactly as the yaml package writes it (property)', () => {
  const part = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
  const name = fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.array(fc.tuple(fc.constantFrom('', '.', '/', '-'), part), { maxLength: 5 }))
    .map(([first, rest]) => first + rest.map(([sep, p]) => sep + p).join(''));
  fc.assert(fc.property(name, name, (id, cluster) => {
    if (!isPlainName(id) || !isPlainName(cluster)) return true;
    return plainNodeYaml(id, cluster) === viaYaml(id, cluster);
  }), { numRuns: 3000, seed: 20261206 });
  // And any string at all: accepted only when the yaml package writes it plain.
  fc.assert(fc.property(fc.string({ maxLength: 12 }), (s) => !isPlainName(s) || viaYaml(s, s) === plainNodeYaml(s, s)), { numRuns: 3000, seed: 7 });
});

test.run();
