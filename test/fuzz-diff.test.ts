// meshc diff on generated meshes (test/helpers/mesh-gen.ts): a base and a head that differ in one part
// (TrafficTargets, splits, Services, workloads or the permissive mode). A tree compared with itself shows no
// change, and the diff of head → base is the mirror of base → head: what one gains the other loses (new ↔
// removed, widened ↔ narrowed, with the same routes), each split change turned around, new findings ↔ fixed;
// and the base's pairs with what the diff loses taken away and what it gains added are the head's pairs,
// each gained route one the base did not have, each lost one a route the head does not have. With --proxies
// (Envoy or gRPC): no proxy changes between a tree and itself, and head → base mirrors base → head (new ↔
// removed nodes, added ↔ removed resources, changed stays changed), or neither is compared.
// CI runs a fixed seed; `npm run fuzz` runs more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffTrees, type TreeDiff } from '../src/diff/index.ts';
import { tempDir } from './helpers/temp.ts';
import { generatedMesh, manifestText } from './helpers/mesh-gen.ts';

const RUNS = Number(process.env.MESHC_FUZZ_DIFF_RUNS ?? 60);
const SEED = Number(process.env.MESHC_FUZZ_SEED ?? 20261207);

const PARTS = ['targets', 'splits', 'services', 'workloads', 'permissive'] as const;
const change = fc.tuple(generatedMesh, generatedMesh, fc.constantFrom(...PARTS)).map(([base, other, part]) => ({ base, head: { ...base, [part]: other[part] }, part }));

const MIRROR = { new: 'removed', removed: 'new', widened: 'narrowed', narrowed: 'widened' } as const;

/** The reachability changes of a diff, one line each; `mirrored` turns gained into lost and back. */
function pairLines(d: TreeDiff, mirrored = false): string[] {
  const line = (c: TreeDiff['gained'][number], side: 'gained' | 'lost') => {
    const s = mirrored ? (side === 'gained' ? 'lost' : 'gained') : side;
    return `${s} ${mirrored ? MIRROR[c.change] : c.change} ${c.from} → ${c.to} [${c.routes.join(', ')}]`;
  };
  return [...d.gained.map((c) => line(c, 'gained')), ...d.lost.map((c) => line(c, 'lost'))].sort();
}

/** The proxy changes of a diff, one line per resource name; `mirrored` turns base and head around. */
function proxyLines(d: TreeDiff, mirrored = false): string[] {
  const p = d.proxies!;
  const swap = (part: string) => part.replace(/^(base|head)/, (w) => (w === 'base' ? 'head' : 'base'));
  if (!p.nodes) return p.skipped!.split('; ').map((part) => `not compared: ${mirrored ? swap(part) : part}`).sort();
  const nodeChange = { new: 'removed', removed: 'new', changed: 'changed' } as const;
  return p.changed.flatMap((c) => c.resources.flatMap((r) => [
    ...r.added.map((n) => `${c.node} ${mirrored ? nodeChange[c.change] : c.change} ${r.kind} ${mirrored ? '-' : '+'}${n}`),
    ...r.removed.map((n) => `${c.node} ${mirrored ? nodeChange[c.change] : c.change} ${r.kind} ${mirrored ? '+' : '-'}${n}`),
    ...r.changed.map((n) => `${c.node} ${mirrored ? nodeChange[c.change] : c.change} ${r.kind} ~${n}`),
  ])).sort();
}

const splitLines = (d: TreeDiff, mirrored = false) =>
  d.splits.map((s) => `${s.service}: ${JSON.stringify(mirrored ? s.after : s.before)} → ${JSON.stringify(mirrored ? s.before : s.after)}`).sort();

const findingLines = (d: TreeDiff, mirrored = false) => {
  const show = (what: string, list: TreeDiff['findings']['new']) => list.map((f) => `${what} ${f.code} ${f.message}`);
  return [...show(mirrored ? 'fixed' : 'new', d.findings.new), ...show(mirrored ? 'new' : 'fixed', d.findings.fixed)].sort();
};

/** The pairs of a tree with their routes: what a diff from an empty tree gains. */
async function pairsOf(dir: string, cwd: string): Promise<Map<string, Set<string>>> {
  const { diff } = await diffTrees([], [dir], { cwd });
  assert.equal(diff.lost, [], 'an empty base loses nothing');
  return new Map(diff.gained.map((c) => [`${c.from} → ${c.to}`, new Set(c.routes)]));
}

