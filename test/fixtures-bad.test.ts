/**
 * Every entry of fixtures/bad/ shows one mistake and states, in comment lines,
 * what meshc must report about it (see fixtures/bad/README.md):
 *
 *   # expect: MESH0403 12:15          the code at line:col of the fixture
 *   # expect: MESH0011 sub/link:1:1   in a file of a directory fixture
 *   # expect: MESH1000                a finding without a position
 *   # args: --permissive              extra command-line arguments ({file}: the fixture's path)
 *   # command: test                   check (default), test, compile or import
 *   # env: MESHC_DSL_TIMEOUT_MS=1000  environment for the run
 *
 * (`//` instead of `#` in TypeScript files.) This runs the real CLI on each,
 * reads the JSON report and the usage errors on stderr, and requires every
 * expected finding at its position, no other error, the documented exit code
 * and no stack trace. The last test checks that every code of the catalogue
 * has a fixture, or an entry with its reason in EXEMPT.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, ROOT } from './helpers/cli.ts';
import { allCatalogEntries, findCatalogEntry } from '../src/core/catalog/index.ts';

const DIR = `${ROOT}/fixtures/bad`;

/**
 * Codes no fixture can show, each with the reason. Keep this list short: a
 * code a user can cause belongs in fixtures/bad/.
 */
const EXEMPT: Record<string, string> = {
  MESH0001: 'internal error: a bug in meshc, no input is meant to cause it',
  MESH0017: 'more manifest text than 128 MB (the budget of the usual 4 GB heap): too big for a fixture (test/bad-input.test.ts passes the budget of a 48 MB heap)',
  MESH0408: 'a fractional or negative weight: the schema of every TrafficSplit version rejects it first (MESH0111, MESH0112); the rule guards models built without the schema (test/rules/model-only.test.ts); a too-large weight is MESH0420',
  MESH0800: 'Envoy self-validation of the compiled output: fires only when meshc itself produces an invalid resource, a meshc bug (test/envoy-invariants.test.ts feeds it broken resources)',
  MESH0801: 'self-validation (strict encoding) of the compiled output: a meshc bug, not an input mistake (test/envoy-invariants.test.ts)',
  MESH0802: 'self-validation (cross-resource consistency) of the compiled output: a meshc bug, not an input mistake (test/envoy-invariants.test.ts)',
  MESH0803: 'self-validation against what gRPC clients accept: a meshc bug, not an input mistake (test/envoy-invariants.test.ts)',
  MESH0804: 'a deprecated Envoy field in the compiled output: a meshc bug, not an input mistake (test/envoy-invariants.test.ts)',
  MESH0805: 'the Envoy protos of the installed @grpc/grpc-js-xds are missing: a broken installation, not an input (test/envoy-invariants.test.ts)',
  MESH1300: 'meshc diff --base-ref needs a git repository and a ref that names no commit; a fixture cannot carry a repository (test/diff.test.ts builds one and checks the finding, bad ref, not a repository)',
  MESH1310: 'a finding of meshc export --format gateway-api, which this test does not run (test/gamma.test.ts exports a split whose root Service is missing and checks it)',
  MESH1023: 'a working directory removed after the shell entered it: a fixture is a file, not a process state (test/bad-input.test.ts removes the directory its meshc runs in)',
  MESH1022: 'a graph longer than the longest JavaScript string (~512 MB): no fixture can be that large (src/cli/commands/graph.ts catches the RangeError)',
  MESH1049: 'a required option left out: this test always gives compile its --out and check, test and import their paths, so no fixture can leave one out (test/cli-usage-style.test.ts checks serve --snapshots and why --from, test/compile-cli.test.ts compile --out)',
  MESH1051: 'an option without the option it needs: only serve has such options (--tls-cert, --client-ca, --trust-domain, --tls-reload), and this test runs check, test, compile and import (test/serve-cli.test.ts checks each pair)',
  MESH1054: 'the wrong arguments of diff, init, explain or serve, none of which this test runs (test/cli-usage-style.test.ts, test/diff.test.ts and test/serve-cli.test.ts check them)',
  MESH1055: 'meshc explain of an unknown code: explain is not a command this test runs (test/cli.test.ts checks it)',
  MESH1057: 'a why question about an unknown identity: why is not a command this test runs (test/why.test.ts, test/cli-usage-style.test.ts)',
  MESH1058: 'a why question about an unknown service: why is not a command this test runs (test/why.test.ts)',
  MESH1059: 'a why question about a port the service lacks: why is not a command this test runs (test/why.test.ts)',
  MESH1060: 'a why question about a service without ports: why is not a command this test runs (test/why.test.ts)',
  MESH1061: 'a why question from a name no ServiceAccount can have: why is not a command this test runs (test/why.test.ts)',
  MESH1062: 'a why question from a wildcard: why is not a command this test runs (test/smi-choices.test.ts)',
  MESH1063: 'meshc without a command: the fixture runner always names one (test/cli.test.ts checks it)',
  MESH1064: 'an unknown command: the fixture runner only runs check, test, compile and import (test/cli.test.ts checks it)',
  MESH0911: 'typescript or esbuild cannot be loaded: a broken installation, not an input (no test: it needs a meshc without its dependencies)',
};

