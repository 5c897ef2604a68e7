// check with the caches on skips building the model when nothing it is built from changed (src/pipeline/check-cached.ts,
// src/model/build-record.ts): the model builder's own findings (schema, duplicates, unknown kinds, GAMMA lowering),
// the permissive mode a MeshConfig sets, the resource count and the meshc.dev/ignore annotations come from the stored
// entry, placed against the current text. Every result equals that of a run without the cache.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { join } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { ROOT } from './helpers/cli.ts';
import { tempDir, withCacheDir } from './helpers/temp.ts';
import { STACK, run } from './cli-run.ts';
import { check, type CheckResult } from '../src/pipeline/check.ts';
import { exactJson } from '../src/core/cache-file.ts';
import { MeshBuilder } from '../src/model/build.ts';

const MAGIC = Buffer.from('MESHCF1\n');

/** Documents the model builder was handed since the last call. */
let added = 0;
const add = MeshBuilder.prototype.add;
MeshBuilder.prototype.add = function (this: MeshBuilder, ...args: Parameters<MeshBuilder['add']>) {
  added++;
  return add.apply(this, args);
};
const builtSince = () => {
  const n = added;
  added = 0;
  return n;
};

/** Bad fixtures with each kind of builder finding: schema (a value as written), a draft and an unreleased version, an unknown kind, GAMMA lowering. */
const PLACED = [
  'MESH0010-unknown-kind-skipped.yaml', 'MESH0106-draft-api.yaml', 'MESH0114-invalid-quantity.yaml', 'MESH1201-gamma-parent-service-not-found.yaml',
  'MESH1205-gamma-route-not-modelled.yaml', 'MESH1212-gamma-header-not-modifiable.yaml', 'MESH1113-permissive-ignores-traffic-targets.yaml',
];
/** Fixtures whose builder findings name the line of another object (MESH0012's first definition, MESH1204's TrafficSplit). */
const NAMING_LINES = ['MESH0012-duplicate-resource.yaml', 'MESH1204-gamma-route-and-split-same-service.yaml'];

/** A mesh big enough for the parse cache, with the fixtures above, and a rejected object that carries an ignore annotation. */
function project() {
  const dir = tempDir('meshc-model-reuse-');
  generateMesh(join(dir, 'mesh', 'generated'), { services: 60, servicesPerFile: 10 });
  mkdirSync(join(dir, 'mesh', 'bad'));
  // Each fixture in a namespace of its own (they all use shop): no object is defined twice.
  for (const [i, f] of [...PLACED, ...NAMING_LINES].entries()) {
    writeFileSync(join(dir, 'mesh', 'bad', f), readFileSync(join(ROOT, 'fixtures', 'bad', f), 'utf8').replace(/\bshop\b/g, `shop${i}`));
  }
  mkdirSync(join(dir, 'mesh', 'own'));
  writeFileSync(join(dir, 'mesh', 'own', 'rejected.yaml'), [
    'apiVersion: split.smi-spec.io/v1alpha4', 'kind: TrafficSplit', 'metadata:', '  name: ignored-split', '  namespace: default',
    '  annotations:', '    meshc.dev/ignore: "*"', 'spec:', '  service: 7', '',
  ].join('\n'));
  const cache = tempDir('meshc-model-reuse-cache-');
  return { dir, cache, file: (f: string) => join(dir, 'mesh', f) };
}

/** What a caller of check sees, but the mesh and its index (read separately: reading them builds the model). */
const seen = (r: CheckResult) => JSON.stringify({ diagnostics: r.diagnostics, files: r.files, resources: r.resources, config: r.config });
const prepend = (file: string, text: string) => writeFileSync(file, text + readFileSync(file, 'utf8'));

test('a warm run, and one after comment edits that move every finding, build no model and report what a run without the cache reports', async () => {
  const p = project();
  await withCacheDir(p.cache, async () => {
    const uncached = async () => check(['mesh'], { cwd: p.dir });
    const cached = async () => check(['mesh'], { cwd: p.dir, cache: true });
    // With a parse worker the model is built while the files are parsed (src/load/index.ts streamOnlyWithWorkers): recorded all the same.
    // The worker parses every file: the comment edits below are parsed in this thread, and still recognised as the same content.
    const cold = await check(['mesh'], { cwd: p.dir, cache: true, workers: 1, workersOnly: true });
    assert.ok(builtSince() > 100, 'the cold run built the model');
    const reference = await uncached();
    builtSince();
    assert.is(seen(cold), seen(reference));
    for (const code of ['MESH0010', 'MESH0012', 'MESH0106', 'MESH0114', 'MESH1113', 'MESH1201', 'MESH1204', 'MESH1205', 'MESH1212', 'MESH0501']) {
      assert.ok(cold.diagnostics.some((d) => d.code === code), `${code} is among the findings`);
    }
    const warm = await cached();
    assert.is(builtSince(), 0, 'the warm run built no model');
    assert.is(seen(warm), seen(reference));
    // Comment lines in front of the fixtures: their builder findings move down two lines.
    for (const f of PLACED) prepend(p.file(join('bad', f)), '# moved\n# down\n');
    const moved = await cached();
    assert.is(builtSince(), 0, 'the model was not built after the comment edits');
    const movedReference = await uncached();
    assert.is(seen(moved), seen(movedReference));
    assert.is.not(seen(moved), seen(reference), 'the findings did move');
    // The mesh and index of a reused result are those of a built one.
    assert.is(exactJson(moved.mesh), exactJson(movedReference.mesh));
    assert.is(moved.index.services.size, movedReference.index.services.size);
  });
});

