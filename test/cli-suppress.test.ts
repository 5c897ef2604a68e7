import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../src/core/types.ts';
import { applySuppressions, parseSuppression, type Suppression } from '../src/report/suppress.ts';
import { catalogEntry, formatMessage } from '../src/core/catalog/index.ts';
import { nearMatches } from '../src/core/suggest.ts';
import { exitCodeFor } from '../src/cli/common.ts';
import { join } from 'node:path';
import { BROKEN, json, run, tempTree } from './cli-run.ts';

const ref = (kind: string, namespace: string, name: string) => ({ apiVersion: 'v1', kind, namespace, name });
const d = (code: string, resource: Diagnostic['resource'] = null, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  code, severity, message: code, range: { file: 'a.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 }, resource,
});

function parsed(entry: string): Suppression {
  const p = parseSuppression(entry, '--suppress');
  if ('problem' in p) throw new Error(`${entry}: ${p.problem.code}`);
  return p.value;
}

test('suppression syntax: code, rule name, globs, and the resource forms', () => {
  const list = [
    d('MESH0012', ref('ServiceAccount', 'shop', 'web')),
    d('MESH0012', ref('ServiceAccount', 'other', 'web')),
    d('MESH0012', ref('Namespace', '', 'shop')),
    d('MESH0003'),
  ];
  // (kept findings come back sorted; compare as sorted lists)
  const kept = (...entries: string[]) => applySuppressions(list, { suppress: entries.map(parsed), inline: true }).kept.map((x) => `${x.code}:${x.resource?.namespace ?? '-'}/${x.resource?.name ?? '-'}`).sort();
  assert.equal(kept('MESH0012'), ['MESH0003:-/-']);
  assert.equal(kept('mesh0012'), ['MESH0003:-/-']);
  assert.equal(kept('duplicate-resource'), ['MESH0003:-/-']);
  assert.equal(kept('MESH001?'), ['MESH0003:-/-']);
  assert.equal(kept('MESH00*'), []);
  assert.equal(kept('MESH0012=ServiceAccount shop/web'), ['MESH0003:-/-', 'MESH0012:/shop', 'MESH0012:other/web']);
  assert.equal(kept('MESH0012=ServiceAccount/shop/web'), ['MESH0003:-/-', 'MESH0012:/shop', 'MESH0012:other/web']);
  assert.equal(kept('MESH0012=serviceaccount */w?b'), ['MESH0003:-/-', 'MESH0012:/shop']);
  assert.equal(kept('MESH0012=Namespace shop'), ['MESH0003:-/-', 'MESH0012:other/web', 'MESH0012:shop/web']);
  assert.equal(kept('MESH0012=Namespace/shop'), ['MESH0003:-/-', 'MESH0012:other/web', 'MESH0012:shop/web']);
  // A resource-scoped suppression never hides findings that belong to no resource.
  assert.equal(kept('MESH0003=* */*'), ['MESH0003:-/-', 'MESH0012:/shop', 'MESH0012:other/web', 'MESH0012:shop/web']);
  assert.is(applySuppressions(list, { suppress: [parsed('MESH0012')], inline: true }).suppressed, 3);
});

test('suppression problems: malformed (MESH1002, MESH1040, MESH1041), unknown code (MESH1001), incomplete codes (MESH1008)', () => {
  const problem = (entry: string) => {
    const p = parseSuppression(entry, '--suppress');
    return 'problem' in p ? p.problem : undefined;
  };
  const malformed: [string, string][] = [
    ['', 'MESH1040'], ['=Service a/b', 'MESH1040'], ['MESH 0003', 'MESH1041'],
    ['MESH0003=', 'MESH1002'], ['MESH0003=Service', 'MESH1002'], ['MESH0003=Service a/b/c d', 'MESH1002'], ['MESH0003=Service a b c', 'MESH1002'],
  ];
  for (const [bad, code] of malformed) assert.is(problem(bad)?.code, code, bad);
  assert.is(problem('MESH9999')?.code, 'MESH1001');
  assert.match(String((problem('yaml-syntx')?.args as Record<string, unknown> | undefined)?.hint), /did you mean yaml-syntax/);
  assert.is(problem('MESH0002')?.code, 'MESH1008');
  assert.is(problem('internal-error')?.code, 'MESH1008');
  // A glob silently leaves out the codes that cannot be suppressed.
  const all = parsed('MESH*');
  assert.ok(all.codes.has('MESH0003'));
  assert.not.ok(all.codes.has('MESH0001'));
  assert.not.ok(all.codes.has('MESH0002'));
});

