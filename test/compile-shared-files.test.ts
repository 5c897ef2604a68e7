/**
 * Files with the same bytes on every node (the SDS files naming the pod's certificates) are hard links to one file
 * where the file system allows, written as copies where it does not: the same bytes at the same paths either way.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileTo, listFiles, tempDir } from './helpers/compile.ts';
import { nodeFs, type OutputFs } from '../src/snapshot/writer.ts';
import { WorkerWriterFs } from '../src/snapshot/write-backend.ts';

const SDS = /\/sds-[a-z-]+\.yaml$/;

/** Every file's bytes, and the inode of each file of the output. */
function readTree(dir: string): { bytes: Map<string, Buffer>; inode: Map<string, number> } {
  const files = listFiles(dir);
  return { bytes: new Map(files.map((f) => [f, readFileSync(join(dir, f))])), inode: new Map(files.map((f) => [f, statSync(join(dir, f)).ino])) };
}

async function compileWith(out: string, writeWorker: '0' | '1', fs?: OutputFs): Promise<void> {
  const saved = process.env.MESHC_WRITE_WORKER;
  process.env.MESHC_WRITE_WORKER = writeWorker;
  try {
    assert.is((await compileTo(['fixtures/bookstore'], out, { reviewJson: false, ...(fs ? { fs } : {}) })).status, 'written');
  } finally {
    if (saved === undefined) delete process.env.MESHC_WRITE_WORKER;
    else process.env.MESHC_WRITE_WORKER = saved;
  }
}

test('the SDS files of every node are one file (hard links); linking or not, every file has the same bytes', async () => {
  const tmp = tempDir();
  try {
    await compileWith(join(tmp.dir, 'worker'), '1');
    await compileWith(join(tmp.dir, 'inline'), '0');
    // A file system without hard links: every file is written.
    const noLinks: OutputFs = { ...nodeFs, link: async () => { throw Object.assign(new Error('operation not supported'), { code: 'ENOTSUP' }); } };
    await compileWith(join(tmp.dir, 'copies'), '0', noLinks);

    const worker = readTree(join(tmp.dir, 'worker'));
    const sds = [...worker.bytes.keys()].filter((f) => SDS.test(f));
    assert.is(sds.length, 12, 'two SDS files on each of the 6 nodes');
    for (const name of ['sds-service-cert.yaml', 'sds-root-cert.yaml']) {
      const same = sds.filter((f) => f.endsWith(`/${name}`));
      assert.is(new Set(same.map((f) => worker.bytes.get(f)!.toString())).size, 1, `${name}: one text`);
      assert.is(new Set(same.map((f) => worker.inode.get(f))).size, 1, `${name}: one inode`);
      assert.is(statSync(join(tmp.dir, 'worker', same[0]!)).nlink, 6);
    }
    const copies = readTree(join(tmp.dir, 'copies'));
    assert.is(new Set(sds.map((f) => copies.inode.get(f))).size, 12, 'without hard links: 12 files');
    for (const other of [readTree(join(tmp.dir, 'inline')), copies]) {
      assert.equal([...other.bytes.keys()], [...worker.bytes.keys()]);
      for (const [f, bytes] of worker.bytes) assert.ok(bytes.equals(other.bytes.get(f)!), f);
    }
  } finally {
    tmp.cleanup();
  }
});

test('the writer thread links a file to an earlier one, and writes the bytes when that one is missing', async () => {
  const tmp = tempDir();
  const writer = new WorkerWriterFs();
  try {
    await writer.writeDir(join(tmp.dir, 'a'), [['s.yaml', 'same']]);
    await writer.writeDir(join(tmp.dir, 'b'), [['s.yaml', 'same', join(tmp.dir, 'a', 's.yaml')], ['t.yaml', 'other', join(tmp.dir, 'missing.yaml')]]);
    assert.is(statSync(join(tmp.dir, 'b', 's.yaml')).ino, statSync(join(tmp.dir, 'a', 's.yaml')).ino);
    assert.is(readFileSync(join(tmp.dir, 'b', 's.yaml'), 'utf8'), 'same');
    assert.is(readFileSync(join(tmp.dir, 'b', 't.yaml'), 'utf8'), 'other');
    assert.is(statSync(join(tmp.dir, 'b', 't.yaml')).nlink, 1);
  } finally {
    await writer.close();
    tmp.cleanup();
  }
});

test.run();
