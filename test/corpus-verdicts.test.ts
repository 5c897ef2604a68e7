/**
 * Every real manifest of test/corpus through the whole `meshc check` (load, schema, model and the lint
 * rules), each with the verdict test/corpus/README.md gives it:
 * - "do not parse as YAML": MESH0003 at the line the parser stops;
 * - "invalid for their declared API version, inconsistent with their own test, or described as invalid by
 *   their own document": flagged at the right line (the table below);
 * - every other file, valid or only "unusual": no error.
 * Each file is checked on its own, as a user checking one file would. The files are excerpts of bigger
 * meshes, so what they refer to but do not define is assumed to exist (--assume-external '*\/*\/*').
 * The conformance steps are checked as the suite applies them, with its `<NAMESPACE>` placeholder filled in.
 * The SMI prose examples that omit apiVersion are errors as written (MESH0100: meshc does not guess the
 * version) and are checked again with the apiVersion of their document added.
 * Last, the built CLI over the whole corpus agrees with the per-file verdicts, in every format.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../src/index.ts';
import type { Diagnostic } from '../src/core/types.ts';
import { CORPUS, corpusFiles, corpusVerdicts, withApiVersion } from './helpers/corpus.ts';
import { runCli } from './helpers/cli.ts';

const EXTERNAL = { assumeExternal: ['*/*/*'] };
const verdicts = corpusVerdicts();
const files = corpusFiles(/\.(ya?ml|json)$/);
const NOT_KUBERNETES = (file: string) => file.startsWith('envoy-examples/');

/** Errors and warnings as "severity CODE line:col". */
const flagged = (ds: Diagnostic[], line: (l: number) => number = (l) => l) =>
  ds.filter((d) => d.severity !== 'info').map((d) => `${d.severity} ${d.code} ${d.range ? `${line(d.range.line)}:${d.range.column}` : '-'}`);

/** What `meshc check FILE` (with what the file refers to assumed external) flags in the files the README calls broken. */
const BROKEN: Record<string, string[]> = {
  // apiVersion: v1alpha1, without the API group.
  'smi-spec/traffic-specs/v1alpha1/02-httproutegroup-everything.yaml': ['error MESH0103 1:13'],
  // The self-referential split: a backend equal to the root (discouraged, not invalid: a warning).
  'smi-spec/traffic-split/v1alpha1/07-trafficsplit-my-split-self-referential.yaml': ['warning MESH0407 10:14'],
  'smi-spec/traffic-split/v1alpha2/07-trafficsplit-my-split-self-referential.yaml': ['warning MESH0407 10:14'],
  // The conformance suite: top-level matches in v1alpha4, destination.port in v1alpha3, a header typed as a number.
  'smi-conformance/traffic-spec/03-install.yaml': ['error MESH0108 6:1', 'error MESH0109 21:5'],
  'smi-conformance/traffic-spec/03-assert.yaml': ['error MESH0108 6:1', 'error MESH0109 21:5'],
  'smi-conformance/traffic-spec/05-install.yaml': ['error MESH0109 23:5'],
  'smi-conformance/traffic-spec/05-assert.yaml': ['error MESH0109 23:5'],
  'smi-controller-sdk/samples/specs_v1alpha4_httproutegroup.yaml': ['error MESH0111 12:16'],
};

/**
 * Flagged with an info only: the SMI Istio adapter's "1000-500" rollout, written 1 and 500 (a v1alpha1
 * `1` = 1000m left unconverted next to `500m` → 500), which its expected output reads as 67/33.
 */
const BROKEN_INFO: Record<string, string[]> = {
  'smi-adapter-istio/04-traffic-split-1000-500.yaml': ['info MESH0417 9:13'],
};

/** The same for the apiVersion-less prose examples once the apiVersion of their document is added (lines of the original). */
const BROKEN_WITH_API_VERSION: Record<string, string[]> = {
  'smi-spec/traffic-split/v1alpha3/02-trafficsplit-ab-test-and-httproutegroup.yaml': ['error MESH0108 18:1'],
  'smi-spec/traffic-split/v1alpha4/02-trafficsplit-ab-test-and-httproutegroup.yaml': ['error MESH0108 18:1'],
  'smi-spec/traffic-split/v1alpha3/08-trafficsplit-my-split-self-referential.yaml': ['warning MESH0407 9:14'],
  'smi-spec/traffic-split/v1alpha4/08-trafficsplit-my-split-self-referential.yaml': ['warning MESH0407 9:14'],
};

