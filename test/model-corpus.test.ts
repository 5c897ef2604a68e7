/**
 * Every real manifest of test/corpus through loader, schema stage and model
 * builder, one file at a time:
 * - files the corpus README calls valid (or only odd) give no errors;
 * - the broken ones give the expected errors at the right line and column;
 * - the SMI prose examples that omit apiVersion are errors as written; a copy
 *   with the apiVersion of their document added loads cleanly;
 * - the resulting model of each file is compared with a reviewed golden file
 *   (test/golden/model-corpus/, refresh with MESHC_UPDATE_GOLDEN=1).
 * The conformance steps are read as the suite applies them, with their
 * `<NAMESPACE>` placeholder filled in (as written, it is no namespace name:
 * MESH0120, checked below).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mesh } from '../src/model/types.ts';
import { modelOf, type Modelled } from './helpers/model.ts';
import { withApiVersion } from './helpers/corpus.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, 'test/corpus');
const GOLDEN = join(ROOT, 'test/golden/model-corpus');
const UPDATE = process.env.MESHC_UPDATE_GOLDEN === '1';

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.ya?ml$/.test(name)) out.push(relative(CORPUS, full));
  }
  return out;
}

/** Errors expected in the files the corpus README lists as broken (line:col of each). */
const BROKEN: Record<string, string[]> = {
  'smi-spec/traffic-specs/v1alpha1/02-httproutegroup-everything.yaml': ['MESH0103 1:13'],
  'smi-conformance/traffic-spec/03-install.yaml': ['MESH0108 6:1', 'MESH0109 21:5'],
  'smi-conformance/traffic-spec/03-assert.yaml': ['MESH0108 6:1', 'MESH0109 21:5'],
  'smi-conformance/traffic-spec/05-install.yaml': ['MESH0109 23:5'],
  'smi-conformance/traffic-spec/05-assert.yaml': ['MESH0109 23:5'],
  'smi-controller-sdk/samples/specs_v1alpha4_httproutegroup.yaml': ['MESH0111 12:16'],
  'smi-controller-sdk/samples/specs_v1alpha4_udproute.yaml': ['MESH0110 5:1', 'MESH0109 7:3'],
  'smi-controller-sdk/samples/specs_v1alpha4_tcproute.yaml': ['MESH0003 1:13', 'MESH0003 2:8', 'MESH0003 5:1'],
  'osm-demo/docs-tcp-traffic-routing-01-tcproute-and-traffictarget.yaml': [
    // The second document does not parse (lost indentation); the first parses into the wrong shape.
    'MESH0003 24:9', 'MESH0003 25:11', 'MESH0003 28:9', 'MESH0109 5:1', 'MESH0109 6:1', 'MESH0109 8:1', 'MESH0111 4:10', 'MESH0111 7:6',
  ],
};

/** Errors of the apiVersion-less prose examples once the apiVersion of their document is added. */
const BROKEN_WITH_API_VERSION: Record<string, string[]> = {
  // The A/B example's HTTPRouteGroup keeps `matches` at the top level (specs v1alpha1/v1alpha2 layout).
  'smi-spec/traffic-split/v1alpha3/02-trafficsplit-ab-test-and-httproutegroup.yaml': ['MESH0108 18:1'],
  'smi-spec/traffic-split/v1alpha4/02-trafficsplit-ab-test-and-httproutegroup.yaml': ['MESH0108 18:1'],
  // The draft v1alpha4 prose writes `group` on subjects; no CRD has it.
  'smi-spec/traffic-access/v1alpha4/03-traffictarget-path-specific.yaml': ['MESH0109 9:5', 'MESH0109 21:5'],
  'smi-spec/traffic-access/v1alpha4/04-tcproute-httproutegroup-and-traffictargets-api-service.yaml': [
    'MESH0109 28:5', 'MESH0109 40:5', 'MESH0109 51:5', 'MESH0109 63:5', 'MESH0109 67:5',
  ],
  'smi-spec/traffic-access/v1alpha4/05-tcproute-udproute-and-traffictarget-protocal-specific.yaml': ['MESH0109 26:5', 'MESH0109 36:5'],
};

const NOT_KUBERNETES = (file: string) => file.startsWith('envoy-examples/');

