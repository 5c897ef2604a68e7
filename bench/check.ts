/**
 * meshc check benchmarks (issue: check part 1 and 2):
 * - check of a 5,000-service mesh vs the yaml package alone parsing the same files (big inputs are parsed
 *   by worker threads, src/load/parse-pool.ts: the figure counts wall time, so it can go under the parse);
 * - rules + reachability vs that parse time;
 * - `meshc check` of one small file vs `node -e 0` (start-up).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { generateMesh } from './generate.ts';
import { compare, median, mb, verdict, timeIt } from './lib/measure.ts';
import { check, loadMesh, lint } from '../src/index.ts';

const services = Number(process.env.BENCH_SERVICES ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'meshc-bench-check-'));
try {
  const mesh = generateMesh(dir, { services });
  console.log(`mesh: ${services} services, ${mesh.trafficTargets} TrafficTargets, ${mesh.files.length} files, ${mb(mesh.bytes)}`);

  const yamlParse = () => {
    for (const f of mesh.files) for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) d.toJS();
  };
  let diagnostics = 0;
  const times = await compare(3, {
    yaml: yamlParse,
    check: async () => { diagnostics = (await check([dir])).diagnostics.length; },
  });
  console.log(`yaml parse (read + parseAllDocuments + toJS): ${times.yaml!.toFixed(0)} ms; meshc check: ${times.check!.toFixed(0)} ms (${diagnostics} diagnostics)`);
  console.log(verdict('check / yaml parse', times.check! / times.yaml!, 1));

  const loaded = await loadMesh([dir]);
  const lintTimes: number[] = [];
  for (let i = 0; i < 3; i++) lintTimes.push(await timeIt(() => lint(loaded)));
  console.log(`rules + reachability: ${median(lintTimes).toFixed(0)} ms`);
  console.log(verdict('rules+reach / yaml parse', median(lintTimes) / times.yaml!, 3));
  const mem = process.memoryUsage();
  console.log(`memory after check: rss ${mb(mem.rss)}, heap used ${mb(mem.heapUsed)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Start-up: one small file through the real CLI, against node -e 0. meshc runs as users run it, with
// its caches (its V8 code cache, src/cli/check-boot.ts) in a directory of this benchmark, filled by one
// run first; and with --no-cache (no code cache: the first run on a machine, or caching turned off).
const small = new URL('../fixtures/bookstore/policy/split.yaml', import.meta.url).pathname;
const meshcBin = new URL('../bin/meshc.js', import.meta.url).pathname;
const cacheDir = mkdtempSync(join(tmpdir(), 'meshc-bench-cache-'));
try {
  const env = { ...process.env, MESHC_CACHE_DIR: cacheDir };
  const run = (args: string[]) => () => spawnSync(process.execPath, args, { stdio: 'ignore', env });
  run([meshcBin, 'check', small])();
  const startup = await compare(15, {
    node: run(['-e', '0']),
    meshc: run([meshcBin, 'check', small]),
    uncached: run([meshcBin, 'check', '--no-cache', small]),
  });
  console.log(`node -e 0: ${startup.node!.toFixed(0)} ms; meshc check (one small file): ${startup.meshc!.toFixed(0)} ms; with --no-cache: ${startup.uncached!.toFixed(0)} ms`);
  console.log(verdict('meshc check small file / node -e 0', startup.meshc! / startup.node!, 2));
  console.log(verdict('meshc check --no-cache small file / node -e 0', startup.uncached! / startup.node!, 2));
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
