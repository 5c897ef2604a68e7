import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { BIN, BROKEN, STACK, cleanEnv, json, run, runClosingStdout, tempTree } from './cli-run.ts';
import { allCatalogEntries } from '../src/core/catalog/index.ts';
import { RULES } from '../src/rules/registry.ts';

const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const LIST_LINE = 'manifests/list.yaml:1:1: error MESH0009 document is a list, expected a Kubernetes object (a mapping with apiVersion and kind) [not-an-object]';
const CLEAN = { 'ok/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n' };

test('meshc --help, help CMD, --version; no command is a usage error on stderr', () => {
  const help = run(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /^usage: meshc <command>/);
  for (const cmd of ['check', 'explain', 'rules']) assert.match(help.stdout, new RegExp(`\\n  ${cmd} `));
  assert.is(help.stderr, '');
  const v = run(['--version']);
  assert.equal([v.code, v.stdout, v.stderr], [0, `${VERSION}\n`, '']);
  assert.is(run(['-V']).stdout, `${VERSION}\n`);
  const none = run([]);
  assert.equal([none.code, none.stdout], [2, '']);
  assert.match(none.stderr, /^meshc: error MESH1063 no command given \[command-missing\]\n\nusage: meshc/);
  const sub = run(['help', 'check']);
  assert.is(sub.code, 0);
  assert.match(sub.stdout, /^usage: meshc check/);
});

test('meshc <cmd> --help prints the command usage on stdout, exit 0', () => {
  for (const cmd of ['check', 'explain', 'rules']) {
    const r = run([cmd, '--help']);
    assert.is(r.code, 0, cmd);
    assert.match(r.stdout, new RegExp(`^usage: meshc ${cmd}`), cmd);
    assert.is(r.stderr, '', cmd);
    assert.equal(run([cmd, '-h']).stdout, r.stdout);
  }
  const check = run(['check', '--help']).stdout;
  for (const flag of ['--config', '--namespace', '--permissive', '--draft', '--assume-external', '--suppress', '--no-inline-suppress', '--fail-level', '--disable-rule', '--max-file-size', '--format', '--quiet']) {
    assert.ok(check.includes(flag), flag);
  }
});

