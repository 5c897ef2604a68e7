import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './helpers/cli.ts';

test('.pre-commit-hooks.yaml: the meshc-check hook runs the package binary on the whole manifest set', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
  assert.ok(Array.isArray(hooks));
  const hook = hooks.find((h) => h.id === 'meshc-check')!;
  assert.ok(hook);
  for (const key of ['id', 'name', 'entry', 'language']) assert.type(hook[key], 'string', key);
  assert.is(hook.language, 'node');
  assert.is(hook.entry, 'meshc check');
  // language: node runs an executable from the package's "bin".
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.ok(pkg.bin && pkg.bin[String(hook.entry).split(' ')[0]!], 'entry names a bin of package.json');
  assert.equal(hook.types_or, ['yaml', 'json']);
  assert.is(hook.pass_filenames, false);
  assert.is(hook.require_serial, true);
});

test('installing the hook from git: npm pack stdout holds only the tarball name, and prepare builds without writing to stdout', () => {
  // pre-commit 3 takes npm pack's stdout as the tarball's name; foreground scripts would print the prepare banner there.
  assert.match(readFileSync(join(ROOT, '.npmrc'), 'utf8'), /^foreground-scripts=false$/m);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.is(pkg.scripts.prepare, 'node scripts/prepare.mjs');
  const prepare = readFileSync(join(ROOT, 'scripts/prepare.mjs'), 'utf8');
  assert.not.match(prepare, /console\.log|stdio: 'inherit'|process\.stdout/);
});

test.run();
