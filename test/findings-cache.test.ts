// The findings cache of `meshc check` (src/pipeline/findings-cache.ts): lint findings of a model seen before are
// reused, placed against the current text; a cached run prints exactly what `--no-cache` prints, in every format,
// after an edit that keeps the model and after one that changes it; damaged entries and changed settings never
// serve stale findings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { join } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { STACK, run, type Run } from './cli-run.ts';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';
import { check, loadMesh } from '../src/pipeline/check.ts';
import { exactJson } from '../src/core/cache-file.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { lazyDslLoader } from '../src/dsl/extra-loader.ts';
import { loadDocuments } from '../src/load/index.ts';
import { openParseCache, parsedInputsDigest } from '../src/load/parse-cache.ts';

const FORMATS = ['text', 'json', 'sarif', 'github'];
const MAGIC = Buffer.from('MESHCF1\n');

const same = (a: Run, b: Run, what: string) => {
  assert.is(a.code, b.code, `${what}: exit code`);
  assert.is(a.stdout, b.stdout, `${what}: stdout`);
  assert.is(a.stderr, b.stderr, `${what}: stderr`);
  assert.not.match(a.stderr, STACK);
};

/** A generated mesh (big enough for the cache) plus bad fixtures whose findings name lines and depend on positions. */
function project() {
  const dir = tempDir('meshc-findings-');
  const mesh = generateMesh(join(dir, 'mesh'), { services: 120, servicesPerFile: 10 });
  mkdirSync(join(dir, 'mesh', 'extra'));
  for (const f of ['MESH0302-duplicate-match-name.yaml', 'MESH0204-traffic-target-without-sources.yaml', 'MESH1110-mesh-config-duplicate.yaml']) {
    copyFileSync(join(ROOT, 'fixtures', 'bad', f), join(dir, 'mesh', 'extra', f));
  }
  const cache = tempDir('meshc-findings-cache-');
  return { dir, files: mesh.files, cache, env: { MESHC_CACHE_DIR: cache }, extra: (f: string) => join(dir, 'mesh', 'extra', f) };
}

const entryNames = (cache: string) => (existsSync(join(cache, 'findings')) ? readdirSync(join(cache, 'findings')).filter((n) => n.endsWith('.bin')) : []);
const prepend = (file: string, text: string) => writeFileSync(file, text + readFileSync(file, 'utf8'));
const append = (file: string, text: string) => writeFileSync(file, readFileSync(file, 'utf8') + text);
/** Breaks one ServiceAccount reference of a generated TrafficTarget: a finding appears. */
function breakReference(files: string[]): { file: string; before: string } {
  const file = files.find((f) => readFileSync(f, 'utf8').includes('kind: TrafficTarget'))!;
  const before = readFileSync(file, 'utf8');
  writeFileSync(file, before.replace(/kind: ServiceAccount\n(\s+)name: /, 'kind: ServiceAccount\n$1name: nobody-'));
  return { file, before };
}

