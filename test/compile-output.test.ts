/**
 * The output directory: determinism, the .pb/.json/manifest contract, and
 * atomicity under failures (a file in the way, a foreign directory, a full
 * disk, a failing rename, a compile killed between its two renames).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTo, diagnosticLines, listFiles, readManifest, tempDir } from './helpers/compile.ts';
import { fsyncTree, nodeFs, type OutputFs } from '../src/snapshot/writer.ts';
import { decodeDelimited } from '../src/envoy/protos/delimited.ts';
import { loadEnvoyApi } from '../src/envoy/protos/index.ts';
import { TYPE_FILES } from '../src/snapshot/layout.ts';
import { WorkerWriterFs } from '../src/snapshot/write-backend.ts';
import { expandInputs } from '../src/load/inputs.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';

const BOOKSTORE = ['fixtures/bookstore'];

/** Every file of a directory with its bytes. */
function snapshotOf(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f))]));
}

test('compiling twice gives byte-identical output; versions are content hashes', async () => {
  const tmp = tempDir();
  try {
    const a = await compileTo(BOOKSTORE, join(tmp.dir, 'a'));
    const b = await compileTo(BOOKSTORE, join(tmp.dir, 'b'));
    assert.equal(a.status, 'written');
    assert.equal(b.status, 'written');
    const sa = snapshotOf(join(tmp.dir, 'a'));
    const sb = snapshotOf(join(tmp.dir, 'b'));
    assert.equal([...sa.keys()], [...sb.keys()]);
    for (const [f, bytes] of sa) assert.ok(bytes.equals(sb.get(f)!), `${f} differs between two compiles`);
    // Compiling into the same directory again replaces it with identical bytes.
    const again = await compileTo(BOOKSTORE, join(tmp.dir, 'a'));
    assert.equal(again.status, 'written');
    for (const [f, bytes] of snapshotOf(join(tmp.dir, 'a'))) assert.ok(bytes.equals(sa.get(f)!), f);
  } finally {
    tmp.cleanup();
  }
});

test('an output path that is a symbolic link: the output replaces its target and the link stays (also a dangling link)', async () => {
  const tmp = tempDir();
  try {
    const target = join(tmp.dir, 'shared', 'out');
    mkdirSync(target, { recursive: true });
    symlinkSync(target, join(tmp.dir, 'out'));
    const r = await compileTo(BOOKSTORE, join(tmp.dir, 'out'));
    assert.is(r.status, 'written', diagnosticLines(r).join('\n'));
    assert.ok(lstatSync(join(tmp.dir, 'out')).isSymbolicLink(), 'the link is kept');
    assert.ok(existsSync(join(target, 'manifest.json')), 'the output is in the link target');
    // Again, with the old output now in the target: it is replaced there, nothing is left beside it.
    assert.is((await compileTo(BOOKSTORE, join(tmp.dir, 'out'))).status, 'written');
    assert.equal(readdirSync(join(tmp.dir, 'shared')), ['out']);
    assert.ok(lstatSync(join(tmp.dir, 'out')).isSymbolicLink());
    symlinkSync('missing', join(tmp.dir, 'dangling'));
    assert.is((await compileTo(BOOKSTORE, join(tmp.dir, 'dangling'))).status, 'written');
    assert.ok(lstatSync(join(tmp.dir, 'dangling')).isSymbolicLink() && existsSync(join(tmp.dir, 'missing', 'manifest.json')));
  } finally {
    tmp.cleanup();
  }
});