/**
 * Files the README calls valid or only unusual that meshc rejects on purpose: unknown fields are errors
 * (an API server would prune them silently), see docs/smi-choices.md.
 */
const STRICTER: Record<string, string[]> = {
  // The scaffold placeholder `spec.foo: bar` and no `matches` (smi-choices 22).
  'smi-controller-sdk/samples/specs_v1alpha4_udproute.yaml': ['error MESH0110 5:1', 'error MESH0109 7:3'],
};
/** The same, for apiVersion-less prose examples with the apiVersion of their document added: the draft subject `group` (smi-choices 21). */
const STRICTER_WITH_API_VERSION: Record<string, string[]> = {
  'smi-spec/traffic-access/v1alpha4/03-traffictarget-path-specific.yaml': ['error MESH0109 9:5', 'error MESH0109 21:5'],
  'smi-spec/traffic-access/v1alpha4/04-tcproute-httproutegroup-and-traffictargets-api-service.yaml': [
    'error MESH0109 28:5', 'error MESH0109 40:5', 'error MESH0109 51:5', 'error MESH0109 63:5', 'error MESH0109 67:5',
  ],
  'smi-spec/traffic-access/v1alpha4/05-tcproute-udproute-and-traffictarget-protocal-specific.yaml': ['error MESH0109 26:5', 'error MESH0109 36:5'],
};

/**
 * Services that are only invalid under a split: the spec's birds example, whose blue-birds backend lacks
 * the root's port 8080. Checked with the split of the spec's prose (given on standard input).
 */
const MISMATCHED_PORTS: Record<string, string> = {
  'smi-spec/traffic-split/v1alpha1/03-services-birds-mismatched-ports.yaml': 'v1alpha1',
  'smi-spec/traffic-split/v1alpha2/03-services-birds-mismatched-ports.yaml': 'v1alpha2',
  'smi-spec/traffic-split/v1alpha3/04-services-birds-mismatched-ports.yaml': 'v1alpha3',
  'smi-spec/traffic-split/v1alpha4/04-services-birds-mismatched-ports.yaml': 'v1alpha4',
};
const birdsSplit = (version: string) => Buffer.from(`apiVersion: split.smi-spec.io/${version}
kind: TrafficSplit
metadata:
  name: birds
spec:
  service: birds
  backends:
  - service: blue-birds
    weight: 1
  - service: green-birds
    weight: 1
`);

/** Files the README calls broken, each with its expected findings in one of the tables above. */
const broken = new Set([...Object.keys(BROKEN), ...Object.keys(BROKEN_INFO), ...Object.keys(BROKEN_WITH_API_VERSION), ...Object.keys(MISMATCHED_PORTS)]);

/**
 * The conformance steps are templates: the suite applies them in a namespace it creates, written
 * `<NAMESPACE>` in the files (no valid namespace name). They are checked as the suite applies them.
 */
const asApplied = (file: string): string | undefined =>
  file.startsWith('smi-conformance/') ? readFileSync(join(CORPUS, file), 'utf8').replaceAll('<NAMESPACE>', 'conformance') : undefined;

async function checkFile(file: string) {
  const applied = asApplied(file);
  if (applied !== undefined) return (await check(['-'], { cwd: CORPUS, ...EXTERNAL, readStdin: async () => Buffer.from(applied) })).diagnostics;
  return (await check([file], { cwd: CORPUS, ...EXTERNAL })).diagnostics;
}

test('the README verdicts are read (so a renamed section cannot make this file vacuous)', () => {
  assert.is(verdicts.listed['does-not-parse'].length, 3);
  assert.is(verdicts.listed.invalid.length, 17);
  assert.ok(verdicts.listed.odd.length >= 20);
  assert.ok(verdicts.withoutApiVersion.size >= 50);
  for (const list of Object.values(verdicts.listed)) for (const f of list) assert.ok(files.includes(f), `${f} is listed but not in the corpus`);
  assert.ok(files.length >= 170, `${files.length} files`);
});