/**
 * Retired codes (`retired: true` in the catalogue; never reported, never reused), with what reports the
 * mistake now. They need no fixture; a fixture for one is an error.
 */
const RETIRED: Record<string, string> = {
  MESH0211: 'a TrafficTarget rule kind other than HTTPRouteGroup/TCPRoute/UDPRoute is MESH0112 (the schema enum of every version, from YAML and the DSL), which says the same',
  MESH0307: 'an unknown HTTP method is MESH0112 (the HTTPRouteGroup schema enum, with a did-you-mean), which says the same',
  MESH0320: 'a TCPRoute/UDPRoute port outside 1-65535 is MESH0112 (schema minimum/maximum: "ports are 1–65535"), which says the same',
  MESH0854: 'compile self-validation findings are MESH0800-MESH0804',
  MESH0864: 'encoding failures of the compiled output are MESH0801',
  MESH0865: 'a node directory longer than 255 bytes is shortened (first 238 bytes, _, a hash of the whole name), so the workload compiles (test/compile-input.test.ts)',
  MESH1000: 'each usage error particular to one command has its own code now: MESH1050-MESH1055, MESH1057-MESH1064 (and MESH1048 for --fail-level, MESH1046 for an option before the command)',
};

interface Expectation { code: string; file?: string; line?: number; column?: number }
type Command = 'check' | 'test' | 'compile' | 'import';
interface Directives { expect: Expectation[]; args: string[]; command: Command; env: Record<string, string> }
interface Finding { code: string; severity: string; file: string | null; line: number | null; column: number | null }

/** A file's text: UTF-16 when it starts with a UTF-16 byte-order mark, else UTF-8 (NUL bytes and all, for the binary-file fixture). */
function textOf(path: string): string {
  const buf = readFileSync(path);
  return buf[0] === 0xff && buf[1] === 0xfe ? buf.subarray(2).toString('utf16le') : buf.toString('utf8');
}

/** The fixture's own text: the file, or every regular file directly in a directory fixture. */
function fixtureText(name: string): string {
  const path = `${DIR}/${name}`;
  if (!lstatSync(path).isDirectory()) return textOf(path);
  return readdirSync(path).sort().filter((f) => lstatSync(`${path}/${f}`).isFile()).map((f) => textOf(`${path}/${f}`)).join('\n');
}

function directives(text: string): Directives {
  const d: Directives = { expect: [], args: [], command: 'check', env: {} };
  for (const line of text.split(/\r?\n/)) {
    const m = /^(?:#|\/\/)\s*(expect|args|command|env):\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'expect') {
      const e = /^(MESH\d{4})(?:\s+(?:(\S+):)?(\d+):(\d+))?$/.exec(value);
      if (!e) throw new Error(`malformed expectation: ${line}`);
      d.expect.push(e[3] ? { code: e[1]!, file: e[2], line: Number(e[3]), column: Number(e[4]) } : { code: e[1]! });
    } else if (key === 'args') {
      d.args.push(...value.split(/\s+/).filter(Boolean));
    } else if (key === 'command') {
      if (!['check', 'test', 'compile', 'import'].includes(value)) throw new Error(`unknown command: ${line}`);
      d.command = value as Command;
    } else {
      const [k, ...v] = value.split('=');
      d.env[k!] = v.join('=');
    }
  }
  return d;
}

/** The JSON report on stdout (absent after a usage error) and the findings printed on stderr. */
function findings(stdout: string, stderr: string): Finding[] {
  const out: Finding[] = [];
  if (stdout.trim()) {
    let report: { diagnostics: Finding[] };
    try {
      report = JSON.parse(stdout);
    } catch {
      throw new Error(`stdout is not a JSON report:\n${stdout}\n${stderr}`);
    }
    out.push(...report.diagnostics.map(({ code, severity, file, line, column }) => ({ code, severity, file, line, column })));
  }
  for (const line of stderr.split('\n')) {
    const p = /^(.+?):(\d+):(\d+): (error|warning|info) (MESH\d{4}) /.exec(line);
    if (p) out.push({ code: p[5]!, severity: p[4]!, file: p[1]!, line: Number(p[2]), column: Number(p[3]) });
    const n = /^meshc: (error|warning|info) (MESH\d{4}) /.exec(line);
    if (n) out.push({ code: n[2]!, severity: n[1]!, file: null, line: null, column: null });
  }
  return out;
}

const show = (f: Finding) => `${f.code} ${f.file ?? ''}${f.line === null ? '' : `:${f.line}:${f.column}`}`;

/** Content fingerprint of a directory tree (symbolic links by target), to prove a failed compile wrote nothing. */
function treeState(dir: string): string[] {
  const state: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(rel, name);
      const st = lstatSync(join(dir, path));
      if (st.isSymbolicLink()) state.push(`${path} -> ${readlinkSync(join(dir, path))}`);
      else if (st.isDirectory()) { state.push(`${path}/`); walk(path); }
      else state.push(`${path} ${createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')}`);
    }
  };
  walk('');
  return state;
}

