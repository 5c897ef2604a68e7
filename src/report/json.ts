import type { Report } from './types.ts';

/**
 * The JSON report. Its shape is a contract (tools and tests parse it):
 *
 *   {"diagnostics": [{"code", "severity", "message", "file", "line", "column",
 *                     "endLine", "endColumn", "resource": {apiVersion, kind, namespace, name} | null}],
 *    "summary": {"errors", "warnings", "infos", "files", "resources"}}
 *
 * `file` is relative to the working directory (`<stdin>` for standard
 * input); lines and columns are 1-based, the end exclusive. A finding that
 * belongs to no file has `file`, `line`, `column`, `endLine` and
 * `endColumn` all null.
 */
export function renderJson(report: Report): string {
  const diagnostics = report.diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.range?.file ?? null,
    line: d.range?.line ?? null,
    column: d.range?.column ?? null,
    endLine: d.range?.endLine ?? null,
    endColumn: d.range?.endColumn ?? null,
    resource: d.resource
      ? { apiVersion: d.resource.apiVersion, kind: d.resource.kind, namespace: d.resource.namespace, name: d.resource.name }
      : null,
  }));
  const { errors, warnings, infos, files, resources } = report.summary;
  return `${JSON.stringify({ diagnostics, summary: { errors, warnings, infos, files, resources } }, null, 2)}\n`;
}
