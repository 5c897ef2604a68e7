/** `meshc init`: what it writes passes `meshc check` and `meshc test`; it never overwrites. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';

const env = { MESHC_CACHE_DIR: tempDir('meshc-dsl-cache-') };

for (const format of ['yaml', 'ts'] as const) {
  test(`init --format ${format}: a mesh, a policy test and a pre-commit config that pass check and test`, () => {
    const dir = tempDir(`meshc-init-${format}-`);
    const r = runCli(['init', '--format', format, 'mesh'], { cwd: dir, env });
    assert.is(r.code, 0, r.stderr);
    const meshFile = format === 'ts' ? 'mesh.ts' : 'mesh.yaml';
    for (const f of [meshFile, 'policy-test.yaml', '.pre-commit-config.yaml']) assert.ok(existsSync(join(dir, 'mesh', f)), f);
    const check = runCli(['check', '--format', 'json', 'mesh'], { cwd: dir, env });
    assert.is(check.code, 0, check.stdout + check.stderr);
    assert.equal((JSON.parse(check.stdout) as { diagnostics: unknown[] }).diagnostics, [], 'no findings at all');
    const t = runCli(['test', 'mesh'], { cwd: dir, env });
    assert.is(t.code, 0, t.stdout + t.stderr);
    assert.match(t.stderr, /4 passed, 0 failed/);
    // Compiled in place, as the README's quick start does: the walk reads mesh.ts too (its output lands inside the input directory).
    const compiled = runCli(['compile', '.', '--out', 'out'], { cwd: join(dir, 'mesh'), env });
    assert.is(compiled.code, 0, compiled.stdout + compiled.stderr);
    assert.match(compiled.stderr, /wrote 2 node\(s\) to out/);
    const again = runCli(['check', '.'], { cwd: join(dir, 'mesh'), env });
    assert.is(again.code, 0, again.stdout + again.stderr);
    // Not in a git repository: the hooks name no path (a .meshc.yaml's paths, else the whole repository).
    const hooks = readFileSync(join(dir, 'mesh', '.pre-commit-config.yaml'), 'utf8');
    assert.match(hooks, /entry: npx --no-install meshc check\n/);
    assert.match(hooks, /entry: npx --no-install meshc test\n/);
    assert.match(hooks, /require_serial: true/);
    assert.match(r.stderr, /next: meshc check mesh && meshc test mesh\n/);
  });
}

test('init in a subdirectory of a git repository: hooks name the directory from the repository root', () => {
  const repo = tempDir('meshc-init-repo-');
  mkdirSync(join(repo, '.git'));
  const r = runCli(['init', 'deploy/mesh'], { cwd: repo, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(readFileSync(join(repo, 'deploy/mesh/.pre-commit-config.yaml'), 'utf8'), /meshc check deploy\/mesh/);
});

test('init never overwrites: one existing file and nothing is written, exit 2', () => {
  const dir = tempDir('meshc-init-exists-');
  writeFileSync(join(dir, 'policy-test.yaml'), '# my tests\n');
  const r = runCli(['init', '--format', 'ts'], { cwd: dir, env });
  assert.is(r.code, 2);
  assert.match(r.stderr, /MESH1021 policy-test\.yaml already exists; nothing written/);
  assert.is(readFileSync(join(dir, 'policy-test.yaml'), 'utf8'), '# my tests\n');
  assert.not.ok(existsSync(join(dir, 'mesh.ts')));
  assert.not.ok(existsSync(join(dir, '.pre-commit-config.yaml')));
});

test('init: a bad --format or DIR is a usage error', () => {
  const dir = tempDir('meshc-init-usage-');
  assert.is(runCli(['init', '--format', 'json'], { cwd: dir, env }).code, 2);
  writeFileSync(join(dir, 'file'), '');
  const notDir = runCli(['init', 'file'], { cwd: dir, env });
  assert.is(notDir.code, 2);
  assert.match(notDir.stderr, /MESH1052 DIR must be a directory \(got "/);
});

test.run();