/** Where applying `d` to the base's pairs does not give the head's, or a change names routes it should not. */
function applyProblems(d: TreeDiff, base: Map<string, Set<string>>, head: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const result = new Map([...base].map(([k, v]) => [k, new Set(v)]));
  for (const c of [...d.lost, ...d.gained]) {
    const k = `${c.from} → ${c.to}`;
    const had = base.get(k) ?? new Set<string>();
    const has = head.get(k) ?? new Set<string>();
    const gained = c.change === 'new' || c.change === 'widened';
    // A gained route is in head and not in base; a lost one in base and not in head.
    const wrong = c.routes.filter((r) => (gained ? had.has(r) || !has.has(r) : !had.has(r) || has.has(r)));
    if (wrong.length > 0) problems.push(`${c.change} ${k} names ${wrong.join(', ')}`);
    if ((c.change === 'new' && base.has(k)) || (c.change === 'removed' && head.has(k))) problems.push(`${c.change} ${k}, which the other tree has`);
    const now = result.get(k) ?? new Set<string>();
    for (const r of c.routes) gained ? now.add(r) : now.delete(r);
    if (now.size === 0) result.delete(k);
    else result.set(k, now);
  }
  const show = (m: Map<string, Set<string>>) => [...m].map(([k, v]) => `${k} [${[...v].sort().join(', ')}]`).sort();
  if (JSON.stringify(show(result)) !== JSON.stringify(show(head))) problems.push(`base + diff = ${show(result).join('; ')}, head = ${show(head).join('; ')}`);
  return problems;
}

test(`meshc diff on ${RUNS} generated changes (seed ${SEED}): nothing between a tree and itself; head → base mirrors base → head; base + diff = head`, async () => {
  const work = tempDir('meshc-fuzz-diff-');
  let changes = 0;
  let compared = 0;
  let proxyChanges = 0;
  await fc.assert(
    fc.asyncProperty(change, fc.constantFrom('envoy' as const, 'grpc' as const), async ({ base, head, part }, target) => {
      rmSync(work, { recursive: true, force: true });
      for (const [dir, m] of [['base', base], ['head', head]] as const) {
        mkdirSync(join(work, dir), { recursive: true });
        writeFileSync(join(work, dir, 'mesh.yaml'), manifestText(m));
      }
      const [b, h] = [join(work, 'base'), join(work, 'head')];
      const proxies = { target };
      const same = (await diffTrees([b], [b], { cwd: work, proxies })).diff;
      assert.equal([...pairLines(same), ...splitLines(same), ...findingLines(same)], [], 'a tree compared with itself');
      assert.ok(same.proxies!.nodes === null || same.proxies!.changed.length === 0, 'no proxy changes between a tree and itself');
      const forward = (await diffTrees([b], [h], { cwd: work, proxies })).diff;
      const backward = (await diffTrees([h], [b], { cwd: work, proxies })).diff;
      const what = `${part} changed:\n${manifestText(base)}\n=== head ===\n${manifestText(head)}`;
      assert.equal(pairLines(backward), pairLines(forward, true), `reachability, ${what}`);
      assert.equal(splitLines(backward), splitLines(forward, true), `splits, ${what}`);
      assert.equal(findingLines(backward), findingLines(forward, true), `findings, ${what}`);
      assert.equal(proxyLines(backward), proxyLines(forward, true), `proxies (${target}), ${what}`);
      if (forward.proxies!.nodes) compared++;
      proxyChanges += forward.proxies!.changed.length;
      assert.equal(applyProblems(forward, await pairsOf(b, work), await pairsOf(h, work)), [], `base + diff = head, ${what}`);
      changes += forward.gained.length + forward.lost.length + forward.splits.length;
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: process.env.MESHC_FUZZ_SHRINK !== '1' },
  );
  assert.ok(changes > RUNS / 2, `the changes changed something (${changes} reachability and split changes)`);
  assert.ok(compared > RUNS / 8 && proxyChanges > 0, `proxies were compared (${compared} of ${RUNS}) and changed (${proxyChanges} nodes)`);
  console.log(`  fuzz: diff of ${RUNS} generated changes, ${changes} reachability and split changes mirrored; proxies compared for ${compared}, ${proxyChanges} node changes mirrored (seed ${SEED})`);
});

test.run();