test('the annotations of modelled and of rejected objects, and the permissive mode of a MeshConfig (MESH1113\'s fixture), are those of a run without the cache', () => {
  const p = project();
  const env = { MESHC_CACHE_DIR: p.cache };
  for (const format of ['text', 'json']) {
    const args = ['check', '--format', format, 'mesh'];
    const reference = run([...args, '--no-cache'], { cwd: p.dir, env });
    assert.match(reference.stderr, /suppressed/, 'some findings are suppressed by annotations');
    assert.match(reference.stdout, /MESH1113/, 'the MeshConfig turned on permissive mode');
    for (const what of ['cold', 'warm']) {
      const cached = run(args, { cwd: p.dir, env });
      assert.is(cached.code, reference.code, `${format} ${what}: exit code`);
      assert.is(cached.stdout, reference.stdout, `${format} ${what}: stdout`);
      assert.is(cached.stderr, reference.stderr, `${format} ${what}: stderr (the summary counts resources and suppressed findings)`);
      assert.not.match(cached.stderr, STACK);
    }
  }
});

/** Rewrites the single findings entry of `cache` through `change`, with a valid checksum. */
function plant(cache: string, change: (entry: { model?: Record<string, unknown> }) => void): void {
  const dir = join(cache, 'findings');
  const names = readdirSync(dir).filter((n) => n.endsWith('.bin'));
  assert.is(names.length, 1, 'one findings entry');
  const path = join(dir, names[0]!);
  const buf = readFileSync(path);
  const entry = deserialize(buf.subarray(MAGIC.length + 32));
  change(entry);
  const payload = serialize(entry);
  writeFileSync(path, Buffer.concat([MAGIC, createHash('sha256').update(payload).digest(), payload]));
}

test('a misshapen model part is never trusted, and a question the documents now answer differently builds the model', async () => {
  const p = project();
  await withCacheDir(p.cache, async () => {
    const cached = async () => check(['mesh'], { cwd: p.dir, cache: true });
    const reference = seen(await check(['mesh'], { cwd: p.dir }));
    await cached();
    const damaged: [string, (m: Record<string, unknown>) => void][] = [
      ['a finding without a place', (m) => ((m.build as { findings: { at: unknown }[] }).findings[0]!.at = 'nowhere')],
      ['no resource count', (m) => delete m.resources],
      ['annotations not a list', (m) => (m.annotations = {})],
    ];
    for (const [what, change] of damaged) {
      builtSince();
      plant(p.cache, (e) => change(e.model!));
      assert.is(seen(await cached()), reference, what);
      assert.ok(builtSince() > 100, `${what}: the model was built`);
    }
    // MESH0012 names the line of the first definition: a comment in front moves it, and the stored message no longer holds.
    const dup = p.file(join('bad', 'MESH0012-duplicate-resource.yaml'));
    builtSince();
    await cached();
    assert.is(builtSince(), 0);
    prepend(dup, '# the first definition moves down\n');
    const after = await cached();
    assert.ok(builtSince() > 100, 'the changed answer built the model');
    assert.is(seen(after), seen(await check(['mesh'], { cwd: p.dir })));
  });
});


/** Over 64 KiB (the parse cache's threshold) and cheap to model: one Service with a long annotation. */
const PADDING = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: padding', '  namespace: padding', '  annotations:',
  `    note: "${'x'.repeat(70 * 1024)}"`, 'spec:', '  ports:', '    - port: 80', ''].join('\n');

test('every bad fixture, moved down by comment lines, reports what a run without the cache reports; most without building the model', async () => {
  const base = tempDir('meshc-model-reuse-fixtures-');
  let reused = 0;
  let files = 0;
  await withCacheDir(join(base, 'cache'), async () => {
    for (const f of readdirSync(join(ROOT, 'fixtures', 'bad')).filter((n) => n.endsWith('.yaml'))) {
      const dir = join(base, f);
      mkdirSync(join(dir, 'mesh'), { recursive: true });
      writeFileSync(join(dir, 'mesh', 'padding.yaml'), PADDING);
      const text = readFileSync(join(ROOT, 'fixtures', 'bad', f));
      writeFileSync(join(dir, 'mesh', f), text);
      await check(['mesh'], { cwd: dir, cache: true });
      // Bytes as they are where a prefix could change how the file reads (encodings, byte order marks).
      if (!Buffer.from(text.toString('utf8'), 'utf8').equals(text) || text[0] === 0xef) continue;
      files++;
      writeFileSync(join(dir, 'mesh', f), `# moved\n\n${text.toString('utf8')}`);
      builtSince();
      const cached = await check(['mesh'], { cwd: dir, cache: true });
      if (builtSince() === 0) reused++;
      assert.is(seen(cached), seen(await check(['mesh'], { cwd: dir })), f);
    }
  });
  // Those that build it again: a message names a line (MESH0012), or a rule asked where something is.
  assert.ok(files > 150 && reused > files * 0.8, `model reused for ${reused} of ${files} fixtures`);
});

test.run();
