/**
 * `meshc test`: runs the ReachabilityTest documents of the input against the
 * mesh's computed reachability. Failed expectations and invalid tests are
 * diagnostics (MESH07xx) at the line of the case, so they are reported in
 * every output format with the same exit codes as `meshc check`.
 */
import { keyOf } from '../core/types.ts';
import { catalogMessage, findCatalogEntry, type CatalogMessage } from '../core/catalog/index.ts';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic, ResourceRef, SourceRange } from '../core/types.ts';
import type { LoadedMesh } from '../pipeline/check.ts';
import { computeReachability } from '../reach/index.ts';
import { nearNamesHint, ReachQuery, type QueryProblem, type ViaStep } from '../reach/query.ts';
import type { Target } from '../envoy/translate/ir.ts';
import { egressReach } from '../reach/egress.ts';
import { describeRequest } from '../reach/request.ts';
import { editDistance } from '../core/suggest.ts';
import { parseTestDocument, TEST_KIND, type TestCase } from './parse.ts';

export { TEST_API_VERSION, TEST_KIND } from './parse.ts';
export type { TestCase, TestDocument } from './parse.ts';

export interface CaseResult {
  document: string;
  case: string;
  file: string;
  line: number;
  expected: 'allow' | 'deny';
  /** null when the case could not run (unknown names). */
  actual: 'allow' | 'deny' | null;
  passed: boolean;
  reason: string;
}

export interface PolicyTestResult {
  results: CaseResult[];
  documents: number;
  /** Cases that could not run because they are invalid. */
  invalidCases: number;
  diagnostics: Diagnostic[];
}

const MAX_RELATED = 12;

/** The finding for a name (or port) of a case that the mesh does not have. */
function caseNameProblem(name: string, p: QueryProblem): CatalogMessage {
  switch (p.kind) {
    case 'invalid-identity': return catalogMessage('MESH0711', { case: name, from: p.from, value: p.value, what: p.what, fault: p.fault });
    case 'unknown-identity': return catalogMessage('MESH0710', { case: name, from: p.from, hint: nearNamesHint(p.near) });
    case 'unknown-service': return catalogMessage('MESH0703', { case: name, to: p.to, hint: nearNamesHint(p.near) });
    case 'unknown-port': return catalogMessage('MESH0713', { case: name, to: p.to, port: p.port, ports: p.ports });
    case 'no-ports': return catalogMessage('MESH0714', { case: name, to: p.to });
  }
}

