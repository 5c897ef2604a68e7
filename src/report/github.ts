import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { RenderContext, Report } from './types.ts';

/**
 * GitHub Actions workflow commands, one per finding:
 * `::error file=F,line=L,endLine=L,col=C,endColumn=C,title=CODE::message`
 * (`::warning`, `::notice` for info). GitHub shows at most 10 annotations
 * of each level per step, so CI should also upload SARIF. Files are given
 * relative to the repository root (ctx.rootDir), as GitHub expects, even when
 * meshc runs in a subdirectory.
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

function repoPath(file: string, ctx?: Pick<RenderContext, 'cwd' | 'rootDir'>): string {
  if (!ctx || file === '<stdin>') return file;
  const rel = relative(ctx.rootDir ?? ctx.cwd, resolve(ctx.cwd, file));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}

export function renderGithub(report: Report, ctx?: Pick<RenderContext, 'cwd' | 'rootDir'>): string {
  return report.diagnostics.map((d) => {
    const props: [string, string | number][] = [];
    if (d.range) {
      props.push(['file', repoPath(d.range.file, ctx)], ['line', d.range.line], ['endLine', d.range.endLine], ['col', d.range.column], ['endColumn', d.range.endColumn]);
    }
    props.push(['title', d.code]);
    const list = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
    return `::${COMMAND[d.severity]} ${list}::${escapeData(d.message)}\n`;
  }).join('');
}
