/** `meshc diff` through the built CLI: two trees on disk, and the base read from git. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, runCli } from './helpers/cli.ts';
import { parse } from 'yaml';
import type { TreeDiff } from '../src/diff/types.ts';

const BOOKSTORE = 'fixtures/bookstore';
/** Files are reported relative to the working directory (the repository root here). */
const shown = (path: string) => relative(ROOT, path);
const dirs: string[] = [];

/** A copy of the bookstore with `edit` applied to the text of `file`. */
function variant(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-diff-test-'));
  dirs.push(dir);
  cpSync(BOOKSTORE, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  assert.is.not(after, before, `the edit of ${file} changed nothing`);
  writeFileSync(path, after);
  return dir;
}

const diffJson = (base: string, head: string, ...args: string[]) => {
  const r = runCli(['diff', '--format', 'json', ...args, base, head]);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as TreeDiff;
};

/** bookthief added as a source of TrafficTarget bookstore/bookstore. */
const thiefAllowed = (text: string) => text.replace('      name: bookbuyer\n      namespace: bookbuyer\n---', '      name: bookbuyer\n      namespace: bookbuyer\n    - kind: ServiceAccount\n      name: bookthief\n      namespace: bookthief\n---');
/** bookstore-v2 removed from the sources of TrafficTarget bookwarehouse. */
const v2Removed = (text: string) => text.replace('    - kind: ServiceAccount\n      name: bookstore-v2\n      namespace: bookstore\n', '');

test('the same tree twice: nothing changed, exit 0', () => {
  const r = runCli(['diff', BOOKSTORE, BOOKSTORE]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'no reachability change, no new or fixed findings\n');
  assert.equal(diffJson(BOOKSTORE, BOOKSTORE), { gained: [], lost: [], splits: [], findings: { new: [], fixed: [] } });
});

test('gained: a new source of a TrafficTarget, with routes and the deciding rule at file:line', () => {
  const head = variant('policy/access.yaml', thiefAllowed);
  const d = diffJson(BOOKSTORE, head);
  assert.equal(d.gained.map((g) => [g.from, g.to, g.change]), [
    ['bookthief/bookthief', 'bookstore/bookstore-v1:14001', 'new'],
    ['bookthief/bookthief', 'bookstore/bookstore:14001', 'new'],
  ]);
  assert.equal(d.gained[0]!.routes, ['http bookstore/bookstore-service-routes/books-bought', 'http bookstore/bookstore-service-routes/buy-a-book']);
  assert.equal(d.gained[0]!.resources, [{ kind: 'TrafficTarget', namespace: 'bookstore', name: 'bookstore', file: shown(join(head, 'policy/access.yaml')), line: 13 }]);
  assert.equal(d.gained[1]!.resources.map((r) => `${r.kind} ${r.name} ${r.line}`), ['TrafficTarget bookstore 13', 'TrafficSplit bookstore-split 2']);
  assert.equal(d.lost, []);
  // bookthief now gets 10% of its requests to bookstore denied by bookstore-v2 (MESH0606), and of the pods behind
  // Service bookstore only those running as bookstore admit it (MESH0630): two new findings.
  assert.equal(d.findings.new.map((f) => f.code), ['MESH0630', 'MESH0606']);
  assert.equal(runCli(['diff', '--fail-on', 'gained', BOOKSTORE, head]).code, 1);
  assert.equal(runCli(['diff', '--fail-on', 'any', BOOKSTORE, head]).code, 1);
  assert.equal(runCli(['diff', '--fail-on', 'lost', BOOKSTORE, head]).code, 0);
});

test('lost: a removed source, and a rule narrowed to fewer matches (the pair stays, a route goes)', () => {
  const head = variant('policy/access.yaml', (t) => v2Removed(t).replace(/(name: bookstore-v2\n {2}namespace: bookstore\nspec:[\s\S]*?matches: )\[buy-a-book, books-bought\]/, '$1[buy-a-book]'));
  const d = diffJson(BOOKSTORE, head);
  assert.equal(d.gained, []);
  assert.equal(d.lost.map((l) => [l.from, l.to, l.change, l.routes]), [
    ['bookbuyer/bookbuyer', 'bookstore/bookstore-v2:14001', 'narrowed', ['http bookstore/bookstore-service-routes/books-bought']],
    ['bookstore/bookstore-v2', 'bookwarehouse/bookwarehouse:14001', 'removed', ['http bookwarehouse/bookwarehouse-service-routes/restock-books']],
  ]);
  // A lost pair is decided by the base's resources, located in the base.
  assert.equal(d.lost[1]!.resources, [{ kind: 'TrafficTarget', namespace: 'bookwarehouse', name: 'bookwarehouse', file: 'fixtures/bookstore/policy/access.yaml', line: 51 }]);
  assert.equal(runCli(['diff', '--fail-on', 'lost', BOOKSTORE, head]).code, 1);
  assert.equal(runCli(['diff', '--fail-on', 'gained', BOOKSTORE, head]).code, 0);
  const text = runCli(['diff', BOOKSTORE, head]);
  assert.match(text.stdout, 'lost (2):\n  - bookbuyer/bookbuyer → bookstore/bookstore-v2:14001 (fewer routes): http bookstore/bookstore-service-routes/books-bought\n');
  assert.match(text.stderr, 'meshc diff: 0 gained, 2 lost, 0 split changes, 0 new findings, 0 fixed');
});

test('split change: weights in percent before and after; the same ratio written differently is no change', () => {
  const head = variant('policy/split.yaml', (t) => t.replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50'));
  const d = diffJson(BOOKSTORE, head);
  assert.equal(d.splits, [{
    service: 'bookstore/bookstore',
    before: [{ service: 'bookstore/bookstore-v1', weight: 90, percent: 90 }, { service: 'bookstore/bookstore-v2', weight: 10, percent: 10 }],
    after: [{ service: 'bookstore/bookstore-v1', weight: 50, percent: 50 }, { service: 'bookstore/bookstore-v2', weight: 50, percent: 50 }],
    resources: [{ kind: 'TrafficSplit', namespace: 'bookstore', name: 'bookstore-split', file: shown(join(head, 'policy/split.yaml')), line: 2 }],
  }]);
  assert.equal([d.gained, d.lost], [[], []]);
  assert.is(runCli(['diff', '--fail-on', 'any', BOOKSTORE, head]).code, 1);
  const scaled = variant('policy/split.yaml', (t) => t.replace('weight: 90', 'weight: 900').replace('weight: 10', 'weight: 100'));
  assert.equal(diffJson(BOOKSTORE, scaled).splits, []);
  const gone = variant('policy/split.yaml', () => '# no split any more\n');
  const g = diffJson(BOOKSTORE, gone);
  assert.equal(g.splits.map((s) => [s.service, s.after, s.resources[0]!.file]), [['bookstore/bookstore', null, 'fixtures/bookstore/policy/split.yaml']]);
});

test('findings: fixed in head and new in head, matched across trees by code, resource and file (not line)', () => {
  const broken = variant('policy/access.yaml', (t) => t.replace('name: bookwarehouse-service-routes', 'name: bookwarehouse-routes'));
  const fixed = diffJson(broken, BOOKSTORE);
  // The rule's missing group (MESH0207) left bookwarehouse unreachable (MESH0601): both fixed.
  assert.equal(fixed.findings.fixed.map((f) => [f.code, f.range?.line]), [['MESH0601', 11], ['MESH0207', 52]]);
  assert.equal(fixed.findings.new, []);
  // The broken rule granted nothing: fixing it gains access.
  assert.equal(fixed.gained.map((g) => `${g.from} → ${g.to}`), ['bookstore/bookstore → bookwarehouse/bookwarehouse:14001', 'bookstore/bookstore-v2 → bookwarehouse/bookwarehouse:14001']);
  const introduced = diffJson(BOOKSTORE, broken);
  assert.equal(introduced.findings.new.map((f) => f.code), ['MESH0601', 'MESH0207']);
  // A finding that only moved (lines inserted above it) is neither new nor fixed.
  const moved = variant('policy/access.yaml', (t) => `# a comment\n# another\n${t.replace('name: bookwarehouse-service-routes', 'name: bookwarehouse-routes')}`);
  assert.equal(diffJson(broken, moved).findings, { new: [], fixed: [] });
  // --suppress takes a code out of the comparison.
  assert.equal(diffJson(BOOKSTORE, broken, '--suppress', 'MESH0207').findings.new.map((f) => f.code), ['MESH0601']);
});

test('markdown: a match name with a pipe stays inside its table cell (escaped even in inline code)', () => {
  const head = variant('policy/routes.yaml', (t) => t.replace('- name: buy-a-book', '- name: "buy|a-book"'));
  const access = join(head, 'policy/access.yaml');
  writeFileSync(access, readFileSync(access, 'utf8').replaceAll('[buy-a-book,', '["buy|a-book",'));
  const md = runCli(['diff', '--format', 'markdown', BOOKSTORE, head]);
  assert.is(md.code, 0, md.stderr);
  assert.match(md.stdout, '`http bookstore/bookstore-service-routes/buy\\|a-book`');
  const rows = md.stdout.split('\n').filter((l) => l.startsWith('| `'));
  assert.ok(rows.length >= 6, md.stdout);
  // Every row of these tables has five cells: six pipes that are not escaped.
  for (const row of rows) assert.is(row.replace(/\\\|/g, '').split('|').length - 1, 6, row);
});

test('markdown: a pull-request comment with a marker, a summary and tables; github: annotations on head lines', () => {
  const head = variant('policy/access.yaml', (t) => v2Removed(thiefAllowed(t)));
  const md = runCli(['diff', '--format', 'markdown', BOOKSTORE, head]);
  assert.is(md.code, 0, md.stderr);
  assert.ok(md.stdout.startsWith('<!-- meshc-diff -->\n### meshc diff: reachability changes\n\n2 gained, 1 lost, 0 split changes, 2 new findings, 0 fixed.\n'), md.stdout);
  assert.match(md.stdout, '**➕ Access gained** (2)\n\n| from | to | change | routes | decided by |\n| --- | --- | --- | --- | --- |\n| `bookthief/bookthief` | `bookstore/bookstore-v1:14001` | new |');
  assert.match(md.stdout, '**➖ Access lost** (1)');
  const same = runCli(['diff', '--format', 'markdown', BOOKSTORE, BOOKSTORE]);
  assert.is(same.stdout, '<!-- meshc-diff -->\n### meshc diff: no reachability change\n\n0 gained, 0 lost, 0 split changes, 0 new findings, 0 fixed.\n');

  const inRepo = variant('policy/access.yaml', thiefAllowed);
  const gh = runCli(['diff', '--format', 'github', BOOKSTORE, 'fixtures/bookstore-head'], { cwd: process.cwd() });
  assert.is(gh.code, 2, 'a missing head path is an unreadable input');
  const ann = runCli(['diff', BOOKSTORE, inRepo], { env: { GITHUB_ACTIONS: 'true' } });
  assert.is(ann.code, 0, ann.stderr);
  const lines = ann.stdout.trimEnd().split('\n');
  assert.ok(lines[0]!.startsWith(`::notice file=${shown(join(inRepo, 'policy/access.yaml'))},line=13,title=meshc diff%3A access gained::bookthief/bookthief may now reach bookstore/bookstore-v1:14001: http `), lines[0]);
  assert.ok(lines.some((l) => l.startsWith('::warning file=') && l.includes('title=MESH0606::')), ann.stdout);
});

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

test('--base-ref: the base is PATH at a git commit, read into a temporary directory that is removed', () => {
  const repo = mkdtempSync(join(tmpdir(), 'meshc-diff-repo-'));
  dirs.push(repo);
  cpSync(BOOKSTORE, join(repo, 'mesh'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'base');
  const access = join(repo, 'mesh/policy/access.yaml');
  writeFileSync(access, v2Removed(readFileSync(access, 'utf8')));
  mkdirSync(join(repo, 'mesh/extra'));
  writeFileSync(join(repo, 'mesh/extra/new.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: auditor\n  namespace: bookstore\n');
  const scratch = mkdtempSync(join(tmpdir(), 'meshc-diff-tmp-'));
  dirs.push(scratch);
  const r = runCli(['diff', '--base-ref', 'main', '--format', 'json', 'mesh'], { cwd: repo, env: { TMPDIR: scratch } });
  assert.is(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout) as TreeDiff;
  assert.equal(d.lost.map((l) => [l.from, l.to, l.resources[0]!.file, l.resources[0]!.line]), [['bookstore/bookstore-v2', 'bookwarehouse/bookwarehouse:14001', 'mesh/policy/access.yaml', 51]]);
  assert.equal([d.gained, d.findings], [[], { new: [], fixed: [] }], 'files are reported with the same names in both trees, so no finding looks new');
  assert.equal(readdirSync(scratch), [], 'the temporary base tree is removed');
  // From a subdirectory, with the default PATH (the working directory), and a PATH the base lacks.
  const sub = runCli(['diff', '--base-ref', 'HEAD', '--format', 'json'], { cwd: join(repo, 'mesh') });
  assert.is(sub.code, 0, sub.stderr);
  assert.is((JSON.parse(sub.stdout) as TreeDiff).lost.length, 1);
  const added = runCli(['diff', '--base-ref', 'main', 'mesh/extra'], { cwd: repo });
  assert.is(added.code, 0, added.stderr);
  // Bad refs and places: exit 2 with MESH1300, never a stack trace.
  const bad = runCli(['diff', '--base-ref', 'no-such-branch', 'mesh'], { cwd: repo });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, "error MESH1300 cannot read the base tree from git ref no-such-branch: 'no-such-branch' names no commit");
  assert.is(bad.stdout, '');
  const option = runCli(['diff', '--base-ref=--upload-pack=x', 'mesh'], { cwd: repo });
  assert.is(option.code, 2);
  assert.match(option.stderr, 'MESH1300');
  const outside = runCli(['diff', '--base-ref', 'main', '..'], { cwd: repo });
  assert.is(outside.code, 2);
  assert.match(outside.stderr, 'is outside the git repository');
  const norepo = mkdtempSync(join(tmpdir(), 'meshc-diff-norepo-'));
  dirs.push(norepo);
  const nr = runCli(['diff', '--base-ref', 'main'], { cwd: norepo, env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
  assert.is(nr.code, 2);
  assert.match(nr.stderr, 'MESH1300');
  assert.match(nr.stderr, 'not inside a git repository');
});

test('bad arguments and unreadable trees: exit 2 with a clear message, nothing on stdout', () => {
  const cases: [string[], RegExp][] = [
    [[BOOKSTORE], /MESH1054 meshc diff takes two trees, BASE and HEAD, or --base-ref GITREF \(got 1 PATH argument\)/],
    [[BOOKSTORE, BOOKSTORE, BOOKSTORE], /got 3 PATH arguments/],
    [['--format', 'sarif', BOOKSTORE, BOOKSTORE], /--format must be one of text, json, markdown, github/],
    [['--format'], /--format must be one of/],
    [['--fail-on', 'everything', BOOKSTORE, BOOKSTORE], /--fail-on must be one of gained, lost, any/],
    [['--base-ref', '', BOOKSTORE], /MESH1051 --base-ref needs a git revision/],
    [['no/such/dir', BOOKSTORE], /meshc diff: base: .*MESH0002 cannot read no\/such\/dir/],
    [[BOOKSTORE, 'no/such/dir'], /meshc diff: head: .*MESH0002 cannot read no\/such\/dir/],
  ];
  for (const [args, expected] of cases) {
    const r = runCli(['diff', ...args]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.is(r.stdout, '', args.join(' '));
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('the GitHub Actions workflow in the guide is docs/examples/meshc-diff-workflow.yaml, and it runs diff with --base-ref in the formats it comments and gates with', () => {
  const example = readFileSync(join(ROOT, 'docs/examples/meshc-diff-workflow.yaml'), 'utf8');
  const guide = readFileSync(join(ROOT, 'docs/guide-diff.md'), 'utf8');
  assert.ok(guide.includes(`\`\`\`yaml\n${example}\`\`\`\n`), 'the guide embeds the example file verbatim');
  const wf = parse(example) as { permissions: Record<string, string>; jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] }> };
  const steps = Object.values(wf.jobs)[0]!.steps;
  assert.is(wf.permissions['pull-requests'], 'write');
  assert.is(steps.find((st) => st.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth'], 0);
  const runs = steps.flatMap((st) => st.run ?? []).join('\n');
  for (const needed of ['meshc diff --base-ref "$BASE" --format github', 'meshc diff --base-ref "$BASE" --format markdown', '--fail-on lost', 'startswith("<!-- meshc-diff -->")']) assert.ok(runs.includes(needed), needed);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
