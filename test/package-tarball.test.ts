/**
 * Installing from a tarball, as the README's Install section says until meshc
 * is published: `npm pack` holds what the installed command needs, and the
 * command runs from the unpacked package. Offline: the dependencies npm would
 * install next to it are this checkout's node_modules (linked); a real
 * `npm install ./meshc-0.1.0.tgz` needs the registry for them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 300_000 });

test('npm pack: bin, dist, schemas and docs, no tests; the packed meshc runs check and test', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'meshc-pack-'));
  try {
    // --ignore-scripts: the suite runs after the build, and rebuilding dist/ here would race other test files.
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
    assert.is(packed.status, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    for (const want of ['bin/meshc.js', 'dist/index.js', 'package.json', 'README.md']) assert.ok(files.includes(want), `${want} is not packed`);
    assert.ok(files.some((f) => f.startsWith('schemas/')), 'no schemas/ packed');
    assert.ok(files.some((f) => f.startsWith('dist/types/')), 'no declaration files packed');
    assert.not.ok(files.some((f) => /^(test|fixtures|bench)\//.test(f)), 'tests or fixtures packed');

    const unpacked = join(tmp, 'x');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', join(tmp, info!.filename), '-C', unpacked], { encoding: 'utf8' });
    assert.is(tar.status, 0, tar.stderr);
    symlinkSync(join(ROOT, 'node_modules'), join(unpacked, 'package', 'node_modules'), 'dir');
    cpSync(join(ROOT, 'fixtures/bookstore'), join(tmp, 'mesh'), { recursive: true });
    const run = (...args: string[]) => spawnSync(process.execPath, [join(unpacked, 'package/bin/meshc.js'), ...args], {
      cwd: tmp, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' },
    });
    const check = run('check', 'mesh');
    assert.is(check.status, 0, check.stderr);
    assert.match(check.stderr, /^0 errors, 0 warnings, \d+ infos in 10 files/m);
    const policy = run('test', 'mesh');
    assert.is(policy.status, 0, policy.stderr);
    assert.match(policy.stderr, /13 passed, 0 failed/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
