/**
 * The loader reads the files in order (src/load/index.ts readInOrder) and
 * hands them to the parse workers while later ones are still being read; what
 * comes out is still in input order: documents, sources and findings, with
 * each too-big or broken file reported at its own turn, the same with
 * parse workers as without.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { loadDocuments, MIN_POOL_CHARS } from '../src/load/index.ts';
import { generateMesh } from '../bench/generate.ts';
import { tempDir } from './helpers/temp.ts';

const LIMIT = 400;
const name = (i: number) => `f${String(i).padStart(3, '0')}.yaml`;

/** 90 files in one directory: every 7th over the size limit, every 11th a dangling link (reported by the walk), the rest a Service each (some with a syntax error). */
function mixedDir(): string {
  const dir = tempDir('meshc-read-order-');
  mkdirSync(join(dir, 'in'));
  for (let i = 0; i < 90; i++) {
    const file = join(dir, 'in', name(i));
    if (i % 11 === 5) symlinkSync(join(dir, 'gone', name(i)), file);
    else if (i % 7 === 3) writeFileSync(file, `apiVersion: v1\nkind: Service\nmetadata:\n  name: big-${i}\n  annotations:\n    pad: "${'x'.repeat(LIMIT)}"\n`);
    else if (i % 13 === 8) writeFileSync(file, `apiVersion: v1\nkind: Service\nmetadata: {name: broken-${i}\n`);
    else writeFileSync(file, `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-${i}\n`);
  }
  return dir;
}

async function load(dir: string, workers: number) {
  const sink = new DiagnosticSink();
  const loaded = await loadDocuments(['in'], sink, { cwd: dir, maxFileSize: LIMIT, workers });
  return {
    files: loaded.files,
    documents: loaded.documents.map((d) => [d.doc, d.file, (d.value.metadata as { name: string }).name]),
    sources: loaded.sources.docs.map((s) => s.file),
    findings: sink.items.map((d) => [d.code, d.range?.file, d.range?.line]),
  };
}

test('files read ahead of parsing come out in input order, each too-big or broken file reported at its turn', async () => {
  const dir = mixedDir();
  const got = await load(dir, 0);
  // Dangling links are found (and reported) by the directory walk, before any file is read.
  const expectedFindings: unknown[] = [];
  const inputs: string[] = [];
  for (let i = 0; i < 90; i++) if (i % 11 === 5) expectedFindings.push(['MESH0002', `in/${name(i)}`, 1]);
  const expectedNames: string[] = [];
  for (let i = 0; i < 90; i++) {
    const file = `in/${name(i)}`;
    if (i % 11 === 5) continue;
    inputs.push(file);
    if (i % 7 === 3) expectedFindings.push(['MESH0007', file, 1]);
    else if (i % 13 === 8) expectedFindings.push(['MESH0003', file, 4]);
    else expectedNames.push(`svc-${i}`, `sa-${i}`);
  }
  assert.equal(got.files, inputs);
  assert.equal(got.findings, expectedFindings);
  assert.equal(got.documents.map((d) => d[2]), expectedNames);
  // Sources are registered in input order too, and each document points at its own file's source.
  assert.equal(got.documents.map((d) => got.sources[d[0] as number]), got.documents.map((d) => d[1]));
  assert.equal(got.sources, [...got.sources].sort());
});

test('the same with two parse workers started while files are still being read', async () => {
  const dir = mixedDir();
  assert.equal(await load(dir, 2), await load(dir, 0));
});

test('a big input with the default parse workers (the main thread parsing its own share beside them) loads as in one thread', async () => {
  const dir = tempDir('meshc-read-order-big-');
  const mesh = generateMesh(dir, { services: 800 });
  assert.ok(mesh.bytes > MIN_POOL_CHARS, 'big enough for parse workers');
  const sinkA = new DiagnosticSink();
  const sinkB = new DiagnosticSink();
  const one = await loadDocuments(['.'], sinkA, { cwd: dir, workers: 0 });
  const auto = await loadDocuments(['.'], sinkB, { cwd: dir });
  assert.equal(sinkB.items, sinkA.items);
  assert.equal(auto.files, one.files);
  assert.equal(auto.documents, one.documents);
  assert.equal(auto.sources.docs.map((d) => d.file), one.sources.docs.map((d) => d.file));
  for (const d of one.documents.slice(0, 300)) {
    assert.equal(auto.sources.locate({ doc: d.doc, path: ['metadata', 'name'] }), one.sources.locate({ doc: d.doc, path: ['metadata', 'name'] }));
  }
});

test.run();
