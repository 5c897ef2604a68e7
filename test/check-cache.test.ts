// The parse cache of `meshc check` (src/load/parse-cache.ts): a cached run prints exactly what an uncached
// one does, in every format; a damaged, stale or unwritable cache never changes the result.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { BIN, STACK, cleanEnv, run, type Run } from './cli-run.ts';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';
import { until } from './helpers/wait.ts';

const FORMATS = ['text', 'json', 'sarif', 'github'];
const INPUTS = ['fixtures/bad', 'fixtures/bookstore', 'test/corpus', 'test/compile-fixtures'];

const entries = (cache: string) => (existsSync(join(cache, 'parse')) ? readdirSync(join(cache, 'parse')).filter((n) => n.endsWith('.bin')) : []);
const same = (a: Run, b: Run, what: string) => {
  assert.is(a.code, b.code, `${what}: exit code`);
  assert.is(a.stdout, b.stdout, `${what}: stdout`);
  assert.is(a.stderr, b.stderr, `${what}: stderr`);
};

test('fixtures, goldens and the corpus: cold, warm and --no-cache runs print the same bytes in every format', () => {
  const cache = tempDir('meshc-cache-');
  const env = { MESHC_CACHE_DIR: cache };
  for (const format of FORMATS) {
    const args = ['check', '--format', format, ...INPUTS];
    const before = entries(cache).length;
    const uncached = run([...args, '--no-cache'], { env });
    assert.is(entries(cache).length, before, '--no-cache writes nothing');
    const cold = run(args, { env });
    assert.ok(entries(cache).length > 100, 'the cold run filled the cache');
    const warm = run(args, { env });
    same(cold, uncached, `${format} cold`);
    same(warm, uncached, `${format} warm`);
    assert.not.match(warm.stderr, STACK);
  }
});

test('a generated mesh: warm after one changed file equals a fresh uncached run (stale entries are never used)', () => {
  const dir = tempDir('meshc-cache-mesh-');
  const cache = tempDir('meshc-cache-');
  const mesh = generateMesh(dir, { services: 120, servicesPerFile: 10 });
  const env = { MESHC_CACHE_DIR: cache };
  const args = ['check', '--format', 'json', '.'];
  const cold = run(args, { cwd: dir, env });
  same(run(args, { cwd: dir, env }), cold, 'warm');
  // Break one reference in one file: a new finding must appear, from the new text.
  const file = mesh.files.find((f) => readFileSync(f, 'utf8').includes('kind: TrafficTarget'))!;
  writeFileSync(file, readFileSync(file, 'utf8').replace(/kind: ServiceAccount\n(\s+)name: /, 'kind: ServiceAccount\n$1name: nobody-'));
  const changed = run(args, { cwd: dir, env });
  same(changed, run([...args, '--no-cache'], { cwd: dir, env }), 'after a change');
  assert.is.not(changed.stdout, cold.stdout, 'the change shows');
  for (const format of FORMATS) {
    same(run(['check', '--format', format, '.'], { cwd: dir, env }), run(['check', '--no-cache', '--format', format, '.'], { cwd: dir, env }), format);
  }
});

test('the same text under another path is its own entry (paths are part of every finding)', () => {
  const dir = tempDir('meshc-cache-paths-');
  const cache = tempDir('meshc-cache-');
  // Padded past the size under which a run does not bother with the cache (64 KiB).
  const text = `apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n${'# padding\n'.repeat(8000)}`;
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'a', 'x.yaml'), text);
  writeFileSync(join(dir, 'b', 'x.yaml'), text);
  const env = { MESHC_CACHE_DIR: cache };
  assert.match(run(['check', 'a'], { cwd: dir, env }).stdout, /^a\/x\.yaml:4:1/m);
  assert.is(entries(cache).length, 1);
  assert.match(run(['check', 'b'], { cwd: dir, env }).stdout, /^b\/x\.yaml:4:1/m);
  assert.is(entries(cache).length, 2);
});

test('a small run (under 64 KiB of input) neither reads nor writes the cache: parsing costs less than hashing', () => {
  const cache = tempDir('meshc-cache-');
  const r = run(['check', 'fixtures/bookstore'], { env: { MESHC_CACHE_DIR: cache } });
  assert.is(r.code, 0);
  assert.equal(entries(cache), []);
});

