/**
 * loadMesh builds the model while the files are loaded (MeshBuilder fed by
 * the loader's onDocument, in input order, while parse workers are busy).
 * It must give exactly what building it after loading gives: the same
 * model and the same findings in the same order, with and without workers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateMesh } from '../bench/generate.ts';
import { defaultConfig } from '../src/config/types.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { lazyDslLoader } from '../src/dsl/extra-loader.ts';
import { loadDocuments } from '../src/load/index.ts';
import { buildMesh } from '../src/model/build.ts';
import { loadMesh } from '../src/pipeline/check.ts';
import { CORPUS } from './helpers/corpus.ts';
import { tempDir } from './helpers/temp.ts';

const strip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

const inputs: [string, () => string[]][] = [
  ['the bad fixtures, the bookstore and the corpus', () => ['fixtures/bad', 'fixtures/bookstore', 'fixtures/bookstore-ts', 'fixtures/gamma-rules', CORPUS]],
  ['a generated mesh big enough for parse workers', () => {
    const dir = tempDir('meshc-model-streaming-');
    generateMesh(dir, { services: 800 });
    return [dir];
  }],
];

for (const [name, paths] of inputs) {
  test(`the model built while loading equals the model built after: ${name}`, async () => {
    const p = paths();
    const sink = new DiagnosticSink();
    const loaded = await loadDocuments(p, sink, { workers: 0, extraLoaders: [lazyDslLoader(p)] });
    const after = buildMesh(loaded.documents, loaded.sources, sink, defaultConfig());
    for (const workers of [0, 1, undefined]) {
      const streamed = await loadMesh(p, { workers });
      assert.equal(strip(streamed.mesh), strip(after), `workers ${workers}: model`);
      assert.equal(streamed.diagnostics, sink.items, `workers ${workers}: findings, in order`);
    }
  });
}

test.run();
