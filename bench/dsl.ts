/**
 * TypeScript DSL benchmarks (issue: The TypeScript DSL, performance):
 * - cold: `meshc check` of the bookstore DSL in a fresh process with no cache
 *   (load TypeScript, type-check, bundle, evaluate): target 1.5 s, and its
 *   phases measured in one fresh process;
 * - warm: the same check with the result cached, against `meshc check` of
 *   the same mesh written in YAML: "about as fast as YAML".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, verdict } from './lib/measure.ts';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/meshc.js');
const dsl = join(root, 'fixtures/bookstore-ts/mesh.ts');
const yaml = [join(root, 'fixtures/bookstore/apps'), join(root, 'fixtures/bookstore/policy')];
const cache = mkdtempSync(join(tmpdir(), 'meshc-bench-dsl-'));

function meshc(args: string[], env: Record<string, string>): () => void {
  return () => {
    const r = spawnSync(process.execPath, [bin, 'check', '--quiet', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`meshc check ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  };
}

try {
  // Phases of one cold evaluation, in a fresh process (module loading included where it belongs).
  const phases = `
    const { compileDsl } = await import(${JSON.stringify(join(root, 'src/dsl/compile.ts'))});
    const timings = {};
    const r = await compileDsl(${JSON.stringify(dsl)}, { timings });
    console.log(JSON.stringify({ ...timings, documents: r.outcome.documents.length, findings: r.outcome.findings.length }));
  `;
  const p = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', phases], { cwd: root, encoding: 'utf8' });
  if (p.status !== 0) throw new Error(p.stderr);
  const ph = JSON.parse(p.stdout.trim().split('\n').pop()!) as Record<string, number>;
  console.log(`cold phases (one fresh process): load TypeScript + esbuild ${ph.load!.toFixed(0)} ms, type-check ${ph.typecheck!.toFixed(0)} ms, `
    + `instrument + bundle ${ph.bundle!.toFixed(0)} ms, evaluate in the sandbox ${ph.evaluate!.toFixed(0)} ms (${ph.documents} objects, ${ph.findings} findings)`);

  // CPU time of cold runs: steadier than wall time on a shared machine.
  const cpuScript = `
    process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('CPU ' + (u.user + u.system) / 1000 + '\\n'); });
    const { main } = await import(${JSON.stringify(join(root, 'dist/cli.js'))});
    process.exitCode = await main(['check', '--quiet', ${JSON.stringify(dsl)}]);
  `;
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', cpuScript], { encoding: 'utf8', env: { ...process.env, MESHC_NO_CACHE: '1' } });
    cpu.push(Number(/CPU ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN));
  }
  cpu.sort((a, b) => a - b);
  console.log(`cold DSL check, CPU time (user + system, median of 5): ${cpu[2]!.toFixed(0)} ms (target <= 1500 ms) ${cpu[2]! <= 1500 ? 'OK' : 'OVER TARGET'}`);

  const cold = await compare(5, {
    node: () => spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' }),
    yaml: meshc(yaml, {}),
    dslCold: meshc([dsl], { MESHC_NO_CACHE: '1' }),
  });
  console.log(`node -e 0: ${cold.node!.toFixed(0)} ms; meshc check bookstore YAML: ${cold.yaml!.toFixed(0)} ms; `
    + `meshc check bookstore DSL, cold (no cache): ${cold.dslCold!.toFixed(0)} ms`);
  const coldOk = cold.dslCold! <= 1500;
  console.log(`cold DSL check (type-check + evaluation, whole process): ${cold.dslCold!.toFixed(0)} ms (target <= 1500 ms) ${coldOk ? 'OK' : 'OVER TARGET'}`);
  console.log(verdict('cold DSL check / YAML check', cold.dslCold! / cold.yaml!, 6));

  // Editing: each run sees a changed file (result cache miss) but TypeScript's V8 code cache is warm.
  const editDir = mkdtempSync(join(tmpdir(), 'meshc-bench-dsl-edit-'));
  const editFile = join(editDir, 'mesh.ts');
  const source = readFileSync(dsl, 'utf8');
  let edits = 0;
  const edited = () => {
    writeFileSync(editFile, `${source}\n// edit ${++edits}\n`);
    meshc([editFile], { MESHC_CACHE_DIR: cache })();
  };
  edited(); // writes the code cache
  const edit = await compare(5, { dslEdited: edited });
  rmSync(editDir, { recursive: true, force: true });
  console.log(`changed DSL file (result cache miss, TypeScript code cache warm): ${edit.dslEdited!.toFixed(0)} ms`);
  console.log(verdict('changed DSL file / cold DSL check', edit.dslEdited! / cold.dslCold!, 1));

  meshc([dsl], { MESHC_CACHE_DIR: cache })(); // fill the cache
  const warm = await compare(9, {
    yaml: meshc(yaml, {}),
    dslWarm: meshc([dsl], { MESHC_CACHE_DIR: cache }),
  });
  console.log(`meshc check bookstore YAML: ${warm.yaml!.toFixed(0)} ms; bookstore DSL, cached: ${warm.dslWarm!.toFixed(0)} ms`);
  console.log(verdict('cached DSL check / YAML check', warm.dslWarm! / warm.yaml!, 1.25));
} finally {
  rmSync(cache, { recursive: true, force: true });
}
