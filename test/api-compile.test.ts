/**
 * The compile pipeline from the programmatic API (`import { compile } from 'meshc'`): the same files as
 * `meshc compile`, and the built package entry exports it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from './helpers/cli.ts';
import { listFiles, tempDir } from './helpers/compile.ts';
import { compile } from '../src/index.ts';

test('compile() of the API writes byte for byte what meshc compile writes', async () => {
  const tmp = tempDir();
  try {
    const viaApi = join(tmp.dir, 'api');
    const viaCli = join(tmp.dir, 'cli');
    const r = await compile(['fixtures/bookstore'], { cwd: ROOT, out: viaApi });
    assert.is(r.status, 'written', r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
    assert.is(r.summary?.nodes, 6);
    const cli = runCli(['compile', 'fixtures/bookstore', '--out', viaCli, '-q']);
    assert.is(cli.code, 0, cli.stderr);
    const files = listFiles(viaApi);
    assert.equal(files, listFiles(viaCli));
    assert.ok(files.includes('manifest.json'));
    for (const f of files) assert.ok(readFileSync(join(viaApi, f)).equals(readFileSync(join(viaCli, f))), f);
  } finally {
    tmp.cleanup();
  }
});

test('compile() of the API: errors come back as diagnostics and a status, nothing is written', async () => {
  const tmp = tempDir();
  try {
    const r = await compile(['fixtures/bad/MESH0003-yaml-syntax.yaml'], { cwd: ROOT, out: join(tmp.dir, 'out') });
    assert.is(r.status, 'check-failed');
    assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
    assert.is(r.summary, null);
    assert.equal(listFiles(tmp.dir), []);
  } finally {
    tmp.cleanup();
  }
});

test('the built package entry (dist/index.js) exports compile', async () => {
  const api = (await import(join(ROOT, 'dist', 'index.js'))) as Record<string, unknown>;
  assert.type(api.compile, 'function');
});

test.run();