test('every format: cold, warm and --no-cache agree, after an edit that moves lines and after one that changes the model', () => {
  for (const format of FORMATS) {
    const p = project();
    const args = ['check', '--format', format, 'mesh'];
    const checkBoth = (what: string) => {
      const cached = run(args, { cwd: p.dir, env: p.env });
      same(cached, run([...args, '--no-cache'], { cwd: p.dir, env: p.env }), `${format} ${what}`);
      return cached;
    };
    const cold = checkBoth('cold');
    assert.is(entryNames(p.cache).length, 1, 'the cold run stored the findings');
    same(run(args, { cwd: p.dir, env: p.env }), cold, `${format} warm`);
    // Comments above the findings: the model is the same, every finding is two lines further down.
    prepend(p.extra('MESH0302-duplicate-match-name.yaml'), '# moved\n# down\n');
    prepend(p.extra('MESH1110-mesh-config-duplicate.yaml'), '# moved\n# down\n');
    const moved = checkBoth('lines moved');
    if (format === 'text') {
      assert.match(cold.stdout, /MESH0302-duplicate-match-name\.yaml:14:13: .*first at line 11\)/);
      assert.match(moved.stdout, /MESH0302-duplicate-match-name\.yaml:16:13: .*first at line 13\)/);
      assert.match(cold.stdout, /MESH1110-mesh-config-duplicate\.yaml:19:9: .*MESH1110-mesh-config-duplicate\.yaml:6\)/);
      assert.match(moved.stdout, /MESH1110-mesh-config-duplicate\.yaml:21:9: .*MESH1110-mesh-config-duplicate\.yaml:8\)/);
    }
    // A semantic edit: a finding appears; undone, it disappears again.
    const broken = breakReference(p.files);
    const changed = checkBoth('reference broken');
    assert.is.not(changed.stdout, moved.stdout, `${format}: the new finding shows`);
    writeFileSync(broken.file, broken.before);
    same(checkBoth('reference repaired'), moved, `${format}: repaired`);
    assert.is(entryNames(p.cache).length, 2, 'one entry per model seen');
  }
});

/** Rewrites the single findings entry of `cache` through `change`, with a valid checksum (a planted entry). */
function plant(path: string, change: (entry: { findings: { args: Record<string, unknown> }[]; asked: unknown[][] }) => void): void {
  const buf = readFileSync(path);
  const entry = deserialize(buf.subarray(MAGIC.length + 32));
  change(entry);
  const payload = serialize(entry);
  writeFileSync(path, Buffer.concat([MAGIC, createHash('sha256').update(payload).digest(), payload]));
}

const plantNames = (entry: { findings: { args: Record<string, unknown> }[] }) => {
  for (const f of entry.findings) for (const k of Object.keys(f.args)) if (typeof f.args[k] === 'string') f.args[k] = 'PLANTED';
};

test('the stored findings are what a warm run prints while the model stays the same, and only then', () => {
  const p = project();
  const args = ['check', '--format', 'json', 'mesh'];
  const cold = run(args, { cwd: p.dir, env: p.env });
  assert.is(cold.code, 1);
  const entry = join(p.cache, 'findings', entryNames(p.cache)[0]!);
  plant(entry, plantNames);
  assert.match(run(args, { cwd: p.dir, env: p.env }).stdout, /PLANTED/, 'a warm run replays the entry');
  append(p.files[3]!, '\n# a comment at the end\n');
  assert.match(run(args, { cwd: p.dir, env: p.env }).stdout, /PLANTED/, 'an edit that keeps the model reuses it');
  const broken = breakReference(p.files);
  same(run(args, { cwd: p.dir, env: p.env }), run([...args, '--no-cache'], { cwd: p.dir, env: p.env }), 'another model runs the rules');
  writeFileSync(broken.file, broken.before);
  assert.match(run(args, { cwd: p.dir, env: p.env }).stdout, /PLANTED/, 'the first model is found again');
  // A rule asked where something is (MESH0302 names the line of the first match): a different answer runs the rules.
  plant(entry, (entry) => {
    assert.ok(entry.asked.length > 0, 'the entry holds the questions rules asked');
    for (const q of entry.asked) if (q[0] === 'locate') (q[4] as { line: number }).line += 1000;
  });
  const uncached = run([...args, '--no-cache'], { cwd: p.dir, env: p.env });
  same(run(args, { cwd: p.dir, env: p.env }), uncached, 'a stale answer is not trusted');
});

/** An entry's value, after checking its magic and checksum. */
function decode(bytes: Buffer): unknown {
  assert.equal(bytes.subarray(0, MAGIC.length), MAGIC);
  const payload = bytes.subarray(MAGIC.length + 32);
  assert.equal(createHash('sha256').update(payload).digest(), bytes.subarray(MAGIC.length, MAGIC.length + 32));
  return deserialize(payload);
}

