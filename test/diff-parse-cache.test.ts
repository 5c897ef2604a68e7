/**
 * `meshc diff` parses a file that is the same in both trees once (a parse
 * cache keyed by display name and text). Loading through the cache must
 * give exactly what a load without it gives: nothing downstream may change
 * the shared parsed documents.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadMesh, lint } from '../src/pipeline/check.ts';
import type { SharedParses } from '../src/load/index.ts';
import { CORPUS } from './helpers/corpus.ts';

const strip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

for (const paths of [['fixtures/bookstore'], [CORPUS]]) {
  test(`a second load through the cache equals a load without it: ${paths.join(' ')}`, async () => {
    const cache: SharedParses = new Map();
    const first = await loadMesh(paths, { parseCache: cache });
    lint(first);
    assert.ok(cache.size > 0, 'the cache holds the parsed files');
    const second = await loadMesh(paths, { parseCache: cache });
    const plain = await loadMesh(paths);
    assert.equal(strip(second.mesh), strip(plain.mesh));
    assert.equal(second.diagnostics, plain.diagnostics);
    assert.equal(lint(second), lint(plain));
    assert.equal(second.files, plain.files);
  });
}

test.run();
