/**
 * One usage-error style for every command (through the built CLI): a line with
 * the code (`meshc: error MESH1052 … [option-value-form]`), then where the options
 * are explained, exit 2, nothing on stdout; failures after the command line
 * (unwritable output, an existing file) carry their code too. Also: `meshc
 * test` on a path that does not exist leads with the cause, `explain` renders
 * message templates for people, `check --help` names the DSL files it walks.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, ROOT } from './helpers/cli.ts';
import { allCatalogEntries } from '../src/core/catalog/index.ts';

const HINT = (cmd: string, code: string) => new RegExp(`^meshc: error ${code} .+ \\[[a-z-]+\\]\\nRun 'meshc ${cmd} --help' for the options\\.\\n$`);

test('usage errors of every command: one line with its code, then the --help hint; never the whole usage, never "meshc CMD:"', () => {
  const cases: [string, string[], string, RegExp][] = [
    ['why', ['why', '--to', 'bookstore/bookstore', 'fixtures/bookstore'], 'MESH1049', /--from NS\/SA is required/],
    ['why', ['why', '--from', 'bookbuyer/bookbuyr', '--to', 'bookstore/bookstore', 'fixtures/bookstore'], 'MESH1057', /--from: unknown identity 'bookbuyer\/bookbuyr'.*did you mean 'bookbuyer\/bookbuyer'/],
    ['why', ['why', '--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore', '--header', 'x-a=1', '--header', 'X-A=2', 'fixtures/bookstore'], 'MESH1052', /--header must be each header name once \(names are case-insensitive\) \(got 'x-a' twice\)/],
    ['why', ['why', '--from', 'bookbuyer/bookbuyer', '--to', 'bookstore/bookstore', '--target', 'grpx', 'fixtures/bookstore'], 'MESH1048', /--target must be one of envoy, grpc \(got "grpx"\)/],
    ['why', ['why', '--from', 'bookbuyer/bookbuyer', '--to-external', 'httpbin.org:80', '--target', 'grpc', 'fixtures/bookstore'], 'MESH1050', /--to-external cannot be used with --target grpc/],
    ['graph', ['graph', '--format', 'png', 'fixtures/bookstore'], 'MESH1048', /--format must be one of dot, mermaid, json, html \(got "png"\)/],
    ['export', ['export', '--format', 'yaml', 'fixtures/bookstore'], 'MESH1048', /--format must be one of smi, gateway-api \(got "yaml"\)/],
    ['diff', ['diff', 'fixtures/bookstore'], 'MESH1054', /meshc diff takes two trees, BASE and HEAD, or --base-ref GITREF \(got 1 PATH argument\)/],
    ['diff', ['diff', '--format', 'sarif', 'fixtures/bookstore', 'fixtures/bookstore'], 'MESH1048', /--format must be one of text, json, markdown, github \(got "sarif"\)/],
    ['import', ['import', '--format', 'js', 'fixtures/bookstore'], 'MESH1048', /--format must be one of ts \(got "js"\)/],
    ['import', ['import', '--out', 'mesh.txt', 'fixtures/bookstore'], 'MESH1052', /--out must be a \.ts or \.mts file \(got "mesh\.txt"\)/],
    ['init', ['init', '--format', 'json'], 'MESH1048', /--format must be one of yaml, ts \(got "json"\)/],
    ['init', ['init', 'a', 'b'], 'MESH1054', /meshc init takes one DIR at most \(got 2\)/],
    ['check', ['check', '--frmat', 'json'], 'MESH1046', /unknown option --frmat \(did you mean --format\?\)/],
    ['compile', ['compile', 'fixtures/bookstore', '--out'], 'MESH1047', /cannot read the command line: option '-o, --out <value>' argument missing/],
    ['compile', ['compile', '--max-retries', '-1', 'fixtures/bookstore'], 'MESH1047', /cannot read the command line: option '--max-retries' argument is ambiguous: write a value that starts with a dash as --max-retries=VALUE \[/],
    ['explain', ['explain'], 'MESH1054', /meshc explain takes a code, for example: meshc explain MESH0003 \(got none\)/],
    ['serve', ['serve'], 'MESH1049', /--snapshots DIR is required/],
    ['serve', ['serve', '--snapshots', 'x', '--log-level', 'loud'], 'MESH1048', /--log-level must be one of debug, info, warn, error \(got "loud"\)/],
  ];
  for (const [cmd, args, code, detail] of cases) {
    const r = runCli(args);
    const what = args.join(' ');
    assert.equal([r.code, r.stdout], [2, ''], what);
    assert.match(r.stderr, HINT(cmd, code), `${what}:\n${r.stderr}`);
    assert.match(r.stderr, detail, what);
    assert.not.match(r.stderr, /usage: meshc/, what);
  }
});

test('failures after the command line carry their code: an existing file (MESH1021), an unwritable output (MESH1020), an unreadable input in why/graph (MESH0002)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-usage-'));
  try {
    writeFileSync(join(dir, 'mesh.yaml'), '# mine\n');
    const init = runCli(['init', dir]);
    assert.is(init.code, 2);
    assert.match(init.stderr, /^meshc: error MESH1021 .*mesh\.yaml already exists; nothing written \(meshc init never overwrites\) \[output-exists\]\n$/);
    const exists = runCli(['import', '--out', join(dir, 'mesh.yaml.ts'), 'fixtures/bookstore'], { env: {} });
    assert.is(exists.code, 0, exists.stderr);
    const again = runCli(['import', '--out', join(dir, 'mesh.yaml.ts'), 'fixtures/bookstore']);
    assert.is(again.code, 2);
    assert.match(again.stderr, /^meshc: error MESH1021 .*mesh\.yaml\.ts already exists; nothing written \(pass --force to replace it\) \[output-exists\]\n$/);
    const unwritable = runCli(['export', '--out', '/dev/null/mesh.yaml', 'fixtures/bookstore']);
    assert.is(unwritable.code, 2);
    assert.match(unwritable.stderr, /^meshc: error MESH1020 cannot write \/dev\/null\/mesh\.yaml: [a-z ]+ \[output-unwritable\]\n/);
    const graphOut = runCli(['graph', '--output', '/dev/null/g.dot', 'fixtures/bookstore']);
    assert.is(graphOut.code, 2);
    assert.match(graphOut.stderr, /meshc: error MESH1020 cannot write \/dev\/null\/g\.dot/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const cmd of ['why', 'graph']) {
    const args = cmd === 'why' ? ['why', '--from', 'a/b', '--to', 'c/d', 'nothing-here'] : ['graph', 'nothing-here'];
    const r = runCli(args);
    assert.is(r.code, 2, cmd);
    assert.match(r.stderr, /^nothing-here:1:1: error MESH0002 cannot read nothing-here: no such file or directory \[unreadable-path\]\n$/, `${cmd}: ${r.stderr}`);
  }
});

test('an output path that exists and is no regular file is never replaced (MESH1020); a link to a file is written through', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-out-'));
  // A socket file stands in for a device or a pipe: the atomic rename would put a regular file in its place.
  const socket = join(dir, 'mesh.sock');
  const server = createServer();
  await new Promise<void>((r) => server.listen(socket, () => r()));
  try {
    const cases: [string[], string, RegExp][] = [
      [['export', '--out', socket, 'fixtures/bookstore'], socket, /it is a socket, not a regular file/],
      [['graph', '--output', socket, 'fixtures/bookstore'], socket, /it is a socket, not a regular file/],
      [['export', '--out', dir, 'fixtures/bookstore'], dir, /it is a directory/],
      [['import', '--force', '--out', join(dir, 'sub.ts'), 'fixtures/bookstore'], join(dir, 'sub.ts'), /it is a directory/],
    ];
    mkdirSync(join(dir, 'sub.ts'));
    for (const [args, path, why] of cases) {
      const r = runCli(args);
      assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, `meshc: error MESH1020 cannot write ${path}: `);
      assert.match(r.stderr, why);
    }
    assert.ok(lstatSync(socket).isSocket(), 'the socket is still there');
    assert.ok(lstatSync(join(dir, 'sub.ts')).isDirectory());
    assert.equal(readdirSync(dir).sort(), ['mesh.sock', 'sub.ts'], 'no temporary file left behind');

    writeFileSync(join(dir, 'real.yaml'), '# old\n');
    symlinkSync('real.yaml', join(dir, 'link.yaml'));
    const through = runCli(['export', '--out', join(dir, 'link.yaml'), 'fixtures/bookstore']);
    assert.is(through.code, 0, through.stderr);
    assert.ok(lstatSync(join(dir, 'link.yaml')).isSymbolicLink(), 'the link stays a link');
    assert.match(readFileSync(join(dir, 'real.yaml'), 'utf8'), /kind: TrafficTarget/);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a standard output that cannot be written (a full disk) is MESH1020 and exit 2; a reader that stops early is not', () => {
  // /dev/full answers every write with ENOSPC (Linux); elsewhere there is no portable way to fill a disk.
  if (!existsSync('/dev/full')) return;
  const full = openSync('/dev/full', 'w');
  try {
    for (const args of [['check', '--format', 'sarif', 'fixtures/bookstore'], ['export', 'fixtures/bookstore'], ['graph', 'fixtures/bookstore']]) {
      const r = spawnSync(process.execPath, [`${ROOT}/bin/meshc.js`, ...args], { cwd: ROOT, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /meshc: error MESH1020 cannot write standard output: no space left on the device \[output-unwritable\]\n/);
    }
  } finally {
    closeSync(full);
  }
  // `| head -c 1`: the reader is gone (EPIPE) and the rest of the output is dropped; the exit code stays the check's own.
  const early = spawnSync('bash', ['-c', `"${process.execPath}" "${ROOT}/bin/meshc.js" check --format json fixtures/bookstore | head -c 1 >/dev/null; exit "\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
  assert.is(early.status, 0, early.stderr);
  assert.not.match(early.stderr, 'MESH1020');
});

test('meshc test on a path that does not exist leads with the cause (cannot read), not "no ReachabilityTest documents"', () => {
  const r = runCli(['test', 'nothing-here']);
  assert.is(r.code, 2);
  assert.match(r.stdout, /^nothing-here:1:1: error MESH0002 cannot read nothing-here: no such file or directory/);
  assert.not.match(r.stdout + r.stderr, 'MESH0704');
  const json = JSON.parse(runCli(['test', '--format', 'json', 'nothing-here']).stdout) as { diagnostics: { code: string }[] };
  assert.equal(json.diagnostics.map((d) => d.code), ['MESH0002']);
  // Readable but without tests: still MESH0704.
  const none = runCli(['test', 'fixtures/bookstore/apps']);
  assert.is(none.code, 1);
  assert.match(none.stdout, 'MESH0704 no ReachabilityTest documents found in fixtures/bookstore/apps');
});

test('meshc explain renders every catalogue entry without a raw {placeholder}; optional clauses in brackets', () => {
  const codes = allCatalogEntries().map((e) => e.code);
  const r = runCli(['explain', ...codes]);
  assert.is(r.code, 0, r.stderr);
  for (const code of codes) assert.ok(r.stdout.includes(`${code} `), code);
  const raw = r.stdout.split('\n').filter((l) => /\{\w+\}/.test(l));
  assert.equal(raw, [], 'lines with a raw placeholder');
  const m100 = runCli(['explain', 'MESH0100']).stdout;
  assert.match(m100, 'message: document has no apiVersion [<hint>]');
  assert.match(m100, '[<…>] is added only when it applies');
  const m3 = runCli(['explain', 'MESH0003']).stdout;
  assert.match(m3, /message: .*<\w+>/);
  assert.not.match(m3, '[<…>]', 'the legend names only what the message uses');
});

test('check --help names the DSL files a directory walk reads', () => {
  const r = runCli(['check', '--help'], { cwd: ROOT });
  assert.is(r.code, 0);
  const text = r.stdout.replace(/\s+/g, ' ');
  assert.match(text, 'a TypeScript DSL file (.ts, .mts)');
  assert.match(text, '*.yaml, *.yml, *.json and the DSL files mesh.ts, mesh.mts, *.mesh.ts, *.mesh.mts');
});

test.run();