test('unknown command and unknown flags: exit 2, usage on stderr, nothing on stdout', () => {
  const cmd = run(['chekc']);
  assert.equal([cmd.code, cmd.stdout], [2, '']);
  assert.match(cmd.stderr, /unknown command 'chekc' \(did you mean check\?\)/);
  assert.match(run(['complie']).stderr, /unknown command 'complie' \(did you mean compile\?\)/);
  assert.match(run(['grpah']).stderr, /unknown command 'grpah' \(did you mean graph\?\)/);
  assert.match(run(['zzzzzz']).stderr, /^meshc: error MESH1064 unknown command 'zzzzzz' \[unknown-command\]/);
  assert.match(run(['--format', 'json']).stderr, /^meshc: error MESH1046 unknown option --format \(options go after the command\) \[unknown-option\]\n\nusage: meshc/);
  const flag = run(['check', '--frmat', 'json', '.']);
  assert.equal([flag.code, flag.stdout], [2, '']);
  assert.match(flag.stderr, /^meshc: error MESH1046 unknown option --frmat \(did you mean --format\?\) \[unknown-option\]\nRun 'meshc check --help' for the options\.\n$/);
  const short = run(['check', '-x']);
  assert.equal([short.code, short.stdout], [2, '']);
  assert.match(short.stderr, /unknown option -x/);
  const missing = run(['check', '--format']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /MESH1047 cannot read the command line: option '--format <value>' argument missing/);
  const boolWithValue = run(['check', '--quiet=yes']);
  assert.is(boolWithValue.code, 2);
  assert.match(boolWithValue.stderr, /MESH1047 cannot read the command line: option '-q, --quiet' does not take an argument/);
  for (const [args, re] of [
    [['check', '--format', 'xml'], /--format must be one of text, json, sarif, github \(got "xml"\)/],
    [['check', '--fail-level', 'fatal'], /--fail-level must be one of error, warning, info \(got "fatal"\)/],
    [['check', '--max-file-size=-5'], /--max-file-size must be a positive number of bytes/],
    [['check', '--max-file-size', '1Ti'], /--max-file-size must be a positive number of bytes/],
    [['check', '-n', 'Bad_NS'], /--namespace must be a Kubernetes namespace name/],
    [['check', '--assume-external', 'ServiceAccount'], /--assume-external must be Kind\/namespace\/name/],
    [['rules', '--format', 'sarif'], /--format must be one of text, json \(got "sarif"\)/],
  ] as [string[], RegExp][]) {
    const r = run(args);
    assert.equal([r.code, r.stdout], [2, ''], args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    assert.match(r.stderr, /Run 'meshc \w+ --help' for the options\.\n$/, args.join(' '));
  }
});

test('an unknown rule id is a usage error listing the near matches', () => {
  const id = RULES[0]!.id;
  const typo = `${id.slice(0, -1)}x`;
  const r = run(['check', '--disable-rule', typo, '.']);
  assert.equal([r.code, r.stdout], [2, '']);
  assert.ok(r.stderr.includes(`MESH1003 --disable-rule: unknown rule "${typo}" (did you mean ${id}`), r.stderr);
  const none = run(['check', '--disable-rule', 'zzzzzz', '.']);
  assert.match(none.stderr, /unknown rule "zzzzzz" \('meshc rules' lists the rule ids\)/);
});

test('check with no path checks the working directory; the text format and the summary line', () => {
  const t = tempTree(BROKEN);
  try {
    const r = run(['check'], { cwd: t.dir });
    assert.is(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.is(lines.length, 2);
    assert.is(lines[0], LIST_LINE);
    assert.is(lines[1], 'manifests/syntax.yaml:4:1: error MESH0003 YAML syntax error: Tabs are not allowed as indentation [yaml-syntax]');
    assert.is(r.stderr, '2 errors, 0 warnings, 0 infos in 2 files (0 resources)\n');
    const quiet = run(['check', '--quiet'], { cwd: t.dir });
    assert.equal([quiet.code, quiet.stdout, quiet.stderr], [1, r.stdout, '']);
    // Paths are relative to the working directory.
    const fromSub = run(['check', '-q', 'list.yaml'], { cwd: join(t.dir, 'manifests') });
    assert.match(fromSub.stdout, /^list\.yaml:1:1: error MESH0009/);
  } finally {
    t.cleanup();
  }
});

test("'-' reads standard input, shown as <stdin>", () => {
  const r = run(['check', '-', '--format', 'json'], { input: '- a\n- b\n' });
  assert.is(r.code, 1);
  const out = json(r);
  assert.equal(out.diagnostics.map((d) => [d.code, d.file, d.line, d.column]), [['MESH0009', '<stdin>', 1, 1]]);
  assert.is(out.summary.files, 1);
});

test('exit codes: 0 clean, 1 findings at or above --fail-level, 2 unreadable path; the same for every format', () => {
  const t = tempTree({
    ...CLEAN,
    'info/empty.yaml': '',
    'err/list.yaml': '- kind: Service\n', // objects as a list (a list of scalars alone is skipped when walked, MESH0016)
  });
  try {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const code = (...args: string[]) => run(['check', '-q', '--format', format, ...args], { cwd: t.dir }).code;
      assert.is(code('ok'), 0, format);
      assert.is(code('info'), 0, format);
      assert.is(code('--fail-level', 'warning', 'info'), 0, format);
      assert.is(code('--fail-level', 'info', 'info'), 1, format);
      assert.is(code('err'), 1, format);
      assert.is(code('--fail-level', 'warning', 'err'), 1, format);
      assert.is(code('ok', 'does-not-exist'), 2, format);
      assert.is(code('err', 'does-not-exist'), 2, format);
      // Suppressing everything cannot hide an incomplete run.
      assert.is(code('--suppress', 'MESH*', 'err', 'does-not-exist'), 2, format);
    }
  } finally {
    t.cleanup();
  }
});

test('json: only the report on stdout, exactly the documented shape', () => {
  const t = tempTree(BROKEN);
  try {
    const r = run(['check', '--format', 'json', '.', 'nope.yaml'], { cwd: t.dir });
    assert.is(r.code, 2);
    const out = json(r);
    assert.equal(Object.keys(out), ['diagnostics', 'summary']);
    assert.equal(Object.keys(out.summary), ['errors', 'warnings', 'infos', 'files', 'resources']);
    assert.equal(out.summary, { errors: 3, warnings: 0, infos: 0, files: 2, resources: 0 });
    for (const d of out.diagnostics) assert.equal(Object.keys(d), ['code', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'resource']);
    assert.equal(out.diagnostics.map((d) => [d.code, d.file, d.line]), [['MESH0009', 'manifests/list.yaml', 1], ['MESH0003', 'manifests/syntax.yaml', 4], ['MESH0002', 'nope.yaml', 1]]);
    assert.is(r.stderr, '3 errors, 0 warnings, 0 infos in 2 files (0 resources)\n');
  } finally {
    t.cleanup();
  }
});

test('github format: automatic under GITHUB_ACTIONS=true, --format wins', () => {
  const t = tempTree(BROKEN);
  try {
    const auto = run(['check', '-q'], { cwd: t.dir, env: { GITHUB_ACTIONS: 'true' } });
    assert.is(auto.code, 1);
    assert.match(auto.stdout, /^::error file=manifests\/list\.yaml,line=1,endLine=3,col=1,endColumn=1,title=MESH0009::document is a list/);
    assert.is(auto.stdout.trimEnd().split('\n').length, 2);
    const text = run(['check', '-q', '--format', 'text'], { cwd: t.dir, env: { GITHUB_ACTIONS: 'true' } });
    assert.is(text.stdout.split('\n')[0], LIST_LINE);
    const off = run(['check', '-q'], { cwd: t.dir, env: { GITHUB_ACTIONS: 'false' } });
    assert.is(off.stdout.split('\n')[0], LIST_LINE);
  } finally {
    t.cleanup();
  }
});

test('sarif through the CLI: repo-relative URIs, real regions, executionSuccessful', () => {
  const t = tempTree({ ...BROKEN, '.git/HEAD': 'ref: refs/heads/main\n' });
  try {
    const r = run(['check', '--format', 'sarif', '.'], { cwd: join(t.dir, 'manifests') });
    assert.is(r.code, 1);
    const log = JSON.parse(r.stdout);
    const res = log.runs[0].results;
    assert.equal(res.map((x: { ruleId: string }) => x.ruleId), ['MESH0009', 'MESH0003']);
    assert.equal(res[0].locations[0].physicalLocation, { artifactLocation: { uri: 'manifests/list.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1, endLine: 3, endColumn: 1 } });
    assert.is(log.runs[0].invocations[0].executionSuccessful, true);
    assert.match(log.runs[0].invocations[0].workingDirectory.uri, /^file:\/\/\/.*\/manifests\/$/);
    const incomplete = JSON.parse(run(['check', '--format', 'sarif', '.', 'gone.yaml'], { cwd: join(t.dir, 'manifests') }).stdout);
    assert.is(incomplete.runs[0].invocations[0].executionSuccessful, false);
  } finally {
    t.cleanup();
  }
});

test('colour: only on a TTY or with FORCE_COLOR; NO_COLOR honoured', () => {
  const t = tempTree(BROKEN);
  const ESC = /\u001b\[/;
  try {
    const piped = run(['check'], { cwd: t.dir, env: { NO_COLOR: undefined } });
    assert.not.match(piped.stdout, ESC);
    assert.not.match(piped.stderr, ESC);
    const forced = run(['check'], { cwd: t.dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    assert.match(forced.stdout, /\u001b\[31m\u001b\[1merror\u001b\[22m\u001b\[39m/);
    assert.match(forced.stderr, ESC);
    assert.is(forced.stdout.replace(/\u001b\[\d+m/g, ''), piped.stdout);
    const forcedOff = run(['check'], { cwd: t.dir, env: { NO_COLOR: undefined, FORCE_COLOR: '0' } });
    assert.not.match(forcedOff.stdout, ESC);
    // A real terminal: script(1) runs meshc on a pseudo-terminal.
    const onTty = (env: Record<string, string | undefined>) => spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} check`, '/dev/null'], {
      cwd: t.dir, encoding: 'utf8', env: cleanEnv({ TERM: 'xterm', ...env }), timeout: 60_000,
    });
    const tty = onTty({});
    assert.is(tty.status, 1, tty.stderr);
    assert.match(tty.stdout, /\u001b\[31m\u001b\[1merror/);
    assert.match(tty.stdout, /manifests\/list\.yaml:1:1/);
    const ttyNoColor = onTty({ NO_COLOR: '1' });
    assert.match(ttyNoColor.stdout, /manifests\/list\.yaml:1:1: error MESH0009/);
    assert.not.match(ttyNoColor.stdout, ESC);
    assert.not.match(onTty({ TERM: 'dumb' }).stdout, ESC);
    // JSON and SARIF are never coloured.
    assert.not.match(run(['check', '--format', 'json'], { cwd: t.dir, env: { FORCE_COLOR: '1' } }).stdout, ESC);
  } finally {
    t.cleanup();
  }
});

test('internal errors: MESH0001 in one line, exit 2, the stack only with MESHC_DEBUG=1', () => {
  const t = tempTree(BROKEN);
  try {
    const r = run(['check', '.'], { cwd: t.dir, env: { MESHC_TEST_CRASH: 'check' } });
    assert.is(r.code, 2);
    assert.is(r.stdout, '');
    assert.is(r.stderr, 'meshc: error MESH0001 internal error: crash requested by MESHC_TEST_CRASH=check (set MESHC_DEBUG=1 for the stack trace) [internal-error]\n');
    const debug = run(['check', '.'], { cwd: t.dir, env: { MESHC_TEST_CRASH: 'check', MESHC_DEBUG: '1' } });
    assert.is(debug.code, 2);
    assert.match(debug.stderr, STACK);
    // Machine formats still get a report that says so.
    const j = run(['check', '--format', 'json', '.'], { cwd: t.dir, env: { MESHC_TEST_CRASH: 'check' } });
    assert.is(j.code, 2);
    assert.equal(json(j).diagnostics.map((d) => [d.code, d.file]), [['MESH0001', null]]);
    // An exception outside any command's promise chain.
    const u = run(['check', '.'], { cwd: t.dir, env: { MESHC_TEST_CRASH: 'uncaught' } });
    assert.is(u.code, 2);
    assert.match(u.stderr, /^meshc: error MESH0001 internal error: crash requested by MESHC_TEST_CRASH=uncaught/m);
    assert.not.match(u.stderr, STACK);
  } finally {
    t.cleanup();
  }
});

test('a stdout closed early (| head -1) ends quietly: no EPIPE trace, the exit code still tells', async () => {
  const docs = Array.from({ length: 20_000 }, (_, i) => `---\n- item ${i}\n`).join('');
  const t = tempTree({ 'many.yaml': docs });
  try {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await runClosingStdout(['check', '--format', format, 'many.yaml'], t.dir);
      assert.ok(r.firstLine.length > 0, format);
      assert.not.match(r.stderr, /EPIPE|ERR_STREAM/, format);
      assert.not.match(r.stderr, STACK, format);
      assert.is(r.code, 1, `${format}: ${r.stderr}`);
    }
  } finally {
    t.cleanup();
  }
});

test('meshc explain: by code (any case), by rule name, by lint rule id; unknown is exit 2 with near matches', () => {
  const byCode = run(['explain', 'mesh0003']);
  assert.is(byCode.code, 0);
  assert.match(byCode.stdout, /^MESH0003 yaml-syntax \(error, area load\)\n\n {2}message: YAML syntax error: <detail>\n {2}\(<…> is filled in by each finding\)\n\nThe file is not valid YAML/);
  assert.is(run(['explain', 'yaml-syntax']).stdout, byCode.stdout);
  const incomplete = run(['explain', 'MESH0002']).stdout;
  assert.match(incomplete, /exit code 2/);
  const rule = RULES[0]!;
  const byRule = run(['explain', rule.id]);
  assert.is(byRule.code, 0);
  assert.ok(byRule.stdout.startsWith(`rule ${rule.id}\n`));
  for (const c of rule.codes) assert.ok(byRule.stdout.includes(c), c);
  const unknown = run(['explain', 'yaml-syntx']);
  assert.equal([unknown.code, unknown.stdout], [2, '']);
  assert.match(unknown.stderr, /unknown code or rule "yaml-syntx" \(did you mean yaml-syntax\b/);
  const none = run(['explain']);
  assert.is(none.code, 2);
  assert.match(none.stderr, /MESH1054 meshc explain takes a code/);
});

test('meshc rules lists every code (text and json)', () => {
  const entries = allCatalogEntries();
  const text = run(['rules']);
  assert.is(text.code, 0);
  for (const e of entries) assert.match(text.stdout, new RegExp(`^${e.code} +${e.retired ? 'retired' : e.severity} +${e.name} +\\S`, 'm'));
  for (const r of RULES) assert.match(text.stdout, new RegExp(`^${r.id} +${r.codes.join(',')} `, 'm'));
  const j = run(['rules', '--format', 'json']);
  assert.is(j.code, 0);
  const out = JSON.parse(j.stdout);
  assert.equal(out.codes.map((c: { code: string }) => c.code), entries.map((e) => e.code));
  assert.equal(Object.keys(out.codes[0]), ['code', 'name', 'severity', 'area', 'summary', 'message', 'doc', 'incomplete', 'retired']);
  assert.equal(out.codes.find((c: { code: string }) => c.code === 'MESH0003').summary, 'The file is not valid YAML (or JSON).');
  assert.is(out.rules.length, RULES.length);
});

test.run();
