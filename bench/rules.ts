/**
 * Lint-rule benchmarks (issue "check, part 2", section 1). Ratios are
 * measured within one run:
 * - the MESH02xx-05xx rules on a 5,000-service mesh with 20,000
 *   TrafficTargets vs parsing its YAML;
 * - a split with 10,000 backends and a ring of 5,000 splits (linear, not quadratic);
 * - RE2 on a pattern that backtracks catastrophically in JavaScript: time
 *   grows linearly with the input.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generateMesh } from './generate.ts';
import { compare, verdict } from './lib/measure.ts';
import { loadMesh, type LoadedMesh } from '../src/pipeline/check.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { makeRuleContext } from '../src/rules/types.ts';
import { RULES } from '../src/rules/registry.ts';
import { re2Matcher } from '../src/regex/re2.ts';

const myRules = RULES.filter((r) => r.codes.every((c) => c >= 'MESH0200' && c < 'MESH0600'));

function runRules(loaded: LoadedMesh): number {
  const sink = new DiagnosticSink();
  const ctx = makeRuleContext(loaded.mesh, loaded.index, loaded.sources, loaded.config, sink);
  for (const r of myRules) r.run(ctx);
  return sink.items.length;
}

const parseFiles = (files: string[]) => () => {
  for (const f of files) for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) d.toJS();
};

async function rulesVsParse(label: string, dir: string, files: string[], limit: number): Promise<void> {
  const loaded = await loadMesh([dir]);
  let findings = 0;
  const times = await compare(3, { parse: parseFiles(files), rules: () => { findings = runRules(loaded); } });
  console.log(`${label}: yaml parse ${times.parse!.toFixed(0)} ms, rules MESH02xx-05xx ${times.rules!.toFixed(0)} ms (${findings} findings)`);
  console.log(verdict(`${label}: rules / yaml parse`, times.rules! / times.parse!, limit));
}

const root = mkdtempSync(join(tmpdir(), 'meshc-bench-rules-'));
try {
  // 1. The reference mesh: 5,000 services, 20,000 TrafficTargets.
  const meshDir = join(root, 'mesh');
  const mesh = generateMesh(meshDir, { services: Number(process.env.BENCH_SERVICES ?? 5000) });
  console.log(`mesh: ${mesh.services} services, ${mesh.trafficTargets} TrafficTargets, ${mesh.files.length} files`);
  await rulesVsParse('5,000-service mesh', meshDir, mesh.files, 1);

  // 2. One split with 10,000 backends (plus their Services), and a ring of 5,000 splits.
  const wide = join(root, 'wide');
  mkdirSync(wide);
  const n = 10_000;
  const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: wide\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n`;
  const backends = Array.from({ length: n }, (_, i) => `    - service: b${i}\n      weight: ${i % 7}\n`).join('');
  const split = `apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata:\n  name: wide\n  namespace: wide\nspec:\n  service: root\n  backends:\n${backends}`;
  const ringSize = 5000;
  const ring = Array.from({ length: ringSize }, (_, i) => `apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata:\n  name: r${i}\n  namespace: ring\nspec:\n  service: r${i}\n  backends:\n    - service: r${(i + 1) % ringSize}\n      weight: 1\n`);
  const files = [join(wide, 'services.yaml'), join(wide, 'split.yaml'), join(wide, 'ring.yaml')];
  writeFileSync(files[0]!, [svc('root'), ...Array.from({ length: n }, (_, i) => svc(`b${i}`))].join('---\n'));
  writeFileSync(files[1]!, split);
  writeFileSync(files[2]!, ring.join('---\n'));
  await rulesVsParse('10,000-backend split + 5,000-split ring', wide, files, 1);

  // 3. RE2 is linear: (a+)+$ against a^k! for growing k (exponential in a backtracking engine).
  const m = re2Matcher('(a+)+$')!;
  // Fastest of several runs: the least disturbed by GC and other processes.
  const at = (k: number) => {
    const input = `${'a'.repeat(k)}!`;
    const t: number[] = [];
    for (let r = 0; r < 7; r++) t.push(timeItSync(() => m.fullMatch(input)));
    return Math.min(...t);
  };
  at(100_000); // warm up
  const small = at(1_000_000);
  const large = at(4_000_000);
  console.log(`RE2 (a+)+$ on a^k!: k=1,000,000 ${small.toFixed(1)} ms, k=4,000,000 ${large.toFixed(1)} ms (JavaScript's engine does not finish k=40)`);
  console.log(verdict('RE2 time ratio for 4x input (linear ~4, quadratic ~16)', large / small, 8));
} finally {
  rmSync(root, { recursive: true, force: true });
}

function timeItSync(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}