test('xds.pb holds the manifest resources in order (type by type), each hash is the sha256 of its Any bytes, and .json is the same message', async () => {
  const tmp = tempDir();
  try {
    const r = await compileTo(['test/compile-fixtures/edge'], tmp.dir);
    assert.equal(r.status, 'written');
    const api = await loadEnvoyApi();
    const m = readManifest(tmp.dir);
    assert.ok(m.nodes.length >= 5);
    assert.equal(m.nodes.map((n) => n.id), [...m.nodes.map((n) => n.id)].sort(), 'nodes sorted by id');
    let resources = 0;
    for (const node of m.nodes) {
      const all = decodeDelimited(readFileSync(join(tmp.dir, node.files.xds)));
      assert.is(all.length, TYPE_FILES.reduce((n, t) => n + node.resources[t.typeUrl].length, 0), `${node.id}: xds.pb holds every listed resource`);
      for (const { typeUrl, stem } of TYPE_FILES) {
        const listed = node.resources[typeUrl];
        const messages = all.splice(0, listed.length);
        const text = readFileSync(join(tmp.dir, node.files[stem]), 'utf8');
        const json = JSON.parse(text);
        // One resource per line between the header line and the closing line.
        const lines = text.split('\n');
        assert.is(lines[0], listed.length === 0 ? `{"version_info":"${json.version_info}","resources":[]}` : `{"version_info":"${json.version_info}","resources":[`);
        if (listed.length > 0) {
          assert.equal(lines.slice(1, -2).map((l) => JSON.parse(l.replace(/,$/, ''))), json.resources);
          assert.equal(lines.slice(-2), [']}', '']);
        }
        assert.equal(messages.length, listed.length, `${node.id} ${stem}`);
        assert.equal(json.resources.length, listed.length);
        assert.equal(listed.map((x) => x.name), [...listed.map((x) => x.name)].sort(), 'resources sorted by name');
        messages.forEach((bytes, i) => {
          assert.is(createHash('sha256').update(bytes).digest('hex').slice(0, 16), listed[i].hash);
          const decoded = api.decodeAny(bytes);
          assert.is(decoded['@type'], typeUrl);
          // The JSON may spell out defaults (type: STATIC); as a message it is exactly the bytes.
          assert.equal(api.canonicalJson(json.resources[i]), decoded);
          assert.ok(Buffer.from(api.encodeAny(json.resources[i])).equals(Buffer.from(bytes)), `${node.id} ${listed[i].name}: JSON and .pb differ`);
          resources++;
        });
      }
      assert.ok(existsSync(join(tmp.dir, node.files.bootstrap)));
    }
    assert.ok(resources > 40);
  } finally {
    tmp.cleanup();
  }
});

test('worker threads (encoding and writing) give byte-identical output', async () => {
  const tmp = tempDir();
  const saved = { c: process.env.MESHC_COMPILE_WORKERS, w: process.env.MESHC_WRITE_WORKER };
  try {
    process.env.MESHC_COMPILE_WORKERS = '0';
    process.env.MESHC_WRITE_WORKER = '0';
    assert.is((await compileTo(['test/compile-fixtures/edge'], join(tmp.dir, 'inline'))).status, 'written');
    process.env.MESHC_COMPILE_WORKERS = '2';
    process.env.MESHC_WRITE_WORKER = '1';
    assert.is((await compileTo(['test/compile-fixtures/edge'], join(tmp.dir, 'workers'))).status, 'written');
    const a = snapshotOf(join(tmp.dir, 'inline'));
    const b = snapshotOf(join(tmp.dir, 'workers'));
    assert.equal([...b.keys()], [...a.keys()]);
    for (const [f, bytes] of a) assert.ok(bytes.equals(b.get(f)!), f);
  } finally {
    for (const [k, v] of [['MESHC_COMPILE_WORKERS', saved.c], ['MESHC_WRITE_WORKER', saved.w]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    tmp.cleanup();
  }
});

test('the writer thread reports a failed write with its error code', async () => {
  const tmp = tempDir();
  const writer = new WorkerWriterFs();
  try {
    writeFileSync(join(tmp.dir, 'file'), 'x');
    // The files of a directory travel as one buffer: each must come out with exactly its own bytes.
    const pooled = Buffer.from('small'); // a slice of Node's shared buffer pool
    await writer.writeDir(join(tmp.dir, 'ok'), [['a.json', '{"é":"→"}'], ['a.pb', new Uint8Array([1, 2, 3])], ['empty.pb', new Uint8Array(0)], ['pooled.json', pooled], ['z.yaml', '']]);
    assert.equal(readFileSync(join(tmp.dir, 'ok', 'a.pb')), Buffer.from([1, 2, 3]));
    assert.is(readFileSync(join(tmp.dir, 'ok', 'a.json'), 'utf8'), '{"é":"→"}');
    assert.is(readFileSync(join(tmp.dir, 'ok', 'empty.pb')).length, 0);
    assert.is(readFileSync(join(tmp.dir, 'ok', 'pooled.json'), 'utf8'), 'small');
    assert.is(readFileSync(join(tmp.dir, 'ok', 'z.yaml'), 'utf8'), '');
    assert.is(pooled.toString(), 'small', 'the caller\'s buffers are left intact');
    const err = await writer.writeDir(join(tmp.dir, 'file', 'sub'), [['a.json', '{}']]).then(() => null, (e: NodeJS.ErrnoException) => e);
    assert.ok(err, 'writing below a file must fail');
    assert.is(err!.code, 'ENOTDIR');
  } finally {
    await writer.close();
    tmp.cleanup();
  }
});

test('an output path that is a file: MESH0850, exit status output-failed, the file untouched', async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    writeFileSync(out, 'not a directory\n');
    const r = await compileTo(BOOKSTORE, out);
    assert.is(r.status, 'output-failed');
    assert.ok(diagnosticLines(r).some((l) => l.includes('MESH0850')), diagnosticLines(r).join('\n'));
    assert.is(readFileSync(out, 'utf8'), 'not a directory\n');
    assert.equal(readdirSync(tmp.dir), ['out'], 'no temporary directory left behind');
  } finally {
    tmp.cleanup();
  }
});

