// A cached re-check after a semantic edit rebuilds the model but validates only the documents of files it has not
// seen clean (src/pipeline/clean-files.ts). Its findings are always those of a run without the cache: a file that
// gains a schema error is reported, a file with one keeps it, and a damaged list of clean files is ignored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { tempDir, withCacheDir } from './helpers/temp.ts';
import { check, type CheckResult } from '../src/pipeline/check.ts';
import { CleanFiles } from '../src/pipeline/clean-files.ts';
import type { RawDocument } from '../src/load/index.ts';

/** Documents whose validation was skipped, and those validated, since the last call. */
let skipped = 0;
let validated = 0;
const skip = CleanFiles.prototype.skip;
CleanFiles.prototype.skip = function (this: CleanFiles, raw: RawDocument) {
  const known = skip.call(this, raw);
  if (known) skipped++;
  else validated++;
  return known;
};
const counted = () => {
  const n = { skipped, validated };
  skipped = validated = 0;
  return n;
};

const BAD_SPLIT = 'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata:\n  name: broken\n  namespace: default\nspec:\n  service: 7\n';

/** A mesh big enough for the parse cache, with one file whose object fails its schema. */
function project() {
  const dir = tempDir('meshc-clean-files-');
  const mesh = generateMesh(join(dir, 'mesh'), { services: 60, servicesPerFile: 10 });
  mkdirSync(join(dir, 'mesh', 'own'));
  writeFileSync(join(dir, 'mesh', 'own', 'bad.yaml'), BAD_SPLIT);
  return { dir, cache: tempDir('meshc-clean-files-cache-'), files: mesh.files.filter((f) => readFileSync(f, 'utf8').includes('port: 9090')) };
}

const seen = (r: CheckResult) => JSON.stringify({ diagnostics: r.diagnostics, files: r.files, resources: r.resources });
const edit = (file: string, from: string, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
const documentsOf = (file: string) => readFileSync(file, 'utf8').split(/^---$/m).filter((d) => /^kind:/m.test(d)).length;

test('after a semantic edit only the changed file and files with schema findings are validated again; the findings are those of a run without the cache', async () => {
  const p = project();
  await withCacheDir(p.cache, async () => {
    const cached = () => check(['mesh'], { cwd: p.dir, cache: true, workers: 0 });
    const uncached = () => check(['mesh'], { cwd: p.dir, workers: 0 });
    counted(); // uvu runs every test file in one process: earlier files' checks were counted too
    const first = await cached();
    const all = counted();
    assert.is(all.skipped, 0, 'the first run knows no file');
    assert.ok(first.diagnostics.some((d) => d.code === 'MESH0111' && d.range?.file.endsWith('bad.yaml')), 'the schema finding of bad.yaml');
    edit(p.files[0]!, 'port: 9090', 'port: 9191');
    const second = await cached();
    const after = counted();
    assert.is(seen(second), seen(await uncached()));
    counted();
    assert.is(after.validated, documentsOf(p.files[0]!) + 1, 'validated: the edited file\'s documents and bad.yaml\'s');
    assert.is(after.skipped, all.validated - after.validated);
    assert.ok(second.diagnostics.some((d) => d.code === 'MESH0111' && d.range?.file.endsWith('bad.yaml')), 'bad.yaml keeps its finding');
    // A file seen clean gains a schema error: it is validated (its content is new) and reported at its line.
    edit(p.files[1]!, 'port: 9090', 'port: "ninety"');
    const third = await cached();
    assert.is(seen(third), seen(await uncached()));
    assert.ok(third.diagnostics.some((d) => d.range?.file === join('mesh', p.files[1]!.slice(join(p.dir, 'mesh').length + 1)) && d.severity === 'error'), 'the new schema error is reported');
    counted();
  });
});

test('a damaged list of clean files is ignored: every document is validated, and the findings are those of a run without the cache', async () => {
  const p = project();
  await withCacheDir(p.cache, async () => {
    const cached = () => check(['mesh'], { cwd: p.dir, cache: true, workers: 0 });
    counted();
    await cached();
    const total = counted().validated;
    const path = join(p.cache, 'schema', 'clean.bin');
    assert.ok(readdirSync(join(p.cache, 'schema')).includes('clean.bin'));
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(path, bytes);
    edit(p.files[0]!, 'port: 9090', 'port: 9292');
    const damaged = await cached();
    assert.equal(counted(), { skipped: 0, validated: total }, 'nothing is taken from the damaged list');
    assert.is(seen(damaged), seen(await check(['mesh'], { cwd: p.dir, workers: 0 })));
    counted();
    // The run wrote a sound list again: the next semantic edit skips the unchanged files.
    edit(p.files[1]!, 'port: 9090', 'port: 9393');
    await cached();
    assert.ok(counted().skipped > 0);
  });
});

test.run();
