/**
 * Parsing in worker threads (src/load/parse-pool.ts) gives exactly what
 * parsing in the loader's own thread gives: the same objects, sources,
 * findings and, through the built CLI, the same bytes and exit code in every
 * format; a worker that cannot answer leaves its file to the loader.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { loadDocuments, MIN_POOL_CHARS, parseWorkerCount } from '../src/load/index.ts';
import { ParsePool } from '../src/load/parse-pool.ts';
import { encodeContent, parseToParsedFile, type DecodedParsedFile } from '../src/load/parsed-file.ts';

/** A worker's answer without the encoding it came in, which must be that of parsing the file in this thread. */
function parsedOnly(answer: DecodedParsedFile | null, text: string, file: string) {
  if (!answer) return answer;
  const { content, ...parsed } = answer;
  assert.is(content?.digest, encodeContent(file, parseToParsedFile(text, file)!)?.digest, `${file}: the worker's digest is this thread's`);
  return parsed;
}
import { check } from '../src/pipeline/check.ts';
import { run } from './cli-run.ts';
import { CORPUS } from './helpers/corpus.ts';
import { tempDir } from './helpers/temp.ts';

const strip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

/** A generated mesh with broken files among the good ones: syntax errors, duplicate keys, a List, a non-manifest, odd scalars. */
function brokenMesh(): string {
  const dir = tempDir('meshc-parse-workers-');
  const mesh = generateMesh(dir, { services: 150, servicesPerFile: 5 });
  const first = mesh.files[0]!;
  writeFileSync(first, readFileSync(first, 'utf8').replace('kind: ServiceAccount', 'kind: ServiceAccount\nkind: Twice'));
  writeFileSync(join(dir, 'syntax.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web\n');
  writeFileSync(join(dir, 'list.yaml'), 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: listed, namespace: ns-1}\n    spec: {ports: [{port: -0}]}\n  - 7\n');
  writeFileSync(join(dir, 'odd.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd, namespace: ns-1}\ndata: {__proto__: x, nan: .nan}\n---\n- a\n');
  writeFileSync(join(dir, 'notes.yaml'), 'just: some\nsettings: [1, 2]\n');
  writeFileSync(join(dir, 'bad-utf8.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0x0a]));
  return dir;
}

test('the parse worker count: none for small inputs, MESHC_PARSE_WORKERS and the workers option decide when given', () => {
  const saved = process.env.MESHC_PARSE_WORKERS;
  try {
    delete process.env.MESHC_PARSE_WORKERS;
    assert.is(parseWorkerCount(MIN_POOL_CHARS - 1), 0);
    assert.is(parseWorkerCount(MIN_POOL_CHARS - 1, 3), 3);
    assert.is(parseWorkerCount(MIN_POOL_CHARS * 10, 0), 0);
    process.env.MESHC_PARSE_WORKERS = '2';
    assert.is(parseWorkerCount(10), 2);
    process.env.MESHC_PARSE_WORKERS = '0';
    assert.is(parseWorkerCount(MIN_POOL_CHARS * 10), 0);
  } finally {
    if (saved === undefined) delete process.env.MESHC_PARSE_WORKERS;
    else process.env.MESHC_PARSE_WORKERS = saved;
  }
});

test('a pool answers each file with what parsing it in this thread records', async () => {
  const pool = new ParsePool(2);
  try {
    const texts: [string, string][] = [
      ['a.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\nkind: x\nkind: y\n'],
      ['b.yaml', 'z: -0\nw: .inf\n__proto__: {polluted: true}\n'],
      ['c.yaml', '{"apiVersion": "v1", "kind": "Service"}{"kind": "Pod"}'],
      ['d.yaml', `${'['.repeat(500)}${']'.repeat(500)}\n`],
    ];
    const answers = await Promise.all(texts.map(([file, text]) => pool.parse(text, file)));
    texts.forEach(([file, text], i) => assert.equal(parsedOnly(answers[i]!, text, file), parseToParsedFile(text, file), file));
    assert.is(Object.is((answers[1]!.documents[0]![2] as { z: number }).z, -0), true, '-0 survives the trip');
    assert.ok(Object.hasOwn(answers[1]!.documents[0]![2], '__proto__'), 'a __proto__ key stays a key');
  } finally {
    await pool.close();
  }
  assert.is(await pool.parse('a: 1\n', 'late.yaml'), null, 'a closed pool leaves files to the loader');
});

test('a share: each file is parsed once, by the loader (which claims from the front) or by a worker (which answers it)', async () => {
  const pool = new ParsePool(1);
  try {
    // ~3 MB behind the first file: the worker, claiming from the back, reaches it long after this thread took it.
    const files = Array.from({ length: 60 }, (_, i) => [`f${i}.yaml`, `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\n${'x: 1\n'.repeat(i * 200)}`] as const);
    const share = pool.share(files.map(([, t]) => t), files.map(([f]) => f));
    assert.is(share.take(0), true, 'the first file is the loader\'s');
    assert.is(share.take(0), false, 'a claimed file cannot be taken again');
    assert.equal(parsedOnly(await share.answer(files.length - 1), files.at(-1)![1], files.at(-1)![0]), parseToParsedFile(files.at(-1)![1], files.at(-1)![0]), 'the last file is the worker\'s');
    for (const [k, [file, text]] of files.entries()) {
      if (k === 0 || k === files.length - 1 || share.take(k)) continue;
      assert.equal(parsedOnly(await share.answer(k), text, file), parseToParsedFile(text, file), `${file} answered by the worker`);
      assert.is(share.take(k), false, 'a claimed file cannot be taken again');
    }
  } finally {
    await pool.close();
  }
});

test('a closed pool shares nothing: every file is left to the loader', async () => {
  const pool = new ParsePool(1);
  await pool.close();
  const share = pool.share(['a: 1\n', 'b: 2\n'], ['a.yaml', 'b.yaml']);
  assert.is(share.take(0), true);
  assert.is(await share.answer(1), null);
});

for (const [name, paths] of [['a generated mesh with broken files', () => [brokenMesh()]], ['fixtures and the corpus', () => ['fixtures/bad', 'fixtures/bookstore', CORPUS]]] as const) {
  test(`workers and the loader's own thread load the same: ${name}`, async () => {
    const inputs = paths();
    const inProcess = await check(inputs, { workers: 0 });
    const pooled = await check(inputs, { workers: 2, workersOnly: true });
    assert.ok(inProcess.diagnostics.length > 0, 'the input has findings');
    assert.equal(pooled.diagnostics, inProcess.diagnostics);
    assert.equal(strip(pooled.mesh), strip(inProcess.mesh));
    assert.equal(pooled.files, inProcess.files);
    assert.is(pooled.sources.docs.length, inProcess.sources.docs.length);
    // Raw documents and findings in load order (before sorting), positions resolved from the replayed sources.
    const a = new DiagnosticSink();
    const b = new DiagnosticSink();
    const one = await loadDocuments(inputs, a, { workers: 0 });
    const two = await loadDocuments(inputs, b, { workers: 2, workersOnly: true });
    assert.equal(b.items, a.items);
    assert.equal(two.documents, one.documents);
    for (const d of one.documents.slice(0, 400)) {
      assert.equal(two.sources.locate({ doc: d.doc, path: ['metadata', 'name'] }), one.sources.locate({ doc: d.doc, path: ['metadata', 'name'] }));
    }
  });
}

test('the built CLI prints the same bytes and exit code with parse workers as without, in every format, and exits', () => {
  const dir = brokenMesh();
  for (const format of ['text', 'json', 'sarif', 'github']) {
    const args = ['check', '--no-cache', '--format', format, '.'];
    const single = run(args, { cwd: dir, env: { MESHC_PARSE_WORKERS: '0' } });
    const pooled = run(args, { cwd: dir, env: { MESHC_PARSE_WORKERS: '2' } });
    assert.is(single.code, 1, `${format}: findings`);
    assert.is(pooled.code, single.code, `${format}: exit code`);
    assert.is(pooled.stdout, single.stdout, `${format}: stdout`);
    assert.is(pooled.stderr, single.stderr, `${format}: stderr`);
  }
  // With the disk cache too: a cold pooled run and a warm one equal the uncached single-threaded output.
  const cache = tempDir('meshc-parse-workers-cache-');
  const single = run(['check', '--no-cache', '--format', 'json', '.'], { cwd: dir, env: { MESHC_PARSE_WORKERS: '0' } });
  for (const round of ['cold', 'warm']) {
    const pooled = run(['check', '--format', 'json', '.'], { cwd: dir, env: { MESHC_PARSE_WORKERS: '2', MESHC_CACHE_DIR: cache } });
    assert.is(pooled.stdout, single.stdout, `${round} cached run`);
  }
});

test.run();
