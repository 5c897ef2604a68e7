// `prepare`: npm runs it after `npm install` in a checkout, and when it
// installs meshc from git (a git dependency, `npm pack`, pre-commit's
// `language: node`). It builds meshc with scripts/build.mjs.
//
// Under `npm install -g git+…` (how pre-commit 4 installs a node hook) npm
// prepares the clone with `npm install` while npm_config_global=true is
// inherited from the outer command, so the clone's own dependencies are not
// installed into it and the build cannot find esbuild. Then install them
// locally first. Nothing goes to stdout: pre-commit 3 reads `npm pack`'s
// stdout as the tarball's file name.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const resolvable = (name) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};
const toStderr = { stdio: ['ignore', 2, 2] };

if (!resolvable('esbuild') && process.env.npm_config_global === 'true' && process.env.npm_execpath) {
  const npm = spawnSync(process.execPath, [process.env.npm_execpath, 'install', '--global=false', '--include=dev', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts'], {
    ...toStderr, env: { ...process.env, npm_config_global: 'false' },
  });
  if (npm.status !== 0) process.exit(npm.status ?? 1);
}
const build = spawnSync(process.execPath, [new URL('build.mjs', import.meta.url).pathname], toStderr);
process.exit(build.status ?? 1);
