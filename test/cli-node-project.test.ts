/**
 * meshc in an ordinary Node project: the mesh sits beside package.json,
 * package-lock.json, tsconfig.json and other files that are not manifests.
 * A directory walk skips other tools' files and reports any other file that
 * is plainly not a Kubernetes manifest as an info (MESH0016); a file named
 * explicitly stays an error. Also: `meshc check` at the root of this
 * repository reads the bundled example mesh (its .meshc.yaml).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, ROOT } from './helpers/cli.ts';
import { TOOL_FILE_NAMES, isToolFile } from '../src/load/tool-files.ts';

const dirs: string[] = [];
function nodeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-node-project-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop-mesh', version: '1.0.0', private: true, devDependencies: { meshc: '0.1.0' } }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'shop-mesh', version: '1.0.0', lockfileVersion: 3, requires: true, packages: {} }, null, 2));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext' } }, null, 2));
  writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json' }));
  writeFileSync(join(dir, 'renovate.json'), JSON.stringify({ extends: ['config:recommended'] }));
  writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n');
  return dir;
}
test.after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Finding { code: string; severity: string; file: string }
const findings = (stdout: string): Finding[] => (JSON.parse(stdout) as { diagnostics: Finding[] }).diagnostics;

for (const format of ['ts', 'yaml']) {
  test(`init --format ${format}, then check ., test . and compile in a Node project: exit 0, no finding about the tool files`, () => {
    const dir = nodeProject();
    const init = runCli(['init', '--format', format], { cwd: dir });
    assert.is(init.code, 0, init.stderr);
    const check = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    assert.is(check.code, 0, check.stdout + check.stderr);
    assert.equal(findings(check.stdout).filter((d) => d.code !== 'MESH0305'), []);
    const run = runCli(['test', '.'], { cwd: dir });
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /passed, 0 failed/);
    // compile walks the project as check does (no path: the working directory), twice: its own output is passed over.
    writeFileSync(join(dir, 'settings.json'), '{"theme": "dark"}\n');
    for (const round of [1, 2]) {
      const compiled = runCli(['compile', '--out', 'build/mesh', '--format', 'json'], { cwd: dir });
      assert.is(compiled.code, 0, `round ${round}: ${compiled.stdout}${compiled.stderr}`);
      assert.equal(findings(compiled.stdout).filter((d) => d.code !== 'MESH0305').map((d) => [d.code, d.file]), [['MESH0016', 'settings.json']], `round ${round}`);
      assert.ok(readFileSync(join(dir, 'build/mesh/manifest.json'), 'utf8').includes('"meshc"'));
    }
  });
}

test('a walked file that is plainly not a manifest is an info (MESH0016), exit 0; named explicitly it is an error', () => {
  const dir = nodeProject();
  assert.is(runCli(['init', '--format', 'yaml'], { cwd: dir }).code, 0);
  writeFileSync(join(dir, 'settings.json'), '{"theme": "dark"}\n');
  writeFileSync(join(dir, 'versions.yaml'), '- 1.2.3\n- 1.2.4\n');
  const walked = runCli(['check', '.', '--format', 'json'], { cwd: dir });
  assert.is(walked.code, 0, walked.stdout + walked.stderr);
  const skipped = findings(walked.stdout).filter((d) => d.code === 'MESH0016');
  assert.equal(skipped.map((d) => [d.file, d.severity]), [['settings.json', 'info'], ['versions.yaml', 'info']]);

  const named = runCli(['check', 'settings.json', 'package.json', '--format', 'json'], { cwd: dir });
  assert.is(named.code, 1);
  assert.equal(findings(named.stdout).map((d) => [d.code, d.file]), [['MESH0100', 'package.json'], ['MESH0100', 'settings.json']]);
});

test('a walked object that forgot its header (metadata, no apiVersion or kind), sits beside real objects or in a list stays an error', () => {
  const dir = nodeProject();
  mkdirSync(join(dir, 'mesh'));
  writeFileSync(join(dir, 'mesh', 'headerless.yaml'), 'metadata:\n  name: web\n  namespace: shop\nspec: {}\n');
  writeFileSync(join(dir, 'mesh', 'mixed.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n---\nname: stray\n');
  // Objects written as a YAML list by mistake, and a List with a stray scalar item: still MESH0009.
  writeFileSync(join(dir, 'mesh', 'as-list.yaml'), '- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: api, namespace: shop}\n');
  writeFileSync(join(dir, 'mesh', 'list-item.yaml'), 'apiVersion: v1\nkind: List\nitems:\n- 3\n');
  const r = runCli(['check', 'mesh', '--format', 'json'], { cwd: dir });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.equal(findings(r.stdout).map((d) => [d.code, d.file]), [
    ['MESH0009', 'mesh/as-list.yaml'], ['MESH0100', 'mesh/headerless.yaml'], ['MESH0009', 'mesh/list-item.yaml'], ['MESH0100', 'mesh/mixed.yaml'],
  ]);
});

test('tool files are not even read while walking: a package-lock.json over --max-file-size is no MESH0007', () => {
  const dir = nodeProject();
  assert.is(runCli(['init', '--format', 'yaml'], { cwd: dir }).code, 0);
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ packages: { pad: 'x'.repeat(4096) } }));
  const r = runCli(['check', '.', '--max-file-size', '2048', '--format', 'json'], { cwd: dir });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.ok(findings(r.stdout).some((d) => d.file === 'package-lock.json'));
});

test('a directory of tool files only holds no manifests (MESH0015 warning)', () => {
  const dir = nodeProject();
  const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.equal(findings(r.stdout).map((d) => d.code), ['MESH0015']);
});

test('the guide names every tool file a walk skips', () => {
  const guide = readFileSync(join(ROOT, 'docs/guide-check.md'), 'utf8').replace(/\s+/g, ' ');
  for (const name of TOOL_FILE_NAMES) assert.ok(guide.includes(`\`${name}\``), `docs/guide-check.md does not name ${name}`);
  assert.ok(isToolFile('tsconfig.build.json') && isToolFile('package.json'));
  assert.not.ok(isToolFile('tsconfig.yaml') || isToolFile('mesh.json') || isToolFile('my-package.json'));
});

// Not through runCli (60 s): the repository's example mesh is small, but the machine may be busy.
test('meshc check, test and graph at the root of this repository read the example mesh named in .meshc.yaml: exit 0', () => {
  for (const args of [['check'], ['test'], ['graph', '--format', 'json']]) {
    const r = spawnSync(process.execPath, [`${ROOT}/bin/meshc.js`, ...args], {
      cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' },
    });
    assert.is(r.status, 0, `meshc ${args.join(' ')}: ${r.stderr}`);
    if (args[0] === 'check') assert.match(r.stderr, /^0 errors, 0 warnings, \d+ infos in 10 files/m);
  }
});

test.run();
