/**
 * meshc compile benchmark (issue: compile, performance):
 * - compiling the 5,000-service mesh (sparse policy, ~5 destinations per
 *   identity) and writing every snapshot, against the yaml package alone
 *   parsing the same files, in the same run (target: at most 3x, issue 15);
 * - peak memory of the process (target: under 1.5 GB, issue 15);
 * - total output bytes against allowed edges, at two mesh sizes: the bytes
 *   per edge should stay flat (output grows with edges, not services²).
 * The write phase varies with the disk's recent past, not only with the load:
 * on ext4 without a journal, creating a file costs ~0.5 ms of system time
 * while many inodes deleted in the last ~30 s lie in its group (the kernel
 * skips recently deleted inodes when it allocates; other processes' temp
 * files count too). Fewer files, not fewer bytes, is what makes it cheap (see
 * the file count printed). So that no round pays for the one before, every
 * round's output is kept until the end (each round writes a fresh directory);
 * removing the previous round's 27,000 inodes just before the next round made
 * that round pay for it (on this machine, creating 5,500 directories of two
 * files took 0.8 s on a quiet disk and 4.9 s right after deleting as many).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generateMesh } from './generate.ts';
import { mb, median, timeIt, verdict } from './lib/measure.ts';
import { compile, type CompileResult } from '../src/pipeline/compile.ts';

const services = Number(process.env.BENCH_SERVICES ?? 5000);
const root = mkdtempSync(join(tmpdir(), 'meshc-bench-compile-'));

async function run(n: number, rounds: number): Promise<{ yaml: number; compile: number; result: CompileResult; edges: number; timings: Record<string, number> }> {
  const dir = join(root, `mesh-${n}`);
  const mesh = generateMesh(dir, { services: n });
  const outOf = (round: number) => join(root, `out-${n}-${round}`);
  const yamlTimes: number[] = [];
  const compileTimes: number[] = [];
  let result: CompileResult | undefined;
  let timings: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    timings = {};
    (globalThis as { gc?: () => void }).gc?.();
    yamlTimes.push(await timeIt(() => {
      for (const f of mesh.files) for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) d.toJS();
    }));
    (globalThis as { gc?: () => void }).gc?.();
    // A fresh directory each round: every snapshot is written (nothing replaced or reused).
    compileTimes.push(await timeIt(async () => { result = await compile([dir], { out: outOf(r), timings }); }));
  }
  if (result!.status !== 'written') throw new Error(`compile of ${n} services: ${result!.status}\n${result!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('\n')}`);
  console.log(`mesh: ${n} services, ${mesh.trafficTargets} TrafficTargets, ${mesh.files.length} files, ${mb(mesh.bytes)}`);
  return { yaml: median(yamlTimes), compile: median(compileTimes), result: result!, edges: mesh.edges, timings };
}

try {
  const small = await run(Math.max(100, Math.round(services / 4)), 1);
  const big = await run(services, 2);
  const s = big.result.summary!;
  const r = s.resources;
  console.log(`compile: ${s.nodes} nodes, ${r.listeners + r.routes + r.clusters + r.endpoints} resources `
    + `(${r.listeners} listeners, ${r.routes} routes, ${r.clusters} clusters, ${r.endpoints} endpoints), ${mb(s.totalBytes)} in ${s.files} files written; `
    + `per node ${s.perNode.min} / ${s.perNode.median} / ${s.perNode.max} bytes (min / median / max)`);
  console.log(`yaml parse (read + parseAllDocuments + toJS): ${big.yaml.toFixed(0)} ms; meshc compile (check + reach + translate + encode + validate + write): ${big.compile.toFixed(0)} ms`);
  console.log(`phases (last round, ms): ${Object.entries(big.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  console.log(verdict('compile / yaml parse', big.compile / big.yaml, 3));
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`peak memory (max RSS of the whole benchmark process): ${mb(peak)} ${peak < 1.5 * 1024 ** 3 ? 'OK (< 1.5 GB)' : 'OVER TARGET (1.5 GB)'}`);
  for (const [label, x] of [['small', small], ['big', big]] as const) {
    const sum = x.result.summary!;
    console.log(`output vs edges (${label}, ${sum.nodes} nodes): ${mb(sum.totalBytes)} for ${sum.edges} allowed edges (proxy → service port) = ${(sum.totalBytes / Math.max(1, sum.edges) / 1024).toFixed(1)} KiB per edge; ${(sum.totalBytes / sum.nodes / 1024).toFixed(1)} KiB per node`);
  }
  const perEdgeSmall = small.result.summary!.totalBytes / small.result.summary!.edges;
  const perEdgeBig = s.totalBytes / s.edges;
  console.log(verdict('bytes per edge, 4x the services', perEdgeBig / perEdgeSmall, 1.5));
} finally {
  rmSync(root, { recursive: true, force: true });
}
