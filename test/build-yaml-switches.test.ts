/**
 * The bundles read none of the yaml package's per-token debugging switches
 * (process.env.LOG_TOKENS, LOG_STREAM): each read of process.env is a call
 * into the environment, a fifth of the time of a big parse
 * (scripts/build.mjs yamlWithoutDebugSwitches). A yaml upgrade that renames
 * them shows up here, and as a build warning.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';

test('no bundle reads process.env per YAML token, and the parser is in them', () => {
  const dist = join(ROOT, 'dist');
  const files = readdirSync(dist, { recursive: true }).map(String).filter((f) => /\.(c?js)$/.test(f));
  const withParser = files.filter((f) => readFileSync(join(dist, f), 'utf8').includes('Not a YAML token'));
  assert.ok(withParser.includes(join('chunks', 'cli-check.cjs')), 'the check bundle holds the yaml parser');
  assert.ok(withParser.length >= 2, 'and a chunk of the split build');
  for (const f of files) {
    assert.not.match(readFileSync(join(dist, f), 'utf8'), /env\.LOG_(TOKENS|STREAM)/, f);
  }
});

test.run();