for (const file of files) {
  const verdict = verdicts.verdictOf(file);
  test(`${verdict}: ${file}`, async () => {
    const found = await checkFile(file);
    const errors = found.filter((d) => d.severity === 'error');
    if (verdict === 'does-not-parse') {
      assert.ok(errors.some((d) => d.code === 'MESH0003'), 'a YAML syntax error');
      return;
    }
    assert.not.ok(found.some((d) => d.code === 'MESH0003'), 'parses');
    if (NOT_KUBERNETES(file)) {
      // Envoy configuration, not Kubernetes objects: said so, at the document.
      assert.equal([...new Set(errors.map((d) => d.code))], ['MESH0100'], flagged(found).join('\n'));
      return;
    }
    const written = flagged(found);
    if (verdicts.withoutApiVersion.has(file)) {
      // As written: every document without apiVersion is an error, nothing else is.
      assert.ok(written.some((f) => f.startsWith('error MESH0100 ')));
      assert.equal(written.filter((f) => !f.startsWith('error MESH0100 ') && f.startsWith('error')), [], 'no other error as written');
      const copy = withApiVersion(file, readFileSync(join(CORPUS, file), 'utf8'));
      assert.ok(copy, 'the apiVersion of its document is known');
      // draft: the draft warning (MESH0106) would point at the inserted apiVersion line.
      const fixed = (await check(['-'], { cwd: CORPUS, ...EXTERNAL, draft: true, readStdin: async () => Buffer.from(copy.text) })).diagnostics;
      const expected = BROKEN_WITH_API_VERSION[file] ?? STRICTER_WITH_API_VERSION[file];
      if (expected) assert.equal(flagged(fixed, copy.originalLine), expected, 'with the apiVersion of its document added');
      else assert.equal(flagged(fixed, copy.originalLine).filter((f) => f.startsWith('error')), [], 'clean with the apiVersion of its document added');
      if (verdict === 'invalid') assert.ok(broken.has(file), 'an invalid file has its expected findings in this test');
      return;
    }
    if (BROKEN_INFO[file]) {
      assert.equal(written, []);
      assert.equal(found.filter((d) => d.severity === 'info').map((d) => `info ${d.code} ${d.range?.line}:${d.range?.column}`), BROKEN_INFO[file]);
      return;
    }
    if (BROKEN[file] || STRICTER[file]) {
      assert.equal(written, BROKEN[file] ?? STRICTER[file]);
      return;
    }
    assert.equal(errors.map((d) => `${d.code} ${d.range?.line}:${d.range?.column} ${d.message}`), [], 'no error');
    if (verdict === 'invalid') assert.ok(broken.has(file), 'an invalid file has its expected findings in this test');
  });
}

test('the birds Services: matching ports pass under the split, mismatched ports are flagged at the backend', async () => {
  for (const [file, version] of Object.entries(MISMATCHED_PORTS)) {
    const readStdin = async () => birdsSplit(version);
    const matching = file.replace(/\d\d-services-birds-mismatched-ports/, (m) => `${String(Number(m.slice(0, 2)) - 1).padStart(2, '0')}-services-birds-matching-ports`);
    const ok = (await check([matching, '-'], { cwd: CORPUS, readStdin })).diagnostics;
    assert.equal(flagged(ok), [], matching);
    const bad = (await check([file, '-'], { cwd: CORPUS, readStdin })).diagnostics;
    const missing = bad.filter((d) => d.code === 'MESH0414');
    assert.equal(missing.map((d) => `${d.range?.file}:${d.range?.line}:${d.range?.column}`), ['<stdin>:8:14'], file);
    assert.match(missing[0]!.message, /blue-birds/);
    assert.match(missing[0]!.message, /8080/);
    assert.equal(flagged(bad).filter((f) => !f.includes(' MESH0414 ')), [], file);
  }
});

test('every file the README calls invalid is flagged by this test', () => {
  assert.equal(verdicts.listed.invalid.filter((f) => !broken.has(f)), []);
});

test('the built CLI agrees: each broken file flagged at the same places, the whole corpus exits 1 in every format', () => {
  for (const [file, expected] of Object.entries({ ...BROKEN, ...STRICTER })) {
    const applied = asApplied(file);
    const r = runCli(['check', '-q', '--format', 'json', '--assume-external', '*/*/*', applied === undefined ? join('test/corpus', file) : '-'], { input: applied });
    const out = JSON.parse(r.stdout) as { diagnostics: { code: string; severity: string; file: string; line: number; column: number }[] };
    assert.equal(out.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`), expected, file);
    assert.ok(out.diagnostics.every((d) => d.file === (applied === undefined ? `test/corpus/${file}` : '<stdin>')), file);
    assert.is(r.code, expected.some((e) => e.startsWith('error')) ? 1 : 0, file);
  }
  for (const format of ['json', 'text', 'sarif', 'github']) {
    const r = runCli(['check', '-q', '--format', format, 'test/corpus']);
    assert.is(r.code, 1, `${format}: ${r.stderr}`);
    assert.is(r.stderr, '', format);
    if (format === 'json') assert.is(JSON.parse(r.stdout).summary.files, files.length);
  }
});

test.run();
