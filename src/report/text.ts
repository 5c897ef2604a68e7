import { findCatalogEntry } from '../core/catalog/index.ts';
import type { Diagnostic, Severity } from '../core/types.ts';
import { paint } from './color.ts';
import type { Report, ReportSummary } from './types.ts';

const SEVERITY_STYLE = { error: ['red', 'bold'], warning: ['yellow', 'bold'], info: ['cyan', 'bold'] } as const;

/**
 * Control characters (newlines, terminal escapes, C1 controls) and the
 * bidirectional overrides and isolates from file names or manifest content
 * are shown escaped: one finding stays one line, a manifest cannot restyle
 * the terminal, and a name cannot show its text reordered ("Trojan Source").
 */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u0008\n-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** The place of a finding: `file:line:col`, or `meshc` for findings that belong to no file. */
export function placeOf(d: Diagnostic): string {
  return d.range ? `${visible(d.range.file)}:${d.range.line}:${d.range.column}` : 'meshc';
}

/** One finding, GNU style: `file:line:col: severity CODE message [rule-name]`. */
export function formatLine(d: Diagnostic, color: boolean): string {
  const name = findCatalogEntry(d.code)?.name;
  return `${paint(color, 'bold', placeOf(d))}: ${paint(color, SEVERITY_STYLE[d.severity], d.severity)} ${paint(color, 'dim', d.code)} ${visible(d.message)}`
    + (name ? ` ${paint(color, 'gray', `[${name}]`)}` : '');
}

/** The text report (stdout): one line per finding, nothing else. */
export function renderText(report: Report, color: boolean): string {
  return report.diagnostics.map((d) => `${formatLine(d, color)}\n`).join('');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The summary line (stderr), e.g. `2 errors, 1 warning, 0 infos in 3 files (12 resources); 4 suppressed`. */
export function renderSummary(summary: ReportSummary, suppressed: number, color: boolean): string {
  const worst: Severity | undefined = summary.errors ? 'error' : summary.warnings ? 'warning' : summary.infos ? 'info' : undefined;
  const counts = `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.infos, 'info')}`;
  const text = `${counts} in ${plural(summary.files, 'file')} (${plural(summary.resources, 'resource')})${suppressed ? `; ${suppressed} suppressed` : ''}`;
  return `${worst ? paint(color, SEVERITY_STYLE[worst], text) : paint(color, 'green', text)}\n`;
}
