import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from './helpers/cli.ts';

test('README.md is assembled from docs/ (run node scripts/readme.mjs)', () => {
  const r = spawnSync(process.execPath, ['scripts/readme.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
});

test('README starts with the two set-up commands, and both are package scripts', () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([^`]*)```/g)].slice(0, 2).map((m) => m[1]!.trim());
  assert.equal(blocks, ['npm install && npm start', 'npm test']);
  const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));
  assert.ok(pkg.scripts.start.includes('fixtures/bookstore'));
  assert.ok(pkg.scripts.test);
  assert.ok(pkg.scripts.prepare, 'npm install must build meshc');
});

test.run();
