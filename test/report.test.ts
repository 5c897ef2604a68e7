import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvModule from 'ajv';
import type { Diagnostic, SourceRange } from '../src/core/types.ts';
import { allCatalogEntries } from '../src/core/catalog/index.ts';
import { renderJson } from '../src/report/json.ts';
import { escapeData, escapeProperty, renderGithub } from '../src/report/github.ts';
import { SARIF_MAX_RESULTS, renderSarif } from '../src/report/sarif.ts';
import { renderSummary, renderText } from '../src/report/text.ts';
import { useColor } from '../src/report/color.ts';
import { summaryOf } from '../src/report/describe.ts';
import { summarize, type Report, type RenderContext } from '../src/report/types.ts';

const require = createRequire(import.meta.url);
// ajv is CommonJS with a default export; under NodeNext the class is on .default.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule.default;

const at = (file: string, line: number, column: number, endLine = line, endColumn = column + 3): SourceRange => ({ file, line, column, endLine, endColumn });
const svc = { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' };

function diag(code: string, severity: Diagnostic['severity'], message: string, range: SourceRange | null, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity, message, range, resource: null, ...extra };
}

const SAMPLE: Diagnostic[] = [
  diag('MESH1001', 'error', 'no file for this one', null),
  diag('MESH0003', 'error', 'YAML syntax error: bad, very: bad', at('manifests/a b,c:d.yaml', 3, 5, 3, 9)),
  diag('MESH0012', 'error', 'Service shop/web is defined twice', at('manifests/svc.yaml', 10, 9, 10, 12), {
    resource: svc, related: [{ message: 'first definition', range: at('manifests/svc.yaml', 4, 9, 4, 12) }],
  }),
  diag('MESH0006', 'info', 'file contains no YAML documents', at('empty.yaml', 1, 1, 1, 1)),
  diag('MESH0011', 'warning', '100% of\nlines\r\nbroken', at('<stdin>', 2, 1, 4, 2)),
];

function report(diagnostics = SAMPLE, complete = true): Report {
  return { diagnostics, summary: summarize(diagnostics, 4, 7), suppressed: 2, complete };
}

const CTX: RenderContext = { cwd: '/repo/sub', rootDir: '/repo', color: false, toolVersion: '9.8.7' };

test('json: exactly the documented shape, nulls for a finding without a file', () => {
  const out = JSON.parse(renderJson(report()));
  assert.equal(Object.keys(out), ['diagnostics', 'summary']);
  assert.equal(out.summary, { errors: 3, warnings: 1, infos: 1, files: 4, resources: 7 });
  for (const d of out.diagnostics) {
    assert.equal(Object.keys(d), ['code', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'resource']);
  }
  assert.equal(out.diagnostics[0], { code: 'MESH1001', severity: 'error', message: 'no file for this one', file: null, line: null, column: null, endLine: null, endColumn: null, resource: null });
  assert.equal(out.diagnostics[2], {
    code: 'MESH0012', severity: 'error', message: 'Service shop/web is defined twice', file: 'manifests/svc.yaml',
    line: 10, column: 9, endLine: 10, endColumn: 12, resource: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' },
  });
});

test('text: GNU file:line:col lines with the rule name; "meshc" where there is no file', () => {
  const lines = renderText(report(), false).split('\n');
  assert.is(lines[0], 'meshc: error MESH1001 no file for this one [unknown-code]');
  assert.is(lines[2], 'manifests/svc.yaml:10:9: error MESH0012 Service shop/web is defined twice [duplicate-resource]');
  assert.is(lines[3], 'empty.yaml:1:1: info MESH0006 file contains no YAML documents [empty-file]');
  assert.is(lines[4], '<stdin>:2:1: warning MESH0011 100% of\\nlines\\r\\nbroken [symlink-loop]');
  assert.is(lines.length, SAMPLE.length + 1);
  const sneaky = renderText(report([diag('MESH0003', 'error', 'x\u001b[2Jy', at('a\u0007.yaml', 1, 1))]), false);
  assert.is(sneaky, 'a\\u0007.yaml:1:1: error MESH0003 x\\u001b[2Jy [yaml-syntax]\n');
  // A C1 control (the 8-bit CSI) and the bidirectional overrides of a "Trojan Source" name are escaped too.
  const reordered = renderText(report([diag('MESH0003', 'error', 'name \u202eabc\u202c \u009b2J \u2066x\u2069', at('b.yaml', 1, 1))]), false);
  assert.is(reordered, 'b.yaml:1:1: error MESH0003 name \\u202eabc\\u202c \\u009b2J \\u2066x\\u2069 [yaml-syntax]\n');
  assert.not.match(renderText(report(), false), /\u001b\[/);
  assert.match(renderText(report(), true), /\u001b\[31m/);
});

test('summary line: counts, plurals, suppressed', () => {
  assert.is(renderSummary(report().summary, 2, false), '3 errors, 1 warning, 1 info in 4 files (7 resources); 2 suppressed\n');
  assert.is(renderSummary(summarize([], 1, 1), 0, false), '0 errors, 0 warnings, 0 infos in 1 file (1 resource)\n');
});

test('colour decision: FORCE_COLOR, then NO_COLOR, then TERM=dumb, then TTY', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  assert.is(useColor(tty, {}), true);
  assert.is(useColor(pipe, {}), false);
  assert.is(useColor(tty, { NO_COLOR: '1' }), false);
  assert.is(useColor(tty, { NO_COLOR: '' }), true);
  assert.is(useColor(tty, { TERM: 'dumb' }), false);
  assert.is(useColor(pipe, { FORCE_COLOR: '1' }), true);
  assert.is(useColor(pipe, { FORCE_COLOR: '' }), true);
  assert.is(useColor(tty, { FORCE_COLOR: '0' }), false);
  assert.is(useColor(tty, { FORCE_COLOR: 'false' }), false);
  assert.is(useColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), true);
});