test('a resource suppression that can never match is malformed: unknown kind, or a form that does not fit the kind\'s scope', () => {
  const detail = (entry: string) => {
    const p = parseSuppression(entry, '--suppress');
    return 'problem' in p ? `${p.problem.code} ${formatMessage(catalogEntry(p.problem.code).message, p.problem.args).replace('--suppress: malformed suppression ', '')}` : 'ok';
  };
  // A namespaced kind written without a namespace, a namespace/name without a kind, a cluster-scoped kind with a namespace.
  assert.is(detail('MESH0501=Service legacy-reviews'), 'MESH1044 "MESH0501=Service legacy-reviews": Service is namespaced: write "Service NAMESPACE/legacy-reviews" (or "Service */legacy-reviews" for every namespace)');
  assert.is(detail('MESH0501=Service/legacy-reviews'), 'MESH1044 "MESH0501=Service/legacy-reviews": Service is namespaced: write "Service NAMESPACE/legacy-reviews" (or "Service */legacy-reviews" for every namespace)');
  assert.match(detail('MESH0501=shop/legacy-reviews'), /^MESH1043 "MESH0501=shop\/legacy-reviews": "shop" is not a kind: write the kind first, as in "Service shop\/legacy-reviews" \(kinds: TrafficTarget, .*Service,/);
  assert.is(detail('MESH0012=Namespace shop/x'), 'MESH1045 "MESH0012=Namespace shop/x": Namespace is cluster-scoped (it has no namespace): write "Namespace x"');
  assert.is(detail('MESH0501=Servce shop/x'), 'MESH1042 "MESH0501=Servce shop/x": unknown kind "Servce" (did you mean Service?)');
  assert.match(detail('MESH0501=Service* shop'), /^MESH1044 "MESH0501=Service\* shop": Service\* is namespaced/);
  // Globs over both scopes, meshc's own kinds, and any case stay valid.
  for (const ok of ['MESH0003=* */*', 'MESH0012=* shop', 'MESH0012=serviceaccount */w?b', 'MESH0701=ReachabilityTest shop/*', 'MESH0012=namespace shop']) assert.is(detail(ok), 'ok', ok);
});

test('a suppression malformed for its kind is a usage error on the command line and in .meshc.yaml (exit 2, at the entry)', () => {
  const t = tempTree({ ...ANNOTATED, 'bad/.meshc.yaml': 'apiVersion: meshc.dev/v1alpha1\nkind: Config\nsuppress:\n  - MESH0012\n  - "MESH0012=shop/web"\n' });
  try {
    const cli = run(['check', '--suppress', 'MESH0012=ServiceAccount web', 'm'], { cwd: t.dir });
    assert.equal([cli.code, cli.stdout], [2, '']);
    assert.match(cli.stderr, /^meshc: error MESH1044 --suppress: malformed suppression "MESH0012=ServiceAccount web": ServiceAccount is namespaced: write "ServiceAccount NAMESPACE\/web"/);
    const config = run(['check', '../m'], { cwd: join(t.dir, 'bad') });
    assert.equal([config.code, config.stdout], [2, '']);
    assert.match(config.stderr, /^\.meshc\.yaml:5:5: error MESH1043 suppress: malformed suppression "MESH0012=shop\/web": "shop" is not a kind: write the kind first, as in "Service shop\/web"/);
    // Written correctly, the same suppression hides the finding.
    const good = json(run(['check', '--format', 'json', '--no-inline-suppress', '--suppress', 'MESH0012=ServiceAccount shop/web', 'm'], { cwd: t.dir }));
    assert.equal(good.diagnostics.map((x) => (x.resource as { name: string }).name), ['api', 'db']);
  } finally {
    t.cleanup();
  }
});

test('exit code from the findings left: incomplete beats everything, then the fail level', () => {
  assert.is(exitCodeFor([], 'error'), 0);
  assert.is(exitCodeFor([d('MESH0006', null, 'info')], 'error'), 0);
  assert.is(exitCodeFor([d('MESH0006', null, 'info')], 'info'), 1);
  assert.is(exitCodeFor([d('MESH0011', null, 'warning')], 'warning'), 1);
  assert.is(exitCodeFor([d('MESH0011', null, 'warning')], 'error'), 0);
  assert.is(exitCodeFor([d('MESH0003'), d('MESH0002')], 'error'), 2);
  assert.is(exitCodeFor([d('MESH0001', null, 'info')], 'error'), 2);
});

test('near matches: edit distance, substrings, shared words', () => {
  assert.equal(nearMatches('--frmat', ['--format', '--fail-level', '--quiet']), ['--format']);
  assert.equal(nearMatches('path-regex', ['http-match-regex', 'traffic-split-weights']), ['http-match-regex']);
  assert.equal(nearMatches('zzzz', ['alpha', 'beta']), []);
});

const ANNOTATED = {
  'm/sa.yaml': [
    'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: web', '  namespace: shop', '  annotations:', '    meshc.dev/ignore: "MESH0012, MESH9999"',
    '---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: web', '  namespace: shop',
    '---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: api', '  namespace: shop', '  annotations: {meshc.dev/ignore: "*"}',
    '---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: api', '  namespace: shop',
    '---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: db', '  namespace: shop',
    '---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: db', '  namespace: shop', '',
  ].join('\n'),
};

test('--suppress through the CLI: codes, resources, the summary counts what was hidden', () => {
  const t = tempTree({ ...BROKEN, ...ANNOTATED });
  try {
    const base = json(run(['check', '--format', 'json', '--no-inline-suppress', '.'], { cwd: t.dir }));
    assert.equal(base.diagnostics.map((x) => x.code), ['MESH0012', 'MESH0012', 'MESH0012', 'MESH0009', 'MESH0003']);
    const r = run(['check', '--suppress', 'MESH0009', '--suppress', 'MESH0012=ServiceAccount shop/web', '--suppress', 'MESH0012=ServiceAccount/shop/a*', '--no-inline-suppress', '.'], { cwd: t.dir });
    assert.is(r.code, 1);
    assert.equal(r.stdout.trimEnd().split('\n').map((l) => l.replace(/ .*/, '')), ['m/sa.yaml:37:9:', 'manifests/syntax.yaml:4:1:']);
    assert.is(r.stderr, '2 errors, 0 warnings, 0 infos in 3 files (3 resources); 3 suppressed\n');
    // Suppressing every error changes the exit code.
    assert.is(run(['check', '-q', '--suppress', 'MESH0009', '--suppress', 'MESH0003', '--suppress', 'duplicate-resource', '.'], { cwd: t.dir }).code, 0);
    const bad = run(['check', '--suppress', 'MESH0012=ServiceAccount', '.'], { cwd: t.dir });
    assert.equal([bad.code, bad.stdout], [2, '']);
    assert.match(bad.stderr, /^meshc: error MESH1002 --suppress: malformed suppression "MESH0012=ServiceAccount"/);
    const unknown = run(['check', '--suppress', 'MESH9999', '.'], { cwd: t.dir });
    assert.is(unknown.code, 2);
    assert.match(unknown.stderr, /MESH1001 --suppress: no diagnostic code matches "MESH9999" \((did you mean [^?]+\? )?'meshc rules' lists every code\)/);
    const incomplete = run(['check', '--suppress', 'MESH0002', '.'], { cwd: t.dir });
    assert.is(incomplete.code, 2);
    assert.match(incomplete.stderr, /MESH1008 --suppress: MESH0002 cannot be suppressed/);
  } finally {
    t.cleanup();
  }
});

test('meshc.dev/ignore annotations: a list of codes or *, unknown codes warned about at the annotation, off with --no-inline-suppress', () => {
  const t = tempTree(ANNOTATED);
  try {
    const r = run(['check', '--format', 'json', 'm'], { cwd: t.dir });
    const out = json(r);
    // web (annotated MESH0012) and api (annotated *) are hidden; db is not annotated.
    assert.equal(out.diagnostics.map((x) => [x.code, x.line, x.column, (x.resource as { name: string } | null)?.name]), [
      ['MESH1009', 7, 23, 'web'],
      ['MESH0012', 37, 9, 'db'],
    ]);
    assert.match(String(out.diagnostics[0]!.message), /^meshc\.dev\/ignore names "MESH9999", which matches no diagnostic code/);
    assert.equal(out.summary, { errors: 1, warnings: 1, infos: 0, files: 1, resources: 3 });
    const strict = json(run(['check', '--format', 'json', '--no-inline-suppress', 'm'], { cwd: t.dir }));
    assert.equal(strict.diagnostics.map((x) => x.code), ['MESH0012', 'MESH0012', 'MESH0012']);
    // The same switch from the configuration file.
    const viaConfig = tempTree({ ...ANNOTATED, '.meshc.yaml': 'apiVersion: meshc.dev/v1alpha1\nkind: Config\nnoInlineSuppress: true\n' });
    try {
      assert.equal(json(run(['check', '--format', 'json', 'm'], { cwd: viaConfig.dir })).diagnostics.map((x) => x.code), ['MESH0012', 'MESH0012', 'MESH0012']);
    } finally {
      viaConfig.cleanup();
    }
    // MESH1009 can itself be suppressed.
    assert.equal(json(run(['check', '--format', 'json', '--suppress', 'MESH1009', 'm'], { cwd: t.dir })).diagnostics.map((x) => x.code), ['MESH0012']);
  } finally {
    t.cleanup();
  }
});

test.run();
