import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findCatalogEntry } from '../core/catalog/index.ts';
import type { Diagnostic, SourceRange } from '../core/types.ts';
import { SEVERITY_RANK } from '../core/types.ts';
import { summaryOf } from './describe.ts';
import type { RenderContext, Report } from './types.ts';

/**
 * SARIF 2.1.0 for GitHub code scanning (upload with
 * github/codeql-action/upload-sarif). One run; ruleId = the stable code;
 * rules only for the codes reported, with short/full description, help and
 * default level; URIs relative to the repository root (%SRCROOT%, the
 * nearest directory with a .git, else the working directory); real regions
 * (an empty range, as for whole-file findings, gives startLine/startColumn
 * only, which SARIF reads as "to the end of the line"); related locations
 * from Diagnostic.related; at most 25,000 results (GitHub's limit per run:
 * the most severe are kept and a tool notification says how many were left
 * out). No empty objects are written.
 */
export const SARIF_MAX_RESULTS = 25_000;
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const SRCROOT = '%SRCROOT%';

function dirUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function artifactLocation(file: string, ctx: RenderContext): Record<string, unknown> {
  if (file === '<stdin>') return { uri: encodeURIComponent(file), description: { text: 'standard input' } };
  const abs = resolve(ctx.cwd, file);
  const rel = relative(ctx.rootDir ?? ctx.cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(r: SourceRange): Record<string, number> {
  const startLine = Math.max(1, r.line);
  const startColumn = Math.max(1, r.column);
  const endLine = Math.max(startLine, r.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, r.endColumn) : Math.max(1, r.endColumn);
  if (endLine === startLine && endColumn === startColumn) return { startLine, startColumn };
  return { startLine, startColumn, endLine, endColumn };
}

function physicalLocation(r: SourceRange, ctx: RenderContext) {
  return { artifactLocation: artifactLocation(r.file, ctx), region: region(r) };
}

function rule(code: string) {
  const entry = findCatalogEntry(code);
  if (!entry) return { id: code, shortDescription: { text: code }, defaultConfiguration: { level: 'error' } };
  const help = `${entry.doc}\n\nRun \`meshc explain ${entry.code}\` for this text.`;
  return {
    id: entry.code,
    name: entry.name,
    shortDescription: { text: summaryOf(entry) },
    fullDescription: { text: entry.doc },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: LEVEL[entry.severity] },
    properties: { tags: ['meshc', entry.area] },
  };
}

function result(d: Diagnostic, ruleIndex: number, ctx: RenderContext) {
  const out: Record<string, unknown> = { ruleId: d.code, ruleIndex, level: LEVEL[d.severity], message: { text: d.message } };
  if (d.range) {
    const location: Record<string, unknown> = { physicalLocation: physicalLocation(d.range, ctx) };
    if (d.resource) {
      const { kind, namespace, name } = d.resource;
      location.logicalLocations = [{ name, fullyQualifiedName: namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`, kind: 'resource' }];
    }
    out.locations = [location];
  }
  const related = (d.related ?? []).filter((r) => r.range);
  if (related.length > 0) {
    out.relatedLocations = related.map((r, i) => ({ id: i + 1, physicalLocation: physicalLocation(r.range, ctx), message: { text: r.message } }));
  }
  return out;
}

export function renderSarif(report: Report, ctx: RenderContext): string {
  let diagnostics = report.diagnostics;
  let omitted = 0;
  if (diagnostics.length > SARIF_MAX_RESULTS) {
    // Keep the most severe (stable within a severity), then restore report order.
    const ranked = diagnostics.map((d, i) => [d, i] as const).sort((a, b) => SEVERITY_RANK[b[0].severity] - SEVERITY_RANK[a[0].severity] || a[1] - b[1]);
    const keep = new Set(ranked.slice(0, SARIF_MAX_RESULTS).map(([, i]) => i));
    omitted = diagnostics.length - SARIF_MAX_RESULTS;
    diagnostics = diagnostics.filter((_, i) => keep.has(i));
  }
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const invocation: Record<string, unknown> = {
    executionSuccessful: report.complete,
    workingDirectory: { uri: dirUri(ctx.cwd) },
  };
  if (omitted > 0) {
    invocation.toolExecutionNotifications = [{
      level: 'warning',
      message: { text: `${omitted} results were left out: GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} per run (the most severe are kept).` },
    }];
  }
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'meshc', version: ctx.toolVersion, semanticVersion: ctx.toolVersion, rules: codes.map(rule) } },
      invocations: [invocation],
      originalUriBaseIds: { [SRCROOT]: { uri: dirUri(ctx.rootDir ?? ctx.cwd) } },
      columnKind: 'utf16CodeUnits',
      results: diagnostics.map((d) => result(d, index.get(d.code)!, ctx)),
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