test('a damaged, truncated, empty or foreign findings entry is ignored and replaced', () => {
  const p = project();
  const args = ['check', '--format', 'sarif', 'mesh'];
  const uncached = run([...args, '--no-cache'], { cwd: p.dir, env: p.env });
  run(args, { cwd: p.dir, env: p.env });
  const path = join(p.cache, 'findings', entryNames(p.cache)[0]!);
  const good = readFileSync(path);
  // A valid entry of another model under this model's name: checksum fine, key wrong.
  const broken = breakReference(p.files);
  run(args, { cwd: p.dir, env: p.env });
  const foreign = readFileSync(join(p.cache, 'findings', entryNames(p.cache).find((n) => !path.endsWith(n))!));
  writeFileSync(broken.file, broken.before);
  const flip = (at: number) => {
    const copy = Buffer.from(good);
    copy[at] ^= 0x01;
    return copy;
  };
  const damage: [string, Buffer][] = [
    ['one bit of the payload', flip(good.length - 1)],
    ['truncated', good.subarray(0, Math.floor(good.length / 2))],
    ['empty', Buffer.alloc(0)],
    ['the checksum', flip(MAGIC.length + 3)],
    ['foreign', foreign],
    ['not an entry', Buffer.from('not a cache entry at all')],
  ];
  for (const [what, bytes] of damage) {
    writeFileSync(path, bytes);
    same(run(args, { cwd: p.dir, env: p.env }), uncached, what);
    assert.equal(decode(readFileSync(path)), decode(good), `${what}: replaced by a good entry`);
  }
});

test('changed settings never get the findings of other settings: --disable-rule, .meshc.yaml, --permissive, --draft', () => {
  const p = project();
  const base = ['check', 'mesh'];
  const cold = run(base, { cwd: p.dir, env: p.env });
  assert.match(cold.stdout, /MESH0302/);
  const variants: [string, string[], string?][] = [
    ['--disable-rule', ['--disable-rule', 'http-route-group-matches']],
    ['.meshc.yaml disableRules', [], 'disableRules: [traffic-target-subjects-exist]\n'],
    ['--permissive', ['--permissive']],
    ['--draft', ['--draft']],
  ];
  for (const [what, flags, config] of variants) {
    if (config) writeFileSync(join(p.dir, '.meshc.yaml'), config);
    const cached = run([...base, ...flags], { cwd: p.dir, env: p.env });
    same(cached, run([...base, ...flags, '--no-cache'], { cwd: p.dir, env: p.env }), what);
    if (what.includes('disable')) assert.is.not(cached.stdout, cold.stdout, `${what}: fewer findings`);
    if (config) rmSync(join(p.dir, '.meshc.yaml'));
    same(run(base, { cwd: p.dir, env: p.env }), cold, `${what}: back to the defaults`);
  }
});

/** Copies `from` to `to`, each YAML file with comment lines and a blank line in front (every position moves). */
function copyShifted(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
        const bytes = readFileSync(full);
        const text = bytes.toString('utf8');
        // Text as it is, where a prefix could change how the file reads (encodings, byte order marks, empty files).
        if (Buffer.from(text, 'utf8').equals(bytes) && text.trim() !== '' && !text.startsWith('\ufeff')) writeFileSync(full, `# shifted\n\n${text}`);
      }
    }
  };
  walk(to);
}

test('the model holds no positions: every fixture and the corpus, shifted down by comment lines, model the same (what keying by content rests on)', async () => {
  const base = tempDir('meshc-findings-model-');
  for (const input of ['fixtures/bad', 'fixtures/bookstore', 'test/corpus']) {
    cpSync(join(ROOT, input), join(base, 'a', input), { recursive: true });
    copyShifted(join(ROOT, input), join(base, 'b', input));
  }
  const a = await loadMesh(['.'], { cwd: join(base, 'a') });
  const b = await loadMesh(['.'], { cwd: join(base, 'b') });
  assert.ok(a.mesh.services.length > 10 && a.mesh.trafficTargets.length > 10);
  assert.is(exactJson(b.mesh), exactJson(a.mesh));
  assert.is.not(JSON.stringify(b.diagnostics), JSON.stringify(a.diagnostics), 'the positions of findings did move');
});

