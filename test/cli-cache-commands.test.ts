// Every command that reads manifests shares check's caches (src/cli/common.ts useCache): after
// `meshc check`, `test`, `why`, `graph` and `compile` reuse its parsed files, print exactly what
// they print with --no-cache, and --no-cache neither reads nor writes the cache.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { STACK, run, type Run } from './cli-run.ts';
import { tempDir } from './helpers/temp.ts';

const entries = (cache: string, kind: string) => (existsSync(join(cache, kind)) ? readdirSync(join(cache, kind)).filter((n) => n.endsWith('.bin')).sort() : []);
const same = (a: Run, b: Run, what: string) => {
  assert.is(a.code, b.code, `${what}: exit code`);
  assert.is(a.stdout, b.stdout, `${what}: stdout`);
  assert.is(a.stderr, b.stderr, `${what}: stderr`);
  assert.not.match(a.stderr, STACK, what);
};

/** Every file under `dir` with its bytes, by relative path. */
function tree(dir: string, root = dir, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tree(p, root, out);
    else out.set(relative(root, p), readFileSync(p).toString('base64'));
  }
  return out;
}

function meshWithCache() {
  const dir = tempDir('meshc-cmd-cache-');
  generateMesh(join(dir, 'mesh'), { services: 60, servicesPerFile: 10 });
  return { dir, cache: tempDir('meshc-cmd-cache-dir-') };
}

test('test, why and graph: the same bytes with and without the cache; a cold one fills it, --no-cache leaves it alone', () => {
  const { dir, cache } = meshWithCache();
  const env = { MESHC_CACHE_DIR: cache };
  const commands = [
    ['test', '--format', 'json', 'mesh'],
    ['why', '--from', 'ns-0/svc-0', '--to', 'ns-1/svc-1', '--format', 'json', 'mesh'],
    ['graph', '--format', 'json', 'mesh'],
  ];
  for (const args of commands) {
    const uncached = run([...args, '--no-cache'], { cwd: dir, env });
    assert.equal(entries(cache, 'parse'), [], `${args[0]} --no-cache writes nothing`);
    assert.ok(uncached.stdout.length > 0, `${args[0]} printed something`);
  }
  for (const args of commands) {
    const uncached = run([...args, '--no-cache'], { cwd: dir, env });
    const cold = run(args, { cwd: dir, env });
    assert.ok(entries(cache, 'parse').length > 0, `${args[0]} filled the parse cache`);
    same(cold, uncached, `${args[0]} cold`);
    same(run(args, { cwd: dir, env }), uncached, `${args[0]} warm`);
  }
});

test('compile after check reuses its parsed files and findings, and writes the same output as --no-cache', () => {
  const { dir, cache } = meshWithCache();
  const env = { MESHC_CACHE_DIR: cache };
  assert.is(run(['check', 'mesh'], { cwd: dir, env }).code, 0);
  const parsed = entries(cache, 'parse');
  const findings = entries(cache, 'findings');
  assert.ok(parsed.length > 0 && findings.length > 0, 'check filled both caches');
  const cached = run(['compile', 'mesh', '--out', 'out-cached'], { cwd: dir, env });
  assert.equal(entries(cache, 'parse'), parsed, 'compile parsed nothing new');
  assert.equal(entries(cache, 'findings'), findings, 'compile reused the findings of check');
  const uncached = run(['compile', 'mesh', '--out', 'out-uncached', '--no-cache'], { cwd: dir, env });
  assert.is(cached.code, 0, cached.stderr);
  assert.is(cached.code, uncached.code);
  assert.is(cached.stdout, uncached.stdout);
  assert.is(cached.stderr.replaceAll('out-cached', 'OUT'), uncached.stderr.replaceAll('out-uncached', 'OUT'));
  assert.equal(tree(join(dir, 'out-cached')), tree(join(dir, 'out-uncached')), 'the same files, byte for byte');
  // compile alone, on an empty cache, fills it (so a later check or compile reuses its parses)
  const fresh = tempDir('meshc-cmd-cache-fresh-');
  assert.is(run(['compile', 'mesh', '--out', 'out-fresh'], { cwd: dir, env: { MESHC_CACHE_DIR: fresh } }).code, 0);
  assert.ok(entries(fresh, 'parse').length > 0, 'compile wrote parse entries');
  assert.equal(tree(join(dir, 'out-fresh')), tree(join(dir, 'out-uncached')), 'a cold cached compile writes the same files');
});

test.run();
