/**
 * The on-disk entry format every meshc cache shares (src/core/cache-file.ts):
 * what is stored reads back exactly, anything damaged reads as null, and the
 * directory is kept bounded — the oldest entries beyond the limit go, and so
 * do temporary files that a run killed mid-write left behind.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pruneCacheDir, readCacheFile, settleCacheWrites, writeCacheFile, writeCacheFileSoon } from '../src/core/cache-file.ts';
import { tempDir } from './helpers/temp.ts';

const MAGIC = Buffer.from('MESHCT1\n');

test('an entry reads back exactly (-0, NaN, undefined members); a damaged or foreign one reads as null', () => {
  const dir = tempDir('meshc-cache-file-');
  const value = { a: -0, b: Number.NaN, c: undefined, d: [1, 'x', null], ['__proto__']: { e: Infinity } };
  assert.ok(writeCacheFile(dir, 'one.bin', MAGIC, value));
  const back = readCacheFile(join(dir, 'one.bin'), MAGIC) as typeof value;
  assert.ok(Object.is(back.a, -0));
  assert.ok(Number.isNaN(back.b));
  assert.ok('c' in back);
  assert.equal(back.d, [1, 'x', null]);
  assert.is(readCacheFile(join(dir, 'one.bin'), Buffer.from('MESHCX9\n')), null, 'another kind of entry');
  const bytes = readFileSync(join(dir, 'one.bin'));
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(join(dir, 'one.bin'), bytes);
  assert.is(readCacheFile(join(dir, 'one.bin'), MAGIC), null, 'a flipped byte fails the checksum');
  writeFileSync(join(dir, 'one.bin'), bytes.subarray(0, 20));
  assert.is(readCacheFile(join(dir, 'one.bin'), MAGIC), null, 'truncated');
  assert.equal(readdirSync(dir), ['one.bin'], 'no temporary file is left');
});

test('an unwritable location: false, and nothing is left behind', () => {
  const dir = tempDir('meshc-cache-file-');
  writeFileSync(join(dir, 'file'), 'a file where the directory should be');
  assert.is(writeCacheFile(join(dir, 'file', 'sub'), 'x.bin', MAGIC, { a: 1 }), false);
  assert.equal(readdirSync(dir), ['file']);
});

test('writes queued to finish later: each entry is there once they settle, encoded as it was when queued; an unwritable place leaves nothing', async () => {
  const dir = tempDir('meshc-cache-file-');
  const value = { n: 1, list: [-0] };
  for (let i = 0; i < 50; i++) assert.ok(writeCacheFileSoon(join(dir, 'sub'), `e${i}.bin`, MAGIC, { ...value, i }));
  value.n = 2; // changed after queueing: not stored
  assert.ok(writeCacheFileSoon(dir, 'file', MAGIC, 'a file where the directory should be'));
  await settleCacheWrites();
  assert.ok(writeCacheFileSoon(join(dir, 'file', 'sub'), 'x.bin', MAGIC, { a: 1 }), 'encoded: the write is tried');
  assert.is(writeCacheFileSoon(dir, 'y.bin', MAGIC, () => 1), false, 'a function cannot be encoded');
  await settleCacheWrites();
  const names = readdirSync(join(dir, 'sub'));
  assert.is(names.length, 50, 'every entry, no temporary file');
  assert.equal(readCacheFile(join(dir, 'sub', 'e7.bin'), MAGIC), { n: 1, list: [-0], i: 7 });
  assert.ok(Object.is((readCacheFile(join(dir, 'sub', 'e7.bin'), MAGIC) as typeof value).list[0], -0));
  assert.equal(readdirSync(dir).sort(), ['file', 'sub']);
});

test('pruning keeps the newest entries up to the limit and removes temporary files older than an hour, not fresh ones', () => {
  const dir = tempDir('meshc-cache-file-');
  const now = Date.now();
  const at = (name: string, ageMs: number) => {
    writeFileSync(join(dir, name), 'x');
    const t = (now - ageMs) / 1000;
    utimesSync(join(dir, name), t, t);
  };
  for (let i = 0; i < 5; i++) at(`e${i}.bin`, (5 - i) * 60_000); // e0 oldest … e4 newest
  at('.e9.bin.123.abcd.tmp', 2 * 3600_000); // left by a killed run
  at('.e8.bin.456.ef01.tmp', 1_000); // another run is writing it now
  at('README', 3 * 3600_000); // not the cache's
  pruneCacheDir(dir, 3, now);
  assert.equal(readdirSync(dir).sort(), ['.e8.bin.456.ef01.tmp', 'README', 'e2.bin', 'e3.bin', 'e4.bin']);
  // Under the limit, only the stale temporary files go.
  at('.e7.bin.789.2345.tmp', 90 * 60_000);
  pruneCacheDir(dir, 10, now);
  assert.equal(readdirSync(dir).sort(), ['.e8.bin.456.ef01.tmp', 'README', 'e2.bin', 'e3.bin', 'e4.bin']);
});

test.run();
