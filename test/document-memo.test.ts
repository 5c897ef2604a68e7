// A watch session models only the documents of changed files (src/model/document-memo.ts): after every kind of edit
// the model and the findings equal those of a fresh run without any cache, and the model objects the memo shares
// between runs are frozen here, so a stage that writes to one fails these tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';
import { check, type CheckOptions } from '../src/pipeline/check.ts';
import { exactJson } from '../src/core/cache-file.ts';
// From the public API: a session of checks is built from these.
import { DocumentMemo, sweepSharedParses, type SharedParses } from '../src/index.ts';

/** A generated mesh plus fixtures with builder findings of every kind, GAMMA routes and a MeshConfig. */
function project() {
  const dir = tempDir('meshc-memo-');
  const mesh = generateMesh(join(dir, 'mesh', 'generated'), { services: 40, servicesPerFile: 10 });
  mkdirSync(join(dir, 'mesh', 'bad'));
  const fixtures = ['MESH0012-duplicate-resource.yaml', 'MESH0114-invalid-quantity.yaml', 'MESH1204-gamma-route-and-split-same-service.yaml',
    'MESH0106-draft-api.yaml', 'MESH0010-unknown-kind-skipped.yaml', 'MESH1113-permissive-ignores-traffic-targets.yaml'];
  // Each in a namespace of its own (they all use shop).
  for (const [i, f] of fixtures.entries()) {
    writeFileSync(join(dir, 'mesh', 'bad', f), readFileSync(join(ROOT, 'fixtures', 'bad', f), 'utf8').replace(/\bshop\b/g, `shop${i}`));
  }
  cpSync(join(ROOT, 'fixtures', 'gamma-rules'), join(dir, 'mesh', 'gamma'), { recursive: true });
  return { dir, files: mesh.files, bad: (f: string) => join(dir, 'mesh', 'bad', f) };
}

/** What a check shows, the model included. */
const shown = (r: Awaited<ReturnType<typeof check>>) => exactJson({ diagnostics: r.diagnostics, mesh: r.mesh, resources: r.resources, config: r.config });

test('each run of a session equals a fresh run, after edits of every kind; unchanged documents are not modelled again', async () => {
  const p = project();
  const parses: SharedParses = new Map();
  const memo = new DocumentMemo(true);
  const session = async (extra: Partial<CheckOptions> = {}) => {
    const r = await check(['mesh'], { cwd: p.dir, parseCache: parses, documentMemo: memo, ...extra });
    sweepSharedParses(parses);
    return r;
  };
  const same = async (what: string, extra: Partial<CheckOptions> = {}) => {
    const before = memo.hits;
    const r = await session(extra);
    assert.is(shown(r), shown(await check(['mesh'], { cwd: p.dir, ...extra })), what);
    return memo.hits - before;
  };
  assert.is(await same('first run'), 0);
  const all = await same('nothing changed');
  assert.ok(all > 150, `every modelled document reused (${all})`);
  // A Service port changes: only that file's documents are modelled again.
  const portFile = p.files.find((f) => readFileSync(f, 'utf8').includes('port: 9090'))!;
  const original = readFileSync(portFile, 'utf8');
  writeFileSync(portFile, original.replace('port: 9090', 'port: 9191'));
  const afterPort = await same('a port changed');
  const inFile = original.match(/^kind: /gm)!.length;
  assert.is(afterPort, all - inFile, `only the ${inFile} documents of the changed file are modelled again`);
  // A document in front of the others in the first file: every later document of the run moves to another index.
  const first = p.files[0]!;
  const firstText = readFileSync(first, 'utf8');
  writeFileSync(first, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: added-first\n---\n${firstText}`);
  await same('a document added in front');
  writeFileSync(first, firstText);
  await same('and removed again');
  // The first definition of a duplicate goes away, then comes back: the second is modelled, then reported again.
  const dup = p.bad('MESH0012-duplicate-resource.yaml');
  const dupText = readFileSync(dup, 'utf8');
  const second = dupText.indexOf('\n---\n');
  assert.ok(second > 0);
  writeFileSync(dup, dupText.slice(second + 5));
  await same('the first definition removed');
  writeFileSync(dup, dupText);
  await same('and back');
  // An object made invalid, then valid again.
  writeFileSync(portFile, original.replace('port: 9090', 'port: "not a port"'));
  await same('a port made invalid');
  writeFileSync(portFile, original);
  await same('and valid again');
  // Other settings: nothing is reused under them, and the results are those of the settings.
  const beforeSettings = memo.hits;
  await same('--namespace', { namespace: 'elsewhere' });
  await same('--draft', { draft: true });
  assert.is(memo.hits, beforeSettings, 'no document modelled under other settings was reused');
  await same('the default settings again');
  // --mesh-config models its file's documents first (src/pipeline/check.ts meshConfigFirst), under settings of its own.
  const meshConfig = 'mesh/bad/MESH1113-permissive-ignores-traffic-targets.yaml';
  await same('--mesh-config', { meshConfig });
  assert.ok((await same('--mesh-config again', { meshConfig })) > 150, 'documents reused under --mesh-config');
  // A file removed, with its documents.
  rmSync(p.bad('MESH1204-gamma-route-and-split-same-service.yaml'));
  await same('a file removed');
});

test('with the disk caches on too (what check --watch does), every run equals a fresh one', async () => {
  const p = project();
  const cache = tempDir('meshc-memo-cache-');
  const before = process.env.MESHC_CACHE_DIR;
  process.env.MESHC_CACHE_DIR = cache;
  try {
    const parses: SharedParses = new Map();
    const memo = new DocumentMemo(true);
    const run = async () => {
      const r = await check(['mesh'], { cwd: p.dir, cache: true, parseCache: parses, documentMemo: memo });
      sweepSharedParses(parses);
      return shown(r);
    };
    const fresh = async () => shown(await check(['mesh'], { cwd: p.dir }));
    assert.is(await run(), await fresh());
    assert.is(await run(), await fresh());
    const file = p.files[1]!;
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `# a comment\n${text.replace('port: 9090', 'port: 9292')}`);
    assert.is(await run(), await fresh());
    writeFileSync(file, `# a comment\n${text}`);
    assert.is(await run(), await fresh());
  } finally {
    if (before === undefined) delete process.env.MESHC_CACHE_DIR;
    else process.env.MESHC_CACHE_DIR = before;
  }
});

test.run();