test('without content digests (a TypeScript DSL file among the inputs) the model itself is the key: reused after a comment edit, not after a semantic one', async () => {
  const p = project();
  mkdirSync(join(p.dir, 'mesh', 'dsl'));
  copyFileSync(join(ROOT, 'fixtures', 'bookstore-ts', 'mesh.ts'), join(p.dir, 'mesh', 'dsl', 'mesh.ts'));
  const before = process.env.MESHC_CACHE_DIR;
  process.env.MESHC_CACHE_DIR = p.cache;
  try {
    // The DSL's objects come through no parse cache entry: the run has no digest of its inputs.
    const disk = openParseCache(p.dir)!;
    const loaded = await loadDocuments(['mesh'], new DiagnosticSink(), { cwd: p.dir, cache: disk, extraLoaders: [lazyDslLoader(['mesh'], p.dir)] });
    assert.ok(loaded.documents.some((d) => d.file.endsWith('mesh.ts')), 'the DSL file was loaded');
    assert.is(parsedInputsDigest(disk, loaded.documents), null);
    const shown = async () => JSON.stringify((await check(['mesh'], { cwd: p.dir, cache: true })).diagnostics);
    const uncached = async () => JSON.stringify((await check(['mesh'], { cwd: p.dir })).diagnostics);
    assert.is(await shown(), await uncached());
    plant(join(p.cache, 'findings', entryNames(p.cache)[0]!), plantNames);
    prepend(p.files[2]!, '# a comment\n');
    assert.match(await shown(), /PLANTED/, 'same model: reused');
    const broken = breakReference(p.files);
    const changed = await shown();
    assert.not.match(changed, /PLANTED/);
    assert.is(changed, await uncached());
    writeFileSync(broken.file, broken.before);
  } finally {
    if (before === undefined) delete process.env.MESHC_CACHE_DIR;
    else process.env.MESHC_CACHE_DIR = before;
  }
});

test('a big YAML run parses every file through the cache from the first on, and keys its findings by the files\' content digests, as loads through shared parses (diff, --watch) do', async () => {
  const p = project();
  const before = process.env.MESHC_CACHE_DIR;
  process.env.MESHC_CACHE_DIR = p.cache;
  try {
    const byDigests = JSON.stringify((await check(['mesh'], { cwd: p.dir, cache: true })).diagnostics);
    assert.is(readdirSync(join(p.cache, 'parse')).filter((n) => n.endsWith('.bin')).length, p.files.length + 3, 'one parse entry per file');
    assert.is(entryNames(p.cache).length, 1);
    // The same model loaded through shared parses has the same key: its findings are those of the first run's entry.
    plant(join(p.cache, 'findings', entryNames(p.cache)[0]!), plantNames);
    const shared = JSON.stringify((await check(['mesh'], { cwd: p.dir, cache: true, parseCache: new Map() })).diagnostics);
    assert.is(entryNames(p.cache).length, 1);
    assert.match(shared, /PLANTED/, 'the entry of the first run was used');
    assert.is(shared, JSON.stringify((await check(['mesh'], { cwd: p.dir, cache: true })).diagnostics));
    assert.not.match(byDigests, /PLANTED/);
  } finally {
    if (before === undefined) delete process.env.MESHC_CACHE_DIR;
    else process.env.MESHC_CACHE_DIR = before;
  }
});

test('a small model is linted without the findings cache; --no-cache writes no entry', () => {
  const cache = tempDir('meshc-findings-cache-');
  run(['check', 'fixtures/bookstore'], { env: { MESHC_CACHE_DIR: cache } });
  assert.equal(entryNames(cache), []);
  const p = project();
  run(['check', '--no-cache', 'mesh'], { cwd: p.dir, env: p.env });
  assert.equal(entryNames(p.cache), []);
});

test.run();
