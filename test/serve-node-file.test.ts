/**
 * `meshc serve` reads a node's one xds.pb (every type's resources back to back, docs/architecture.md) as it reads the
 * per-type .pb files of outputs compiled before it: same snapshot; a truncated, corrupt, short or long xds.pb, or
 * one named outside the output, is refused as a whole with a reason.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTo, readManifest, tempDir } from './helpers/compile.ts';
import { decodeDelimited, encodeDelimited } from '../src/envoy/protos/delimited.ts';
import { TYPE_FILES, type Manifest } from '../src/snapshot/layout.ts';
import { loadSnapshot } from '../src/server/snapshot.ts';

const NODE = 'bookbuyer/deployment/bookbuyer';

async function compiled(): Promise<{ out: string; cleanup(): void; manifest: Manifest }> {
  const tmp = tempDir();
  const out = join(tmp.dir, 'out');
  assert.is((await compileTo(['fixtures/bookstore'], out, { reviewJson: false })).status, 'written');
  return { out, cleanup: tmp.cleanup, manifest: readManifest(out) };
}

/** Rewrites the output into the per-type layout (`<stem>.pb`, `<stem>Binary` in the manifest) serve read before xds.pb. */
function toPerTypeLayout(out: string, manifest: Manifest): void {
  for (const node of manifest.nodes) {
    const all = decodeDelimited(readFileSync(join(out, node.files.xds!)));
    rmSync(join(out, node.files.xds!));
    delete node.files.xds;
    for (const { typeUrl, stem } of TYPE_FILES) {
      const rel = `nodes/${node.id.split('/').join('_')}/${stem}.pb`;
      writeFileSync(join(out, rel), encodeDelimited(all.splice(0, node.resources[typeUrl]!.length)));
      node.files[`${stem}Binary`] = rel;
    }
  }
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));
}

test('xds.pb and the per-type .pb files of earlier outputs load as the same snapshot, byte for byte', async () => {
  const c = await compiled();
  try {
    const fromNodeFile = await loadSnapshot(c.out);
    assert.is(fromNodeFile.nodes.size, c.manifest.nodes.length);
    const node = fromNodeFile.nodes.get(NODE)!;
    const all = decodeDelimited(readFileSync(join(c.out, c.manifest.nodes.find((n) => n.id === NODE)!.files.xds!)));
    assert.equal([...node.types.values()].flatMap((t) => t.list.map((r) => Buffer.from(r.any))), all.map((b) => Buffer.from(b)));
    assert.ok([...node.types.values()].some((t) => t.list.length > 0));
    toPerTypeLayout(c.out, c.manifest);
    const fromTypeFiles = await loadSnapshot(c.out);
    assert.is(fromTypeFiles.fingerprint, fromNodeFile.fingerprint);
    for (const [typeUrl, t] of node.types) {
      assert.equal(fromTypeFiles.nodes.get(NODE)!.types.get(typeUrl)!.list.map((r) => [r.name, r.hash]), t.list.map((r) => [r.name, r.hash]));
    }
  } finally {
    c.cleanup();
  }
});

test('a bad xds.pb is refused as a whole, naming the file and the problem', async () => {
  const c = await compiled();
  try {
    const entry = c.manifest.nodes.find((n) => n.id === NODE)!;
    const path = join(c.out, entry.files.xds!);
    const good = readFileSync(path);
    const all = decodeDelimited(good);
    const refused = async (bytes: Buffer | null, reason: RegExp) => {
      if (bytes) writeFileSync(path, bytes);
      else rmSync(path);
      const err = await loadSnapshot(c.out).then(() => null, (e: Error) => e);
      assert.ok(err, `loaded despite ${reason}`);
      assert.match(err!.message, reason);
      writeFileSync(path, good);
    };
    await refused(good.subarray(0, good.length - 3), /xds\.pb: not a sequence of length-delimited Any messages/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] ^= 1;
    await refused(flipped, /xds\.pb: resource \d+ \(.*\) hashes to [0-9a-f]{16}, manifest says [0-9a-f]{16}/);
    await refused(Buffer.from(encodeDelimited(all.slice(1))), /xds\.pb: \d+ resources, manifest lists \d+/);
    await refused(Buffer.from(encodeDelimited([...all, all[0]!])), /xds\.pb: \d+ resources, manifest lists \d+/);
    // Types out of order: the first listener swapped with the last resource (a Secret).
    await refused(Buffer.from(encodeDelimited([all[all.length - 1]!, ...all.slice(1, -1), all[0]!])), /has type type\.googleapis\.com\/envoy\.extensions\.transport_sockets\.tls\.v3\.Secret, expected type\.googleapis\.com\/envoy\.config\.listener\.v3\.Listener/);
    await refused(null, /xds\.pb: missing/);
    entry.files.xds = '../../elsewhere/xds.pb';
    writeFileSync(join(c.out, 'manifest.json'), JSON.stringify(c.manifest));
    await refused(good, /file path '\.\.\/\.\.\/elsewhere\/xds\.pb' leaves the output directory/);
  } finally {
    c.cleanup();
  }
});

test.run();
