import type { Report } from './types.ts';

/**
 * GitHub Actions workflow commands, one per finding:
 * `::error file=F,line=L,endLine=L,col=C,endColumn=C,title=CODE::message`
 * (`::warning`, `::notice` for info). GitHub shows at most 10 annotations
 * of each level per step, so CI should also upload SARIF.
 */
const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** Escaping of the message part (GitHub's toolkit `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of property values (`escapeProperty`): also `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(report: Report): string {
  return report.diagnostics.map((d) => {
    const props: [string, string | number][] = [];
    if (d.range) {
      props.push(['file', d.range.file], ['line', d.range.line], ['endLine', d.range.endLine], ['col', d.range.column], ['endColumn', d.range.endColumn]);
    }
    props.push(['title', d.code]);
    const list = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
    return `::${COMMAND[d.severity]} ${list}::${escapeData(d.message)}\n`;
  }).join('');
}
