/**
 * The remote pre-commit hook end to end: a repository whose
 * .pre-commit-config.yaml names a meshc repository (a local git repository
 * at a commit, which pre-commit accepts as `repo:`) installs the hook
 * (`language: node`: npm install, npm pack, npm install -g of the tarball,
 * with the system node) and runs it: a clean mesh passes, a broken
 * reference blocks the commit with exit 1.
 *
 * Needs pre-commit (CI installs Debian's, see .ci/run); without it the test
 * is skipped with a message. MESHC_PRE_COMMIT names another pre-commit
 * executable (for example a current one from pip). Installing the hook runs
 * npm, which takes dependencies from npm's cache when it has them
 * (prefer-offline), else from the registry; the first run takes minutes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from './helpers/cli.ts';

const PRE_COMMIT = process.env.MESHC_PRE_COMMIT || 'pre-commit';
const version = spawnSync(PRE_COMMIT, ['--version'], { encoding: 'utf8' });
const available = version.status === 0 && spawnSync('git', ['--version']).status === 0;

/** Not copied into the meshc repository under test: build output, caches, installed packages. */
const LEFT_OUT = new Set(['node_modules', 'dist', 'out', '.git', '.meshc-cache', 'test/.artifacts']);

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, timeout = 120_000) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

const GIT_ID = ['-c', 'user.name=meshc test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false'];

test('remote hook: installs from the repository at a commit; a clean mesh passes, a broken reference is blocked (exit 1)', () => {
  if (!available) {
    console.log(`  skipped: ${PRE_COMMIT} (or git) is not installed; .ci/run installs Debian's pre-commit`);
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'meshc-precommit-'));
  try {
    // The meshc repository at a commit: this checkout's files, committed.
    const meshc = join(tmp, 'meshc');
    cpSync(ROOT, meshc, { recursive: true, filter: (src) => !src.includes('/.dist-') && !LEFT_OUT.has(relative(ROOT, src)) });
    assert.is(sh('git', ['init', '-q'], meshc).code, 0);
    assert.is(sh('git', ['add', '-A'], meshc).code, 0);
    const commit = sh('git', [...GIT_ID, 'commit', '-qm', 'meshc under test'], meshc);
    assert.is(commit.code, 0, commit.out);
    const rev = sh('git', ['rev-parse', 'HEAD'], meshc).out.trim();

    // The user's repository: the mesh meshc init writes, and the documented remote hook.
    const user = join(tmp, 'user');
    const init = sh(process.execPath, [`${ROOT}/bin/meshc.js`, 'init', '--format', 'yaml', user], tmp);
    assert.is(init.code, 0, init.out);
    writeFileSync(join(user, '.pre-commit-config.yaml'), `repos:\n  - repo: ${meshc}\n    rev: ${rev}\n    hooks:\n      - id: meshc-check\n`);
    assert.is(sh('git', ['init', '-q'], user).code, 0);
    assert.is(sh('git', ['add', '-A'], user).code, 0);

    const env = { PRE_COMMIT_HOME: join(tmp, 'cache'), npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', NO_COLOR: '1' };
    const clean = sh(PRE_COMMIT, ['run', '--all-files', '--color', 'never'], user, env, 1_800_000);
    assert.is(clean.code, 0, clean.out);
    assert.match(clean.out, /meshc check\.+Passed/);

    const mesh = join(user, 'mesh.yaml');
    const text = readFileSync(mesh, 'utf8');
    assert.match(text, /name: backend-api\n/);
    writeFileSync(mesh, text.replace(/(rules:\n\s+- kind: HTTPRouteGroup\n\s+name: )backend-api/, '$1backend-apu'));
    assert.is(sh('git', ['add', '-A'], user).code, 0);
    const broken = sh(PRE_COMMIT, ['run', '--all-files', '--color', 'never'], user, env, 600_000);
    assert.is(broken.code, 1, broken.out);
    assert.match(broken.out, /meshc check\.+Failed/);
    assert.match(broken.out, /mesh\.yaml:\d+:\d+: error MESH0207 HTTPRouteGroup "backend-apu" not found/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