test('a non-empty directory that is not a meshc output is never replaced (MESH0851)', async () => {
  const tmp = tempDir();
  try {
    mkdirSync(join(tmp.dir, 'src'));
    writeFileSync(join(tmp.dir, 'src', 'main.go'), 'package main\n');
    const r = await compileTo(BOOKSTORE, join(tmp.dir, 'src'));
    assert.is(r.status, 'output-failed');
    assert.ok(diagnosticLines(r).some((l) => l.includes('MESH0851')));
    assert.equal(readdirSync(join(tmp.dir, 'src')), ['main.go']);
    // A manifest.json of another kind (a web app's) is no meshc output: the directory stays, its files too.
    writeFileSync(join(tmp.dir, 'src', 'manifest.json'), '{"name":"my-web-app","icons":[]}\n');
    const foreign = await compileTo(BOOKSTORE, join(tmp.dir, 'src'));
    assert.is(foreign.status, 'output-failed');
    assert.ok(diagnosticLines(foreign).some((l) => l.includes('MESH0851')));
    assert.equal(readdirSync(join(tmp.dir, 'src')), ['main.go', 'manifest.json']);
    // Nor is a named pipe of that name (never opened blocking: compile would hang).
    mkdirSync(join(tmp.dir, 'piped'));
    spawnSync('mkfifo', [join(tmp.dir, 'piped', 'manifest.json')]);
    assert.ok(diagnosticLines(await compileTo(BOOKSTORE, join(tmp.dir, 'piped'))).some((l) => l.includes('MESH0851')));
    // An earlier meshc output is replaced, as before.
    const again = join(tmp.dir, 'again');
    assert.is((await compileTo(BOOKSTORE, again)).status, 'written');
    assert.is((await compileTo(BOOKSTORE, again)).status, 'written');
    // An empty directory is fine.
    mkdirSync(join(tmp.dir, 'empty'));
    assert.is((await compileTo(BOOKSTORE, join(tmp.dir, 'empty'))).status, 'written');
  } finally {
    tmp.cleanup();
  }
});

/** nodeFs with a failure injected into the n-th call of one operation. */
function failing(op: keyof OutputFs, nth: number, code: string, redirect?: string): OutputFs & { calls: number } {
  const fs = { ...nodeFs, calls: 0 } as OutputFs & { calls: number };
  const original = nodeFs[op] as (...args: unknown[]) => Promise<unknown>;
  (fs as unknown as Record<string, unknown>)[op] = async (...args: unknown[]) => {
    fs.calls++;
    if (fs.calls === nth) {
      // Writing to /dev/full gives the kernel's own ENOSPC.
      if (redirect) return original(redirect, ...args.slice(1));
      throw Object.assign(new Error(`${code}: injected failure, ${op} '${String(args[0])}'`), { code });
    }
    return original(...args);
  };
  return fs;
}

async function keepsPreviousOutput(fs: OutputFs, code: string): Promise<void> {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    assert.is((await compileTo(BOOKSTORE, out)).status, 'written');
    const previous = snapshotOf(out);
    // A different mesh, so a half-replaced output would show.
    const r = await compileTo(['test/compile-fixtures/edge'], out, { fs });
    assert.is(r.status, 'output-failed', diagnosticLines(r).join('\n'));
    const line = diagnosticLines(r).find((l) => l.includes('MESH0852'));
    assert.ok(line && line.includes(code) && line.includes('a previous output there is kept as it was'), diagnosticLines(r).join('\n'));
    const now = snapshotOf(out);
    assert.equal([...now.keys()], [...previous.keys()]);
    for (const [f, bytes] of previous) assert.ok(bytes.equals(now.get(f)!), `${f} changed`);
    assert.equal(readdirSync(tmp.dir), ['out'], 'temporary directories are removed');
  } finally {
    tmp.cleanup();
  }
}

test('a full disk in the middle of the write (a file written to /dev/full): MESH0852, previous output intact', async () => {
  await keepsPreviousOutput(failing('writeFile', 17, 'ENOSPC', '/dev/full'), 'ENOSPC');
});

test('permission denied creating a node directory: MESH0852, previous output intact', async () => {
  await keepsPreviousOutput(failing('mkdir', 5, 'EACCES'), 'EACCES');
});

