/**
 * `meshc check .` after `meshc compile . --out build`: the directory walk
 * skips a directory that holds a compile output (manifest.json with a "meshc"
 * key, and nodes/) with info MESH0013, instead of reading its JSON files as
 * manifests; files named on the command line are always read.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from './helpers/cli.ts';

const TMP = mkdtempSync(join(tmpdir(), 'meshc-compile-output-'));
test.after(() => rmSync(TMP, { recursive: true, force: true }));

interface Diag { code: string; severity: string; file: string | null; line: number | null }
const diags = (stdout: string) => (JSON.parse(stdout) as { diagnostics: Diag[] }).diagnostics;

test('check and test of a directory skip the compile output inside it (MESH0013), and read it when named', () => {
  const dir = join(TMP, 'mesh');
  cpSync(join(ROOT, 'fixtures/bookstore'), dir, { recursive: true });
  const before = runCli(['check', '.', '--format', 'json'], { cwd: dir });
  const compiled = runCli(['compile', '.', '--out', 'build'], { cwd: dir });
  assert.is(compiled.code, 0, compiled.stderr);

  const after = runCli(['check', '.', '--format', 'json'], { cwd: dir });
  assert.is(after.code, before.code, after.stdout);
  const skipped = diags(after.stdout).filter((d) => d.code === 'MESH0013');
  assert.equal(skipped.map((d) => [d.severity, d.file, d.line]), [['info', 'build/manifest.json', 1]]);
  assert.equal(diags(after.stdout).filter((d) => d.code !== 'MESH0013'), diags(before.stdout), 'the same findings as before the compile');
  assert.not.ok(diags(after.stdout).some((d) => d.file?.startsWith('build/') && d.code !== 'MESH0013'));

  // Other commands walk the same way.
  const t = runCli(['test', '.'], { cwd: dir });
  assert.is(t.code, 0, t.stdout + t.stderr);
  assert.not.match(t.stdout, 'MESH0100');

  // An explicit file argument is always read (and is no manifest).
  const named = runCli(['check', 'build/manifest.json', '--format', 'json'], { cwd: dir });
  assert.is(named.code, 1);
  assert.equal(diags(named.stdout).map((d) => d.code), ['MESH0100']);
});

test('a directory with manifest.json but no "meshc" key, or listing nodes without nodes/, is read as usual', () => {
  const dir = join(TMP, 'lookalike');
  mkdirSync(join(dir, 'a', 'nodes'), { recursive: true });
  writeFileSync(join(dir, 'a', 'manifest.json'), '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "x", "namespace": "shop"}}\n');
  mkdirSync(join(dir, 'b'), { recursive: true });
  writeFileSync(join(dir, 'b', 'manifest.json'), '{"meshc": "0.1.0", "target": "envoy", "nodes": [{"id": "x"}]}\n');
  const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
  const ds = diags(r.stdout);
  assert.not.ok(ds.some((d) => d.code === 'MESH0013'), r.stdout);
  // Read, and found to hold no Kubernetes object: skipped with an info, as any such walked file.
  assert.equal(ds.map((d) => `${d.code} ${d.file}`), ['MESH0016 b/manifest.json']);
});

test('the output of a mesh without workloads (no nodes, so no nodes/) is skipped too', () => {
  const dir = join(TMP, 'no-workloads');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
  const compiled = runCli(['compile', '.', '--out', 'build'], { cwd: dir });
  assert.is(compiled.code, 0, compiled.stderr);
  assert.match(compiled.stdout + compiled.stderr, /MESH0860/);
  const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
  assert.is(r.code, 0, r.stdout);
  assert.equal(diags(r.stdout).map((d) => `${d.code} ${d.file}`), ['MESH0013 build/manifest.json']);
  const again = runCli(['compile', '.', '--out', 'build'], { cwd: dir });
  assert.is(again.code, 0, again.stderr);
});

test.run();