test('github: workflow commands with GitHub\'s escaping; notice for info; no file properties without a range', () => {
  assert.is(escapeData('a%b\r\nc'), 'a%25b%0D%0Ac');
  assert.is(escapeProperty('a,b:c%d\n'), 'a%2Cb%3Ac%25d%0A');
  const lines = renderGithub(report()).trimEnd().split('\n');
  assert.is(lines.length, SAMPLE.length);
  assert.is(lines[0], '::error title=MESH1001::no file for this one');
  assert.is(lines[1], '::error file=manifests/a b%2Cc%3Ad.yaml,line=3,endLine=3,col=5,endColumn=9,title=MESH0003::YAML syntax error: bad, very: bad');
  assert.is(lines[3], '::notice file=empty.yaml,line=1,endLine=1,col=1,endColumn=1,title=MESH0006::file contains no YAML documents');
  assert.is(lines[4], '::warning file=<stdin>,line=2,endLine=4,col=1,endColumn=2,title=MESH0011::100%25 of%0Alines%0D%0Abroken');
  // Relative to the repository root when meshc runs in a subdirectory.
  const fromSub = renderGithub(report(), CTX).split('\n');
  assert.match(fromSub[2]!, /^::error file=sub\/manifests\/svc\.yaml,line=10,/);
  assert.match(fromSub[4]!, /^::warning file=<stdin>,/);
});