test('a failing rename into place: MESH0852, previous output put back', async () => {
  await keepsPreviousOutput(failing('rename', 2, 'EXDEV'), 'EXDEV');
});

test('an I/O error making the files durable before the rename: MESH0852, previous output intact', async () => {
  await keepsPreviousOutput(failing('syncTree', 1, 'EIO'), 'EIO');
});

test('without sync -f, every file and directory is fsynced (same output)', async () => {
  const tmp = tempDir();
  try {
    const fs = { ...nodeFs, syncTree: (p: string) => fsyncTree(p) };
    assert.is((await compileTo(BOOKSTORE, join(tmp.dir, 'a'), { fs })).status, 'written');
    assert.is((await compileTo(BOOKSTORE, join(tmp.dir, 'b'))).status, 'written');
    const a = snapshotOf(join(tmp.dir, 'a'));
    for (const [f, bytes] of snapshotOf(join(tmp.dir, 'b'))) assert.ok(bytes.equals(a.get(f)!), f);
  } finally {
    tmp.cleanup();
  }
});

test('a compile killed between its two renames: the next compile restores the previous output first (MESH0862)', async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    assert.is((await compileTo(BOOKSTORE, out)).status, 'written');
    const previous = snapshotOf(out);
    // What a kill after "move the old output aside" leaves: no DIR, the old one beside it (pid of a dead process).
    renameSync(out, join(tmp.dir, '.out.meshc-old-999999999'));
    mkdirSync(join(tmp.dir, '.out.meshc-tmp-999999999'));
    // The next compile fails to write, so what is left must be the restored previous output.
    const r = await compileTo(BOOKSTORE, out, { fs: failing('writeFile', 3, 'ENOSPC') });
    assert.is(r.status, 'output-failed');
    assert.ok(diagnosticLines(r).some((l) => l.includes('MESH0862')), diagnosticLines(r).join('\n'));
    assert.equal(readdirSync(tmp.dir), ['out']);
    for (const [f, bytes] of previous) assert.ok(bytes.equals(readFileSync(join(out, f))), f);
  } finally {
    tmp.cleanup();
  }
});

test('inputs: walks pass over the skipped output directory (siblings kept, the other walk rules unchanged); named explicitly it is read', async () => {
  const tmp = tempDir();
  try {
    for (const d of ['build/out/nodes', 'build/more', 'policy', '.git', 'node_modules/x']) mkdirSync(join(tmp.dir, d), { recursive: true });
    for (const f of ['a.yaml', 'README.md', 'package.json', 'build/b.yml', 'build/out/manifest.json', 'build/out/x.yaml', 'build/more/c.json', 'policy/p.yaml']) writeFileSync(join(tmp.dir, f), '');
    writeFileSync(join(tmp.dir, 'build/out/manifest.json'), '{"meshc": {"version": "0.1.0"}, "nodes": []}');
    const files = async (paths: string[], skip: string[]) => {
      const sink = new DiagnosticSink();
      const found = await expandInputs(paths, sink, { cwd: tmp.dir, skip });
      return { files: found.map((f) => f.display), codes: sink.items.map((d) => d.code) };
    };
    const out = join(tmp.dir, 'build/out');
    assert.equal(await files(['.'], [out]), { files: ['a.yaml', 'build/b.yml', 'build/more/c.json', 'policy/p.yaml'], codes: [] });
    assert.equal(await files(['build'], [out]), { files: ['build/b.yml', 'build/more/c.json'], codes: [] });
    // Not skipped, the previous output is recognised and reported (MESH0013), not read.
    assert.equal(await files(['.'], []), { files: ['a.yaml', 'build/b.yml', 'build/more/c.json', 'policy/p.yaml'], codes: ['MESH0013'] });
    assert.equal((await files(['build/out/x.yaml'], [out])).files, ['build/out/x.yaml'], 'a file named explicitly is read');
  } finally {
    tmp.cleanup();
  }
});

test('check errors: nothing written, the previous output stays', async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.dir, 'out');
    assert.is((await compileTo(BOOKSTORE, out)).status, 'written');
    const previous = snapshotOf(out);
    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: s, namespace: x}\nspec:\n  service: a\n  backends:\n    - {service: b, weight: -5}\n');
    const r = await compileTo([...BOOKSTORE, bad], out);
    assert.is(r.status, 'check-failed');
    assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
    for (const [f, bytes] of previous) assert.ok(bytes.equals(readFileSync(join(out, f))), f);
    assert.equal(readdirSync(tmp.dir).sort(), ['bad.yaml', 'out']);
  } finally {
    tmp.cleanup();
  }
});

test.run();