const codes = (m: Modelled) => m.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.range!.line}:${d.range!.column}`);

function summary(m: Modelled, line: (l: number) => number = (l) => l) {
  const mesh: Partial<Mesh> = {};
  for (const [k, v] of Object.entries(m.mesh) as [keyof Mesh, unknown[]][]) if (v.length > 0) (mesh as Record<string, unknown>)[k] = v;
  return {
    diagnostics: m.diagnostics.map((d) => `${d.range ? `${line(d.range.line)}:${d.range.column} ` : ''}${d.severity} ${d.code} ${d.message}`),
    mesh,
  };
}

/** Reviewable JSON: lists of scalars (and of such lists, e.g. paths) and short flat objects stay on one line. */
function compactJson(value: unknown, indent = ''): string {
  const flat = (v: unknown): boolean => v === null || typeof v !== 'object' || (Array.isArray(v) && v.every(flat));
  if (flat(value)) return JSON.stringify(value);
  if (!Array.isArray(value) && Object.values(value as object).every(flat)) {
    const line = JSON.stringify(value);
    if (line.length <= 120) return line;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + compactJson(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

function golden(name: string, value: unknown): void {
  const file = join(GOLDEN, `${name}.json`);
  const text = `${compactJson(value)}\n`;
  if (UPDATE || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.fixture(text, readFileSync(file, 'utf8'), `golden ${name}.json (MESHC_UPDATE_GOLDEN=1 to refresh)`);
}

const files = walk(CORPUS).filter((f) => !NOT_KUBERNETES(f));

/** The conformance steps as the suite applies them: in a namespace it creates (the README's note on `<NAMESPACE>`). */
const asApplied = (file: string, text: string): string =>
  (file.startsWith('smi-conformance/') ? text.replaceAll('<NAMESPACE>', 'conformance') : text);

test('the corpus is there', () => {
  assert.ok(files.length > 100, `${files.length} files`);
});

for (const file of files) {
  test(`corpus ${file}`, () => {
    const text = asApplied(file, readFileSync(join(CORPUS, file), 'utf8'));
    const m = modelOf(text, {}, file);
    const copy = withApiVersion(file, text);
    if (copy) {
      // As written: every document without apiVersion is an error, nothing else is.
      assert.ok(m.diagnostics.some((d) => d.code === 'MESH0100'), 'documents without apiVersion are errors');
      assert.equal(codes(m).filter((c) => !c.startsWith('MESH0100 ')), BROKEN[file] ?? []);
      const fixed = modelOf(copy.text, {}, file);
      const original = fixed.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${copy.originalLine(d.range!.line)}:${d.range!.column}`);
      assert.equal(original, BROKEN_WITH_API_VERSION[file] ?? [], 'with the apiVersion of its document added (lines of the original file)');
      golden(`${file}.with-api-version`, summary(fixed, copy.originalLine)); // positions: lines of the original file
    } else {
      assert.equal(codes(m), BROKEN[file] ?? []);
    }
    golden(file, summary(m));
  });
}

// Spot checks of what the goldens hold, so the intent is visible here too.
const load = (file: string) => modelOf(asApplied(file, readFileSync(join(CORPUS, file), 'utf8')), {}, file);

test('the conformance steps as written: every metadata.namespace <NAMESPACE> is MESH0120, as the API server would refuse it', () => {
  const file = 'smi-conformance/traffic-access/04-install.yaml';
  const text = readFileSync(join(CORPUS, file), 'utf8');
  const m = modelOf(text, {}, file);
  const lines = text.split('\n').flatMap((l, i) => (/^ {2}namespace: <NAMESPACE>$/.test(l) ? [`MESH0120 ${i + 1}:14`] : []));
  assert.ok(lines.length >= 2);
  assert.equal(codes(m), lines);
  assert.match(m.diagnostics[0]!.message, 'metadata.namespace "<NAMESPACE>" is not a valid namespace name (it has uppercase letters)');
});

test('spot check: v1alpha1 TrafficTarget sample keeps its port as a synthesised TCPRoute rule', () => {
  const m = load('smi-controller-sdk/samples/access_v1alpha1_traffictarget.yaml');
  assert.equal(m.mesh.trafficTargets[0]!.rules, [
    { kind: 'HTTPRouteGroup', name: 'the-routes', matches: ['metrics'] },
    { kind: 'TCPRoute', name: 'path-specific:port-8080' },
  ]);
  assert.equal(m.mesh.tcpRoutes.map((r) => [r.meta.name, r.ports, r.synthesizedFrom?.name]), [['path-specific:port-8080', [8080], 'path-specific']]);
});

test('spot check: v1alpha1 rollout {1, 500m} is 1000:500 milli-units', () => {
  const split = load('smi-spec/traffic-split/v1alpha1/05-trafficsplit-foobar-rollout-partial.yaml').mesh.trafficSplits[0]!;
  assert.equal(split.backends.map((b) => b.weight), [1000, 500]);
  assert.is(split.weightUnit, 'milli');
});

test('spot check: OSM list-form headers and the conformance TCPRoute with ports: []', () => {
  const groups = load('osm-demo/access-traffic-access-v1.yaml').mesh.httpRouteGroups;
  assert.equal(groups[0]!.matches[0]!.headers, [{ name: 'user-agent', value: '.*-http-client/*.*' }, { name: 'client-app', value: 'bookbuyer' }]);
  const access = load('smi-conformance/traffic-access/04-install.yaml').mesh;
  assert.equal(access.tcpRoutes.map((r) => [r.meta.namespace, r.meta.name, r.ports]), [['conformance', 'service-tcp-route', []]]);
  assert.equal(access.trafficTargets[0]!.destination, { kind: 'ServiceAccount', name: 'service-b', namespace: 'conformance', namespaceExplicit: true });
});

test.run();