test('corrupted, truncated, emptied or foreign cache entries are ignored: same output, no crash', () => {
  const cache = tempDir('meshc-cache-');
  const env = { MESHC_CACHE_DIR: cache };
  const args = ['check', '--format', 'json', 'fixtures/bad', 'fixtures/bookstore'];
  const uncached = run([...args, '--no-cache'], { env });
  run(args, { env });
  const names = entries(cache);
  assert.ok(names.length > 10);
  const damage = [
    (b: Buffer) => { const c = Buffer.from(b); c[c.length - 1] ^= 0xff; return c; }, // one bit of the payload
    (b: Buffer) => b.subarray(0, Math.floor(b.length / 2)), // truncated
    () => Buffer.alloc(0), // empty
    (b: Buffer) => { const c = Buffer.from(b); c[12] ^= 0x01; return c; }, // the checksum itself
  ];
  const paths = names.map((n) => join(cache, 'parse', n));
  // A valid entry of one file copied over another's name: checksum fine, key wrong.
  const foreign = readFileSync(paths[0]!);
  paths.forEach((p, i) => writeFileSync(p, i % 5 === 4 ? foreign : damage[i % 4]!(readFileSync(p))));
  writeFileSync(paths[0]!, 'not a cache entry at all');
  const damaged = run(args, { env });
  same(damaged, uncached, 'damaged entries');
  // The damaged entries were replaced by good ones.
  same(run(args, { env }), uncached, 'after repair');
});

test('an unwritable cache location is skipped silently', () => {
  const dir = tempDir('meshc-cache-ro-');
  writeFileSync(join(dir, 'file'), 'a file where the cache directory should be');
  const args = ['check', '--format', 'sarif', 'fixtures/bad', 'fixtures/bookstore'];
  const uncached = run([...args, '--no-cache']);
  same(run(args, { env: { MESHC_CACHE_DIR: join(dir, 'file', 'cache') } }), uncached, 'cache under a file');
});

test('default location: node_modules/.cache/meshc above the working directory, else $XDG_CACHE_HOME/meshc; MESHC_NO_CACHE=1 writes nothing', () => {
  const project = tempDir('meshc-cache-project-');
  generateMesh(join(project, 'mesh'), { services: 60, servicesPerFile: 10 });
  const xdg = tempDir('meshc-cache-xdg-');
  const env = { MESHC_CACHE_DIR: undefined, XDG_CACHE_HOME: xdg };
  const uncached = run(['check', '--no-cache', 'mesh'], { cwd: project, env });
  assert.not.match(uncached.stderr, STACK);
  same(run(['check', 'mesh'], { cwd: project, env: { ...env, MESHC_NO_CACHE: '1' } }), uncached, 'MESHC_NO_CACHE=1');
  assert.equal(readdirSync(xdg), [], 'nothing written with --no-cache or MESHC_NO_CACHE=1');
  same(run(['check', 'mesh'], { cwd: project, env }), uncached, 'cached');
  assert.ok(entries(join(xdg, 'meshc')).length > 0, 'entries under $XDG_CACHE_HOME/meshc');
  mkdirSync(join(project, 'node_modules'));
  run(['check', '.'], { cwd: join(project, 'mesh'), env });
  assert.ok(entries(join(project, 'node_modules', '.cache', 'meshc')).length > 0, 'entries under node_modules/.cache/meshc');
});

/** Runs the CLI without waiting (for concurrency and --watch). */
function start(args: string[], cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv({ NO_COLOR: '1', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c) => { out.stdout += c; });
  child.stderr.on('data', (c) => { out.stderr += c; });
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, ...out })));
  return { child, out, done };
}

test('concurrent runs filling one cache do not corrupt it', async () => {
  const cache = tempDir('meshc-cache-');
  const env = { MESHC_CACHE_DIR: cache };
  const args = ['check', '--format', 'json', 'fixtures/bad', 'fixtures/bookstore', 'test/corpus'];
  const uncached = run([...args, '--no-cache'], { env });
  const runs = await Promise.all([1, 2, 3, 4].map(() => start(args, ROOT, env).done));
  for (const r of runs) same(r, uncached, 'concurrent run');
  same(run(args, { env }), uncached, 'warm after the concurrent runs');
  assert.equal(readdirSync(join(cache, 'parse')).filter((n) => n.endsWith('.tmp')), [], 'no temporary files left');
});