/** The SARIF 2.1.0 schema (draft-04) shipped by @microsoft/jest-sarif, compiled with ajv 8. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  // draft-04 → ajv 8: the only draft-04-specific keyword the schema uses is its top-level `id`.
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }); // the schema has a pattern that is invalid with the u flag
  ajv.addFormat('uri', (s: string) => { try { new URL(s); return true; } catch { return false; } });
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s) && (() => { try { new URL(s, 'file:///base/'); return true; } catch { return false; } })());
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

function emptyObjects(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyObjects(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [path];
    return entries.flatMap(([k, v]) => emptyObjects(v, `${path}.${k}`));
  }
  return [];
}

test('sarif: valid against the SARIF 2.1.0 schema, no empty objects', () => {
  const validate = sarifValidator();
  for (const r of [report(), report([]), report(SAMPLE, false)]) {
    const log = JSON.parse(renderSarif(r, CTX));
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
    assert.equal(emptyObjects(log), []);
  }
  // The validator is not vacuous.
  assert.is(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
  assert.is(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] }), false);
});

test('sarif: what GitHub code scanning needs', () => {
  const log = JSON.parse(renderSarif(report(), CTX));
  assert.is(log.version, '2.1.0');
  assert.is(log.runs.length, 1);
  const run = log.runs[0];
  assert.is(run.tool.driver.name, 'meshc');
  assert.is(run.tool.driver.version, '9.8.7');
  // Rules: one per code reported, sorted, with the fields GitHub shows.
  assert.equal(run.tool.driver.rules.map((r: { id: string }) => r.id), ['MESH0003', 'MESH0006', 'MESH0011', 'MESH0012', 'MESH1001']);
  const r0 = run.tool.driver.rules[0];
  assert.is(r0.name, 'yaml-syntax');
  assert.is(r0.shortDescription.text, 'The file is not valid YAML (or JSON).');
  assert.match(r0.fullDescription.text, /position points at the place the parser stopped/);
  assert.match(r0.help.text, /meshc explain MESH0003/);
  assert.is(r0.defaultConfiguration.level, 'error');
  assert.is(run.tool.driver.rules[1].defaultConfiguration.level, 'note');
  // Results: ruleId = code, ruleIndex consistent, level mapped.
  assert.is(run.results.length, SAMPLE.length);
  for (const res of run.results) assert.is(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
  assert.equal(run.results.map((r: { level: string }) => r.level), ['error', 'error', 'error', 'note', 'warning']);
  // Real regions, URIs relative to the repository root (cwd is /repo/sub), percent-encoded.
  const loc = run.results[1].locations[0].physicalLocation;
  assert.equal(loc.artifactLocation, { uri: 'sub/manifests/a%20b%2Cc%3Ad.yaml', uriBaseId: '%SRCROOT%' });
  assert.equal(loc.region, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 9 });
  assert.equal(run.originalUriBaseIds['%SRCROOT%'], { uri: 'file:///repo/' });
  // A whole-file finding (empty range): start only, read as "to the end of the line".
  assert.equal(run.results[3].locations[0].physicalLocation.region, { startLine: 1, startColumn: 1 });
  // A finding without a file has no location at all (rather than an invented one).
  assert.is(run.results[0].locations, undefined);
  // Resource as a logical location; related locations from Diagnostic.related.
  assert.equal(run.results[2].locations[0].logicalLocations, [{ name: 'web', fullyQualifiedName: 'Service/shop/web', kind: 'resource' }]);
  assert.equal(run.results[2].relatedLocations, [{
    id: 1,
    physicalLocation: { artifactLocation: { uri: 'sub/manifests/svc.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 9, endLine: 4, endColumn: 12 } },
    message: { text: 'first definition' },
  }]);
  assert.is(run.results[2].relatedLocations[0].physicalLocation.region.startLine, 4);
  // The invocation.
  assert.equal(run.invocations, [{ executionSuccessful: true, workingDirectory: { uri: 'file:///repo/sub/' } }]);
  assert.is(JSON.parse(renderSarif(report(SAMPLE, false), CTX)).runs[0].invocations[0].executionSuccessful, false);
  // A clean run still lists an (empty) results array, so GitHub closes fixed alerts.
  assert.equal(JSON.parse(renderSarif(report([]), CTX)).runs[0].results, []);
});

test('sarif: a file outside the repository gets an absolute file URI', () => {
  const log = JSON.parse(renderSarif(report([diag('MESH0003', 'error', 'x', at('../../elsewhere/x.yaml', 1, 1))]), CTX));
  assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'file:///elsewhere/x.yaml' });
});

test('sarif: at most 25,000 results per run, the most severe kept, and a notification says so', () => {
  const many: Diagnostic[] = [];
  for (let i = 0; i < SARIF_MAX_RESULTS; i++) many.push(diag('MESH0006', 'info', `info ${i}`, at('a.yaml', i + 1, 1)));
  for (let i = 0; i < 10; i++) many.push(diag('MESH0003', 'error', `error ${i}`, at('b.yaml', i + 1, 1)));
  many.push(diag('MESH0011', 'warning', 'warn', at('c.yaml', 1, 1)));
  const log = JSON.parse(renderSarif(report(many), CTX));
  const results = log.runs[0].results;
  assert.is(results.length, SARIF_MAX_RESULTS);
  assert.is(results.filter((r: { level: string }) => r.level === 'error').length, 10);
  assert.is(results.filter((r: { level: string }) => r.level === 'warning').length, 1);
  // Report order is kept among the survivors: the infos first (as given), the last 11 infos dropped.
  assert.is(results[0].message.text, 'info 0');
  assert.is(results[SARIF_MAX_RESULTS - 12].message.text, `info ${SARIF_MAX_RESULTS - 12}`);
  const note = log.runs[0].invocations[0].toolExecutionNotifications;
  assert.is(note.length, 1);
  assert.match(note[0].message.text, /^11 results were left out/);
});

test('every catalogue entry has a one-sentence summary', () => {
  for (const e of allCatalogEntries()) {
    const s = summaryOf(e);
    assert.ok(s.length > 0 && s.length <= e.doc.length, e.code);
    assert.ok(/[.!?]$/.test(s) || s === e.doc.replace(/\s+/g, ' ').trim(), `${e.code}: ${s}`);
  }
});

test.run();
