/**
 * meshc diff benchmark (issue 14): `diffTrees` of two 5,000-service meshes
 * (the head with one TrafficTarget file changed) against one `check` of the
 * same mesh. Target: diff <= 2x check. A diff checks and computes the
 * reachability of two trees; files unchanged between them are parsed once.
 * Also `--proxies` (both trees translated as compile translates them), a
 * figure without a target: what the option costs on top.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMesh } from './generate.ts';
import { compare, verdict } from './lib/measure.ts';
import { check } from '../src/index.ts';
import { diffTrees } from '../src/diff/index.ts';

const services = Number(process.env.BENCH_SERVICES ?? 5000);
const base = mkdtempSync(join(tmpdir(), 'meshc-bench-diff-base-'));
const head = mkdtempSync(join(tmpdir(), 'meshc-bench-diff-head-'));
try {
  const mesh = generateMesh(base, { services });
  cpSync(base, head, { recursive: true });
  // A realistic change: one policy file of the head loses its first TrafficTarget.
  const files = readdirSync(join(head, 'policy')).filter((f) => f.endsWith('.yaml')).sort();
  const changed = join(head, 'policy', files[Math.floor(files.length / 2)]!);
  const docs = readFileSync(changed, 'utf8').split('\n---\n');
  const first = docs.findIndex((d) => /^kind: TrafficTarget$/m.test(d));
  writeFileSync(changed, docs.filter((_, i) => i !== first).join('\n---\n'));
  console.log(`mesh: ${services} services, ${mesh.files.length} files; head: ${changed.slice(head.length + 1)} lost its first TrafficTarget`);
  let summary = '';
  let proxies = '';
  const times = await compare(3, {
    check: async () => { await check(['.'], { cwd: head }); },
    diff: async () => {
      // As `--base-ref` reads them: the same relative PATH in two working directories.
      const { diff } = await diffTrees(['.'], ['.'], { cwd: head, baseCwd: base });
      summary = `${diff.gained.length} gained, ${diff.lost.length} lost, ${diff.splits.length} splits, ${diff.findings.new.length} new / ${diff.findings.fixed.length} fixed findings`;
    },
    proxies: async () => {
      const { diff } = await diffTrees(['.'], ['.'], { cwd: head, baseCwd: base, proxies: { target: 'envoy' } });
      const p = diff.proxies!;
      proxies = p.nodes ? `${p.changed.length} of ${p.nodes.head} proxy nodes changed` : `not compared: ${p.skipped}`;
    },
  });
  console.log(`meshc check: ${times.check!.toFixed(0)} ms; meshc diff: ${times.diff!.toFixed(0)} ms (${summary})`);
  console.log(verdict('diff / check', times.diff! / times.check!, 2));
  console.log(`meshc diff --proxies: ${times.proxies!.toFixed(0)} ms (${proxies}); ${(times.proxies! / times.check!).toFixed(2)}x check, ${(times.proxies! / times.diff!).toFixed(2)}x diff`);
} finally {
  rmSync(base, { recursive: true, force: true });
  rmSync(head, { recursive: true, force: true });
}