test('--watch: checks, then checks again after a change and prints the new finding; SIGINT ends it cleanly', async () => {
  const dir = tempDir('meshc-watch-');
  cpSync(join(ROOT, 'fixtures', 'bookstore'), join(dir, 'mesh'), { recursive: true });
  const w = start(['check', '--watch', 'mesh'], dir, { MESHC_CACHE_DIR: tempDir('meshc-cache-') });
  try {
    await until(() => /watching for changes/.test(w.out.stderr), 'the first check');
    assert.not.match(w.out.stdout, /broken\.yaml/);
    writeFileSync(join(dir, 'mesh', 'broken.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n');
    await until(() => /mesh\/broken\.yaml:4:1/.test(w.out.stdout), 'the finding of the changed file');
    await until(() => (w.out.stderr.match(/watching for changes/g) ?? []).length >= 2, 'the second check to end');
    assert.match(w.out.stderr, /broken\.yaml changed, checking again/);
    // Emptied: the next run (which parses only this file again) reports nothing of it.
    const before = w.out.stdout.length;
    writeFileSync(join(dir, 'mesh', 'broken.yaml'), '# nothing here yet\n---\n');
    await until(() => (w.out.stderr.match(/watching for changes/g) ?? []).length >= 3, 'the third check to end');
    assert.not.match(w.out.stdout.slice(before), /broken\.yaml:4:1/);
  } finally {
    w.child.kill('SIGINT');
  }
  const r = await w.done;
  assert.is(r.code, 0, 'the exit code of the last check (the emptied file is no error)');
  assert.not.match(r.stderr, STACK);
});

test('--watch sees every save: files replaced by a rename (editors\' atomic saves), written in place after that, and in a directory created while watching', async () => {
  const dir = tempDir('meshc-watch-saves-');
  cpSync(join(ROOT, 'fixtures', 'bookstore'), join(dir, 'mesh'), { recursive: true });
  const file = join(dir, 'mesh', 'apps', 'bookstore.yaml');
  const original = readFileSync(file, 'utf8');
  const w = start(['check', '--watch', 'mesh'], dir, { MESHC_CACHE_DIR: tempDir('meshc-cache-') });
  const runs = () => (w.out.stderr.match(/watching for changes/g) ?? []).length;
  /** Makes a change, then waits for the run it starts to end. */
  const change = async (what: string, edit: () => void) => {
    const before = runs();
    edit();
    await until(() => runs() > before, what);
  };
  /** Replaces `path` by renaming a new file over it, as editors save. */
  const atomicSave = (path: string, text: string) => {
    writeFileSync(`${path}.tmp-save`, text);
    renameSync(`${path}.tmp-save`, path);
  };
  try {
    await until(() => runs() === 1, 'the first check');
    await change('an atomic save', () => atomicSave(file, `# saved once\n${original}`));
    await change('a second atomic save of the same file', () => atomicSave(file, `# saved twice\n${original}`));
    await change('a write in place after the atomic saves', () => writeFileSync(file, `${original}---\napiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n`));
    const tabLine = original.split('\n').length + 4; // the '\tname' line of the document written after the original text
    await until(() => w.out.stdout.includes(`mesh/apps/bookstore.yaml:${tabLine}:1`), 'the finding of the in-place write');
    await change('a new directory with a file', () => {
      mkdirSync(join(dir, 'mesh', 'later'));
      writeFileSync(join(dir, 'mesh', 'later', 'more.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: later\n');
    });
    await change('a save in the new directory', () => writeFileSync(join(dir, 'mesh', 'later', 'more.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: later\n'));
    await until(() => /mesh\/later\/more\.yaml:4:1/.test(w.out.stdout), 'the finding in the new directory');
  } finally {
    w.child.kill('SIGINT');
  }
  const r = await w.done;
  assert.not.match(r.stderr, STACK);
});

test('--watch refuses standard input', () => {
  const r = run(['check', '--watch', '-']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /MESH1050 --watch cannot be used with standard input \(-\)/);
});

test.run();