export function runPolicyTests(loaded: LoadedMesh, paths: string[], target: Target = 'envoy'): PolicyTestResult {
  const sink = new DiagnosticSink();
  const results: CaseResult[] = [];
  // A misspelt kind would silently drop its tests: report meshc.dev documents whose kind is close to ReachabilityTest.
  for (const e of loaded.mesh.extra) {
    if (e.kind === TEST_KIND || !e.apiVersion.startsWith('meshc.dev/') || editDistance(e.kind.toLowerCase(), TEST_KIND.toLowerCase(), 3) > 3) continue;
    const meta = (e.value.metadata ?? {}) as Record<string, unknown>;
    sink.report('MESH0721', { kind: JSON.stringify(e.kind), apiVersion: e.apiVersion },
      loaded.sources.locate(e.origin, ['kind']), { apiVersion: e.apiVersion, kind: e.kind, namespace: typeof meta.namespace === 'string' ? meta.namespace : loaded.config.namespace, name: typeof meta.name === 'string' ? meta.name : '' });
  }
  const docs = loaded.mesh.extra.filter((e) => e.kind === TEST_KIND);
  if (docs.length === 0) {
    // An unreadable path (MESH0002) is the cause to lead with: "no tests found" in what could not be read says nothing.
    const unread = loaded.diagnostics.some((d) => findCatalogEntry(d.code)?.incomplete);
    if (sink.items.length === 0 && !unread) sink.report('MESH0704', { paths: paths.join(', ') }, null);
    return { results, documents: 0, invalidCases: 0, diagnostics: sink.items };
  }
  const reach = computeReachability(loaded.mesh, loaded.index, loaded.config);
  // Answered as `meshc why` answers (the same cluster domain and data plane).
  const query = new ReachQuery(reach, loaded.index, loaded.config.clusterDomain, target);
  let invalidCases = 0;
  for (const raw of docs) {
    const { doc, problems } = parseTestDocument(raw.value, raw.origin, loaded.config.namespace);
    const meta = (raw.value.metadata ?? {}) as Record<string, unknown>;
    const ref: ResourceRef = {
      apiVersion: raw.apiVersion, kind: raw.kind,
      namespace: doc?.namespace ?? (typeof meta.namespace === 'string' ? meta.namespace : loaded.config.namespace),
      name: typeof meta.name === 'string' ? meta.name : '',
    };
    for (const p of problems) sink.report(p.code, p.args, loaded.sources.locate(raw.origin, p.path, { key: p.key }), ref);
    if (!doc) {
      // The whole document is unusable: its cases (when they can be counted) all fail.
      const cases = (raw.value.spec as { cases?: unknown } | undefined)?.cases;
      if (Array.isArray(cases)) invalidCases += cases.length;
      continue;
    }
    invalidCases += doc.invalidCases;
    for (const c of doc.cases) {
      const range = loaded.sources.locate(raw.origin, ['spec', 'cases', c.index]);
      const base = { document: keyOf(doc), case: c.name, file: range.file, line: range.line, expected: c.expect };
      if (c.external) {
        const problem = query.fromProblem(c.from);
        if (problem) {
          const { code, args } = caseNameProblem(c.name, problem);
          sink.report(code, args, loaded.sources.locate(raw.origin, ['spec', 'cases', c.index, 'from']), ref);
          results.push({ ...base, actual: null, passed: false, reason: problem.message });
          continue;
        }
        const where = `${c.external.host}:${c.external.port}`;
        const e = target === 'grpc'
          // compile --target grpc writes no egress (src/envoy/translate/ir-builder/egress.ts).
          ? { allowed: false, reason: `${c.from} → ${where}: meshc compiles no egress for proxyless gRPC clients, so they reach nothing outside the mesh`, via: [] }
          : egressReach(loaded.mesh, loaded.index, loaded.config, c.from, c.external, c.request);
        record(c, base, e, where, range, ref);
        continue;
      }
      const answer = query.why({ from: c.from, to: c.to, port: c.port, request: c.request });
      if (!answer.ok) {
        // Each problem at the field that holds the wrong name (or port).
        for (const p of answer.problems) {
          const field = p.field === 'port' ? c.portField ?? 'to' : p.field;
          const { code, args } = caseNameProblem(c.name, p);
          sink.report(code, args, loaded.sources.locate(raw.origin, ['spec', 'cases', c.index, field]), ref);
        }
        results.push({ ...base, actual: null, passed: false, reason: answer.error });
        continue;
      }
      record(c, base, answer.answer, `${c.to}:${answer.answer.port}`, range, ref);
    }
  }
  /** Records a case's answer; a failed expectation is MESH0701 with the resources that decided it. */
  function record(c: TestCase, base: Omit<CaseResult, 'actual' | 'passed' | 'reason'>, a: { allowed: boolean; reason: string; via: ViaStep[] }, to: string, range: SourceRange, ref: ResourceRef): void {
    const actual = a.allowed ? 'allow' : 'deny';
    const passed = actual === c.expect;
    results.push({ ...base, actual, passed, reason: a.reason });
    if (passed) return;
    const related = a.via.slice(0, MAX_RELATED).map((v) => ({
      message: `${v.kind} ${v.namespace}/${v.name}: ${v.note}`,
      range: loaded.sources.locate(v.origin, v.path),
    }));
    sink.report('MESH0701', {
      case: c.name, from: c.from, to, request: describeRequest(c.request),
      expected: word(c.expect), actual: word(actual), reason: a.reason,
    }, range, ref, { related });
  }
  return { results, documents: docs.length, invalidCases, diagnostics: sink.items };
}

const word = (v: 'allow' | 'deny') => (v === 'allow' ? 'allowed' : 'denied');

/**
 * Counts for the summary line: cases that ran and passed, ran and failed, and could not run (invalid, or naming an
 * identity, service or port the mesh does not have: each has its own finding).
 */
export function casesOf(result: PolicyTestResult): { total: number; passed: number; failed: number; notRun: number } {
  const passed = result.results.filter((r) => r.passed).length;
  const notRun = result.invalidCases + result.results.filter((r) => r.actual === null).length;
  const total = result.results.length + result.invalidCases;
  return { total, passed, failed: total - passed - notRun, notRun };
}
