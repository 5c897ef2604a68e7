/**
 * Re-checks with the cache (issue 15, item 3: parse cache + findings cache),
 * on a 2,000-service mesh (BENCH_SERVICES), through the API in one process,
 * each against a full check without the cache:
 * - after an edit that keeps the model (two comment lines at the top of one
 *   file: every line below moves; the findings are reused);
 * - after a semantic edit (one Service port changed in one file: a new model,
 *   the rules run);
 * - with nothing changed;
 * - in a `check --watch` session (files parsed by earlier runs kept in
 *   memory, src/load/shared-parses.ts): after a semantic edit, and with
 *   nothing changed. The session watches its own copy of the mesh: a watch
 *   re-checks after every save, so each of its runs sees one changed file,
 *   not the edits the other contenders made in between. It runs in a thread
 *   of its own (lib/watch-session.ts), as a watch runs in a process of its
 *   own: its heap holds only its own runs' garbage, and is never collected
 *   by force between runs as the harness collects this one;
 * - the first (cold) run with the cache / without it (the cost of writing it).
 * Rounds alternate; each edit touches another file.
 * The CLI (a process per check) after a semantic edit, against the CLI
 * without the cache; also with `--daemon` (the check runs in the project's
 * check daemon, src/daemon/server.ts, warmed up by a few checks first). Also meshc check vs yamllint (syntax and style only) on the same files,
 * when yamllint is installed (skipped otherwise).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { generateMesh } from './generate.ts';
import { compare, median, mb, timeIt, verdict } from './lib/measure.ts';
import { check } from '../src/index.ts';
import { startWatchThread } from './lib/watch-thread.ts';

const services = Number(process.env.BENCH_SERVICES ?? 2000);
const bin = new URL('../bin/meshc.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'meshc-bench-incr-'));
const watchDir = mkdtempSync(join(tmpdir(), 'meshc-bench-watch-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'meshc-bench-cache-'));
process.env.MESHC_CACHE_DIR = cacheDir;
try {
  const mesh = generateMesh(dir, { services });
  const watchMesh = generateMesh(watchDir, { services });
  console.log(`mesh: ${services} services, ${mesh.files.length} files, ${mb(mesh.bytes)}`);
  const full = () => check([dir], { cwd: dir });
  const cached = () => check([dir], { cwd: dir, cache: true });
  // What each run of `meshc check --watch` does (src/cli/commands/check.ts checkOnce), in a thread of its own.
  const watch = startWatchThread(watchDir);
  const watched = () => watch.recheck();

  const cold: number[] = [];
  const uncachedCold: number[] = [];
  for (let r = 0; r < 3; r++) {
    rmSync(cacheDir, { recursive: true, force: true });
    uncachedCold.push(await timeIt(full));
    cold.push(await timeIt(cached));
  }
  let round = 0;
  const originals = new Map<string, string>();
  /** Rewrites the next file of `pool` through `edit` (from its original text), then re-checks. */
  const editOne = (pool: string[], edit: (text: string, n: number) => string, recheck: () => Promise<unknown> = cached) => async () => {
    const n = round++;
    const file = pool[(n * 7) % pool.length]!;
    const text = originals.get(file) ?? readFileSync(file, 'utf8');
    originals.set(file, text);
    writeFileSync(file, edit(text, n));
    await recheck();
  };
  const withPorts = mesh.files.filter((f) => readFileSync(f, 'utf8').includes('port: 9090'));
  const watchWithPorts = watchMesh.files.filter((f) => readFileSync(f, 'utf8').includes('port: 9090'));
  await watched(); // the watch's first run
  // A watch runs for hours: its re-checks are measured once its thread's JIT has seen a few (as the contenders here have).
  const warmUp = editOne(watchWithPorts, (text, n) => text.replace('port: 9090', `port: ${9100 + n}`), watched);
  for (let i = 0; i < 5; i++) await warmUp();
  const times = await compare(3, {
    full,
    comment: editOne(mesh.files, (text, n) => `# edit ${n}\n# moves every line below\n${text}`),
    semantic: editOne(withPorts, (text, n) => text.replace('port: 9090', `port: ${9100 + n}`)),
    unchanged: cached,
    watchSemantic: editOne(watchWithPorts, (text, n) => text.replace('port: 9090', `port: ${9100 + n}`), watched),
    watchUnchanged: watched,
  });
  await watch.close();
  // As a hook or CI runs it: a new process per check, start-up and a cold JIT included, against the same full check.
  const cliCheck = (...args: string[]) => async () => spawnSync(process.execPath, [bin, 'check', ...args, '-q', dir], { stdio: 'ignore' });
  await cliCheck()(); // the cache holds the current files
  // `check --daemon`: the process per check hands it to the project's daemon (started by the first one), which keeps what a watch keeps.
  const portEdit = (text: string, n: number) => text.replace('port: 9090', `port: ${9100 + n}`);
  await cliCheck('--daemon')();
  for (let i = 0; i < 5; i++) await editOne(withPorts, portEdit, cliCheck('--daemon'))(); // a daemon runs for hours: measured warm, as the watch is
  const cli = await compare(3, {
    full: cliCheck('--no-cache'),
    semantic: editOne(withPorts, portEdit, cliCheck()),
    daemonSemantic: editOne(withPorts, portEdit, cliCheck('--daemon')),
  });
  spawnSync(process.execPath, [bin, 'daemon', 'stop'], { cwd: dir, stdio: 'ignore' });
  for (const [file, text] of originals) writeFileSync(file, text);
  console.log(`full check without cache: ${times.full!.toFixed(0)} ms; after a comment edit: ${times.comment!.toFixed(0)} ms; ` +
    `after a semantic edit: ${times.semantic!.toFixed(0)} ms; nothing changed: ${times.unchanged!.toFixed(0)} ms`);
  console.log(verdict('re-check after a comment edit in one file (model kept) / full check', times.comment! / times.full!, 0.15));
  console.log(verdict('re-check after a semantic edit in one file (port changed) / full check', times.semantic! / times.full!, 0.15));
  console.log(verdict('re-check, nothing changed / full check', times.unchanged! / times.full!, 0.15));
  console.log(`check --watch: after a semantic edit: ${times.watchSemantic!.toFixed(0)} ms; nothing changed: ${times.watchUnchanged!.toFixed(0)} ms`);
  console.log(verdict('check --watch, re-check after a semantic edit in one file / full check', times.watchSemantic! / times.full!, 0.15));
  console.log(verdict('check --watch, re-check with nothing changed / full check', times.watchUnchanged! / times.full!, 0.15));
  console.log(verdict('first check writing the cache / full check without it', median(cold) / median(uncachedCold), 1.1));
  console.log(`meshc check (CLI, a process per check): --no-cache ${cli.full!.toFixed(0)} ms; after a semantic edit ${cli.semantic!.toFixed(0)} ms`);
  console.log(verdict('meshc check (CLI) after a semantic edit in one file / meshc check --no-cache (CLI)', cli.semantic! / cli.full!, 0.15));
  console.log(`meshc check --daemon (CLI, a process per check, the daemon warm) after a semantic edit: ${cli.daemonSemantic!.toFixed(0)} ms`);
  console.log(verdict('meshc check --daemon (CLI) after a semantic edit in one file / meshc check --no-cache (CLI)', cli.daemonSemantic! / cli.full!, 0.15));

  // yamllint (syntax and style only) vs meshc check (schema and semantics), same files, both as a user runs them.
  const version = spawnSync('yamllint', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    console.log('yamllint: not installed, side-by-side skipped');
  } else {
    const yamlParse = () => {
      for (const f of mesh.files) for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) d.toJS();
    };
    // yamllint once (it takes ~20 s); meshc and the parse as medians of three alternating runs (a single run of ~2 s swings by several percent).
    const cli = {
      ...(await compare(1, { yamllint: () => spawnSync('yamllint', ['-f', 'parsable', '-d', 'relaxed', dir], { stdio: 'ignore' }) })),
      ...(await compare(3, {
        yaml: yamlParse,
        meshc: () => spawnSync(process.execPath, [bin, 'check', '--no-cache', '-q', dir], { stdio: 'ignore' }),
      })),
    };
    console.log(`${version.stdout.trim()}: ${cli.yamllint!.toFixed(0)} ms; meshc check --no-cache (CLI, median of 3): ${cli.meshc!.toFixed(0)} ms; yaml parse (median of 3): ${cli.yaml!.toFixed(0)} ms`);
    console.log(`yamllint / yaml parse: ${(cli.yamllint! / cli.yaml!).toFixed(2)}x`);
    console.log(`yamllint / meshc check: ${(cli.yamllint! / cli.meshc!).toFixed(2)}x (target >= 10x) ${cli.yamllint! / cli.meshc! >= 10 ? 'OK' : 'UNDER TARGET'}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(watchDir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
}
