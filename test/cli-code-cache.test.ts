/**
 * `meshc check` starts from its own bundle with a V8 code cache (src/cli/check-boot.ts): the output is
 * byte-identical with and without the cache, a damaged entry is ignored and rewritten, `--no-cache` and
 * MESHC_NO_CACHE=1 leave no entry, an unwritable location only costs speed, and a new build replaces
 * its install's old entry without touching other installs'.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { run, type Run } from './cli-run.ts';

const INPUTS: string[][] = [
  ['check', 'fixtures/bookstore'],
  ['check', '--format', 'json', 'fixtures/bad'],
  ['check', '--format', 'github', 'fixtures/shop'],
  ['check', '--format', 'sarif', 'fixtures/bookstore/policy/split.yaml'],
  ['check', 'fixtures/bookstore-ts'],
];

const temp = () => mkdtempSync(join(tmpdir(), 'meshc-code-cache-'));
const entries = (cache: string) => (existsSync(join(cache, 'v8')) ? readdirSync(join(cache, 'v8')).filter((f) => f.startsWith('meshc-check-')).sort() : []);
const same = (a: Run, b: Run, what: string) => {
  assert.is(b.code, a.code, `${what}: exit code`);
  assert.is(b.stdout, a.stdout, `${what}: stdout`);
  assert.is(b.stderr, a.stderr, `${what}: stderr`);
};

/** True when the entry is MAGIC, the CRC-32 of the rest (big-endian) and a non-empty rest. */
function entryIsValid(file: string): boolean {
  const raw = readFileSync(file);
  return raw.subarray(0, 8).toString('latin1') === 'MESHCV8\n' && raw.length > 12 && raw.readUInt32BE(8) === (zlib as unknown as { crc32(b: Buffer): number }).crc32(raw.subarray(12));
}

test('check prints the same with a code cache being written, read, and turned off', () => {
  for (const args of INPUTS) {
    const cache = temp();
    try {
      const uncached = run([...args], { env: { MESHC_NO_CACHE: '1' } });
      assert.equal(entries(cache), []);
      const first = run(args, { env: { MESHC_CACHE_DIR: cache } });
      same(uncached, first, `${args.join(' ')} (writes the cache)`);
      const [entry] = entries(cache);
      if (first.code === 2) {
        // Unreadable input (fixtures/bad has some): not a run to keep the code of.
        assert.is(entry, undefined, `${args.join(' ')}: no entry after exit code 2`);
        continue;
      }
      assert.ok(entry, `${args.join(' ')}: an entry was written`);
      assert.ok(entryIsValid(join(cache, 'v8', entry!)));
      const before = statSync(join(cache, 'v8', entry!));
      const second = run(args, { env: { MESHC_CACHE_DIR: cache } });
      same(uncached, second, `${args.join(' ')} (reads the cache)`);
      // V8 accepted it: a rejected or damaged entry would have been rewritten.
      const after = statSync(join(cache, 'v8', entry!));
      assert.is(after.mtimeMs, before.mtimeMs);
      assert.is(after.ino, before.ino);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
});

test('with a warm code cache, lazily loaded built-ins still work: a DSL time-out names the line it was running', () => {
  const dir = temp();
  const cache = temp();
  try {
    writeFileSync(join(dir, 'mesh.ts'), "import { defineMesh } from 'meshc';\nlet n = 0;\nwhile (n >= 0) n = (n + 1) % 10;\nexport default defineMesh({ namespaces: {} });\n");
    const args = ['check', '--format', 'json', 'mesh.ts'];
    const env = { MESHC_DSL_TIMEOUT_MS: '1000' };
    const uncached = run(args, { cwd: dir, env: { ...env, MESHC_NO_CACHE: '1' } });
    assert.match(uncached.stdout, /"code": ?"MESH0904"[^}]*"line": ?3/);
    run(args, { cwd: dir, env: { ...env, MESHC_CACHE_DIR: cache } });
    assert.is(entries(cache).length, 1);
    same(uncached, run(args, { cwd: dir, env: { ...env, MESHC_CACHE_DIR: cache } }), 'DSL time-out, warm code cache');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a usage error or --help prints the same and writes no code cache (an entry holds the code of a real check)', () => {
  const cache = temp();
  try {
    for (const args of [['check', '--no-such-option'], ['check', '--help'], ['check', 'no/such/path.yaml']]) {
      same(run(args, { env: { MESHC_NO_CACHE: '1' } }), run(args, { env: { MESHC_CACHE_DIR: cache } }), args.join(' '));
    }
    assert.equal(entries(cache), []);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('--no-cache and MESHC_NO_CACHE=1 neither read nor write the code cache', () => {
  const cache = temp();
  try {
    run(['check', '--no-cache', 'fixtures/bookstore'], { env: { MESHC_CACHE_DIR: cache } });
    run(['check', 'fixtures/bookstore'], { env: { MESHC_CACHE_DIR: cache, MESHC_NO_CACHE: '1' } });
    assert.equal(entries(cache), []);
    // After `--`, --no-cache is a path, not the option.
    const dir = temp();
    try {
      writeFileSync(join(dir, '--no-cache'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n');
      const r = run(['check', '--', '--no-cache'], { cwd: dir, env: { MESHC_CACHE_DIR: cache } });
      assert.is(r.code, 0, r.stderr);
      assert.is(entries(cache).length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a damaged, truncated or foreign entry is ignored and rewritten; the output does not change', () => {
  const cache = temp();
  try {
    const args = ['check', '--format', 'json', 'fixtures/bookstore'];
    const expected = run(args, { env: { MESHC_NO_CACHE: '1' } });
    run(args, { env: { MESHC_CACHE_DIR: cache } });
    const file = join(cache, 'v8', entries(cache)[0]!);
    const good = readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x40;
    const damages: [string, Buffer][] = [
      ['a flipped byte', flipped],
      ['truncated', good.subarray(0, good.length >> 1)],
      ['only the header', good.subarray(0, 12)],
      ['not a cache entry', Buffer.from('hello\n')],
      ['empty', Buffer.alloc(0)],
    ];
    for (const [what, bytes] of damages) {
      writeFileSync(file, bytes);
      same(expected, run(args, { env: { MESHC_CACHE_DIR: cache } }), what);
      assert.ok(entryIsValid(file), `${what}: rewritten`);
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('an unwritable cache location only costs speed', () => {
  const dir = temp();
  try {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory\n');
    const args = ['check', 'fixtures/bookstore'];
    same(run(args, { env: { MESHC_NO_CACHE: '1' } }), run(args, { env: { MESHC_CACHE_DIR: join(blocker, 'cache') } }), 'cache dir under a file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a new entry replaces this install's older ones and leaves other installs' alone", () => {
  const cache = temp();
  try {
    run(['check', 'fixtures/bookstore'], { env: { MESHC_CACHE_DIR: cache } });
    const [entry] = entries(cache);
    const prefix = entry!.split('-').slice(0, 3).join('-'); // meshc-check-<install>
    const stale = `${prefix}-0000000000000000-00000000.v8cache`;
    const otherInstall = 'meshc-check-00000000-0000000000000000-00000000.v8cache';
    writeFileSync(join(cache, 'v8', stale), 'old build');
    writeFileSync(join(cache, 'v8', otherInstall), 'another meshc');
    rmSync(join(cache, 'v8', entry!));
    run(['check', 'fixtures/bookstore'], { env: { MESHC_CACHE_DIR: cache } });
    assert.equal(entries(cache), [entry!, otherInstall].sort());
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test.run();