const fixtures = readdirSync(DIR).filter((f) => /^MESH\d{4}-[a-z0-9-]+(\.(ya?ml|json|ts))?$/.test(f)).sort();

for (const name of fixtures) {
  test(`fixtures/bad/${name}`, () => {
    const d = directives(fixtureText(name));
    assert.ok(d.expect.length > 0, 'fixture declares no expectation');
    // compile runs in a copy, so that whatever it writes (or deletes) stays out of the checkout.
    const work = d.command === 'compile' ? mkdtempSync(join(tmpdir(), 'meshc-bad-')) : undefined;
    try {
      const path = work ? name : `fixtures/bad/${name}`;
      if (work) cpSync(`${DIR}/${name}`, join(work, name), { recursive: true, verbatimSymlinks: true });
      const args = d.args.map((a) => a.replaceAll('{file}', path));
      const outAt = args.findIndex((a) => a === '--out' || a === '-o');
      if (d.command === 'compile' && outAt < 0) args.push('--out', 'out');
      const out = outAt < 0 ? 'out' : args[outAt + 1]!;
      const before = work ? treeState(work) : [];
      // import writes TypeScript to stdout and its findings to stderr; the others a JSON report.
      const imports = d.command === 'import';
      const r = runCli([d.command, ...(imports ? [] : ['--format', 'json']), ...args, path], { cwd: work ?? ROOT, env: d.env });
      assert.not.match(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'stack trace on stderr');
      const got = findings(imports ? '' : r.stdout, r.stderr);

      for (const e of d.expect) {
        const hit = got.some((g) => g.code === e.code && (e.line === undefined
          ? g.line === null
          : g.line === e.line && g.column === e.column && (e.file === undefined || g.file === `${path}/${e.file}`)));
        const where = e.line === undefined ? 'without a position' : `at ${e.file ? `${e.file}:` : ''}${e.line}:${e.column}`;
        assert.ok(hit, `expected ${e.code} ${where}, got: ${got.map(show).join(', ') || 'nothing'}\n${r.stderr}`);
      }
      const expectedCodes = new Set(d.expect.map((e) => e.code));
      assert.equal(got.filter((g) => g.severity === 'error' && !expectedCodes.has(g.code)).map(show), [], 'unexpected errors');

      const incomplete = got.some((g) => findCatalogEntry(g.code)?.incomplete);
      const anyError = got.some((g) => g.severity === 'error');
      assert.is(r.code, incomplete ? 2 : anyError ? 1 : 0, `exit code (stderr: ${r.stderr})`);
      if (work && anyError) assert.equal(treeState(work), before, 'a compile with errors must write nothing');
      if (imports && !anyError) assert.match(r.stdout, /export default defineMesh\(/, 'import wrote no DSL file');
      if (work && !anyError) assert.ok(existsSync(join(work, out, 'manifest.json')), `compile wrote no ${out}/manifest.json`);
    } finally {
      if (work) rmSync(work, { recursive: true, force: true });
    }
  });
}

test('every diagnostic code has a fixture (or a reason not to; retired codes are listed as such)', () => {
  const covered = new Map<string, string>();
  for (const name of fixtures) {
    const code = name.slice(0, 8);
    const entry = findCatalogEntry(code);
    assert.ok(entry && entry.code === code, `${name}: ${code} is not in the catalogue`);
    assert.ok(!entry.retired, `${name}: ${code} is retired`);
    assert.ok(name.startsWith(`${code}-${entry.name}`) && /^(\.|$)/.test(name.slice(code.length + 1 + entry.name.length)),
      `${name}: the name must be ${code}-${entry.name} plus the extension`);
    assert.ok(directives(fixtureText(name)).expect.some((e) => e.code === code), `${name} does not expect ${code}`);
    assert.not.ok(covered.has(code), `${code} has two fixtures: ${covered.get(code)} and ${name}`);
    covered.set(code, name);
  }
  for (const [code, reason] of Object.entries(EXEMPT)) {
    const entry = findCatalogEntry(code);
    assert.ok(entry && entry.code === code && !entry.retired, `EXEMPT names ${code}, which is not a live catalogue code`);
    assert.ok(reason.length > 20, `EXEMPT ${code} needs a reason`);
    assert.not.ok(covered.has(code), `${code} is exempt but has the fixture ${covered.get(code)}`);
  }
  for (const [code, reason] of Object.entries(RETIRED)) {
    const entry = findCatalogEntry(code);
    assert.ok(entry && entry.code === code && entry.retired, `RETIRED names ${code}, which is not a retired catalogue code`);
    assert.ok(reason.length > 20, `RETIRED ${code} needs to say what reports the mistake now`);
  }
  assert.equal(allCatalogEntries().filter((e) => e.retired && !(e.code in RETIRED)).map((e) => e.code), [], 'retired codes missing from RETIRED');
  const missing = allCatalogEntries().filter((e) => !e.retired && !covered.has(e.code) && !(e.code in EXEMPT));
  assert.equal(missing.map((e) => `${e.code}-${e.name}`), [], 'codes without a fixture in fixtures/bad/ and without a reason in EXEMPT');
});

test.run();
