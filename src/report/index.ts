import { renderGithub } from './github.ts';
import { renderJson } from './json.ts';
import { renderSarif } from './sarif.ts';
import { renderText } from './text.ts';
import type { OutputFormat, RenderContext, Report } from './types.ts';

export type { OutputFormat, RenderContext, Report, ReportSummary } from './types.ts';
export { OUTPUT_FORMATS, summarize } from './types.ts';
export { renderSummary, formatLine } from './text.ts';

/** The report in one output format, as one string for stdout. */
export function render(format: OutputFormat, report: Report, ctx: RenderContext): string {
  switch (format) {
    case 'text': return renderText(report, ctx.color);
    case 'json': return renderJson(report);
    case 'sarif': return renderSarif(report, ctx);
    case 'github': return renderGithub(report, ctx);
  }
}
