/**
 * The .json review copies: written only when asked (`--review-json`, or `review-json: true` under `compile:` in
 * .meshc.yaml), the summary says which; the rest of the output is the same either way and `meshc serve` loads it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { listFiles, readManifest, tempDir } from './helpers/compile.ts';
import { loadSnapshot } from '../src/server/snapshot.ts';

const STEMS = ['listeners', 'routes', 'clusters', 'endpoints', 'secrets'];
const NOT_WRITTEN = 'meshc compile: review copies: none (--review-json, or review-json: true under compile: in .meshc.yaml, writes <type>.json beside each xds.pb)\n';
const WRITTEN = 'meshc compile: review copies: <type>.json beside each xds.pb (proto3 JSON, one resource per line)\n';

/** The file count of the summary's first line. */
const filesOf = (stderr: string) => Number(/ in (\d+) files in total/.exec(stderr)?.[1]);

test('by default no review copies: per node its bootstrap, SDS files and one xds.pb; the manifest names no .json; the summary says so and counts the files', () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    const r = runCli(['compile', 'fixtures/bookstore', '--out', out]);
    assert.is(r.code, 0, r.stderr);
    const files = listFiles(out);
    assert.equal(files.filter((f) => f.endsWith('.json')), ['manifest.json']);
    for (const node of readManifest(out).nodes) {
      for (const stem of STEMS) assert.is(node.files[stem], undefined, `${node.id}: no ${stem}.json in the manifest`);
      const dir = `nodes/${node.id.split('/').join('_')}/`;
      assert.equal(files.filter((f) => f.startsWith(dir)).map((f) => f.slice(dir.length)), ['bootstrap.yaml', 'sds-root-cert.yaml', 'sds-service-cert.yaml', 'xds.pb']);
      assert.is(node.files.xds, `${dir}xds.pb`);
    }
    assert.ok(r.stderr.includes(NOT_WRITTEN), r.stderr);
    assert.is(filesOf(r.stderr), files.length);
    assert.not.ok(runCli(['compile', 'fixtures/bookstore', '--out', out, '-q']).stderr.includes('review copies'), '-q silences the summary');
  } finally {
    tmp.cleanup();
  }
});

test('--review-json adds <type>.json beside each xds.pb; every other file is byte-identical and serve loads the same snapshot', async () => {
  const tmp = tempDir();
  try {
    const plain = join(tmp.dir, 'plain');
    const review = join(tmp.dir, 'review');
    assert.is(runCli(['compile', 'fixtures/bookstore', '--out', plain]).code, 0);
    const r = runCli(['compile', 'fixtures/bookstore', '--out', review, '--review-json']);
    assert.is(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(WRITTEN), r.stderr);
    const files = listFiles(review);
    assert.is(filesOf(r.stderr), files.length);
    const manifest = readManifest(review);
    for (const node of manifest.nodes) {
      for (const stem of STEMS) {
        const json = JSON.parse(readFileSync(join(review, node.files[stem]!), 'utf8')) as { resources: unknown[] };
        assert.is(json.resources.length, node.resources[Object.keys(node.resources)[STEMS.indexOf(stem)]!]!.length, `${node.id} ${stem}.json`);
      }
    }
    const extra = files.filter((f) => !listFiles(plain).includes(f));
    assert.equal(extra, manifest.nodes.flatMap((n) => STEMS.map((s) => n.files[s]!)).sort());
    for (const f of listFiles(plain).filter((f) => f !== 'manifest.json')) {
      assert.ok(readFileSync(join(plain, f)).equals(readFileSync(join(review, f))), `${f} differs`);
    }
    // The manifest differs only by the review copies' entries in `files`.
    const stripped = manifest.nodes.map((n) => ({ ...n, files: Object.fromEntries(Object.entries(n.files).filter(([k]) => !STEMS.includes(k))) }));
    assert.equal(stripped, readManifest(plain).nodes);
    assert.is((await loadSnapshot(plain)).fingerprint, (await loadSnapshot(review)).fingerprint);
  } finally {
    tmp.cleanup();
  }
});

test('review-json: true under compile: in .meshc.yaml writes them too; a value other than true/false is MESH1006 at its line and column', () => {
  const tmp = tempDir();
  try {
    const config = join(tmp.dir, '.meshc.yaml');
    writeFileSync(config, 'apiVersion: meshc.dev/v1alpha1\nkind: Config\ncompile:\n  review-json: true\n');
    const out = join(tmp.dir, 'out');
    const r = runCli(['compile', 'fixtures/bookstore', '--out', out, '--config', config]);
    assert.is(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(WRITTEN), r.stderr);
    assert.ok(listFiles(out).includes('nodes/bookbuyer_deployment_bookbuyer/routes.json'));

    writeFileSync(config, 'apiVersion: meshc.dev/v1alpha1\nkind: Config\ncompile:\n  review-json: yes please\n');
    const bad = runCli(['compile', 'fixtures/bookstore', '--out', join(tmp.dir, 'never'), '--config', config]);
    assert.is(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /meshc\.yaml:4:16: error MESH1006 invalid configuration: compile\.review-json must be true or false \(got "yes please"\)/);
    assert.not.ok(listFiles(tmp.dir).some((f) => f.startsWith('never')), 'nothing written');
  } finally {
    tmp.cleanup();
  }
});

test.run();
