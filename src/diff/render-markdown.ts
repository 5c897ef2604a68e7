/**
 * `meshc diff --format markdown`: a pull-request comment. The first line is
 * a hidden marker, so a workflow can find and update its own comment instead
 * of adding a new one per push. Long lists fold into <details>.
 */
import type { Diagnostic } from '../core/types.ts';
import { changeWord, diffSummary, proxiesHeading, resourceCounts, sharesText, where } from './render-text.ts';
import { PROXY_RESOURCE_KINDS, type ProxyChange, type ProxyDiff, type ReachChange, type SplitChange, type TreeDiff } from './types.ts';

export const MARKDOWN_MARKER = '<!-- meshc-diff -->';
/** Rows shown before a table folds away (GitHub comments are limited to 65,536 characters). */
const FOLD_AFTER = 10;
const MAX_ROWS = 200;

/** Table cell text: no line breaks, pipes escaped, HTML and markdown specials neutralised. */
function cell(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** Inline code in a table cell: a pipe still ends the cell inside backticks (GFM), so it is escaped there too. */
const code = (s: string) => `\`${s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|')}\``;

function table(head: string[], rows: string[][]): string {
  const shown = rows.slice(0, MAX_ROWS);
  let text = `| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|\n${shown.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`;
  if (rows.length > MAX_ROWS) text += `\n… and ${rows.length - MAX_ROWS} more (run \`meshc diff\` locally for all).\n`;
  return text;
}

function section(title: string, count: number, body: string): string {
  if (count === 0) return '';
  return count > FOLD_AFTER ? `<details><summary><b>${title}</b> (${count})</summary>\n\n${body}\n</details>\n\n` : `**${title}** (${count})\n\n${body}\n`;
}

const pairRows = (list: ReachChange[]) => list.map((c) => [code(c.from), code(c.to), cell(changeWord(c)), c.routes.map(code).join('<br>'), cell(c.resources.map(where).join(', '))]);
const splitRows = (list: SplitChange[]) => list.map((s) => [code(s.service), cell(sharesText(s.before)), cell(sharesText(s.after)), cell(s.resources.map(where).join(', '))]);
const findingRows = (list: Diagnostic[]) => list.map((d) => [d.severity, code(d.code), d.range ? code(`${d.range.file}:${d.range.line}`) : '', cell(d.message)]);

const proxyRows = (list: ProxyChange[]) => list.map((c) => [
  code(c.node), c.change, ...PROXY_RESOURCE_KINDS.map((kind) => cell(resourceCounts(c.resources.find((r) => r.kind === kind)))),
]);

function proxiesSection(p: ProxyDiff): string {
  const heading = cell(proxiesHeading(p));
  if (!p.nodes || p.changed.length === 0) return `🧩 ${heading}.\n\n`;
  return section(`🧩 Proxy configuration changed (${p.target})`, p.changed.length,
    `${heading}; per resource kind: +added -removed ~changed.\n\n${table(['node', 'change', ...PROXY_RESOURCE_KINDS], proxyRows(p.changed))}`);
}

export function renderDiffMarkdown(diff: TreeDiff): string {
  const changed = diff.gained.length + diff.lost.length + diff.splits.length > 0;
  let out = `${MARKDOWN_MARKER}\n### meshc diff: ${changed ? 'reachability changes' : 'no reachability change'}\n\n${diffSummary(diff)}.\n\n`;
  out += section('➕ Access gained', diff.gained.length, table(['from', 'to', 'change', 'routes', 'decided by'], pairRows(diff.gained)));
  out += section('➖ Access lost', diff.lost.length, table(['from', 'to', 'change', 'routes', 'decided by'], pairRows(diff.lost)));
  out += section('🔀 Traffic splits changed', diff.splits.length, table(['root', 'before', 'after', 'decided by'], splitRows(diff.splits)));
  out += section('⚠️ New findings', diff.findings.new.length, table(['severity', 'code', 'where', 'message'], findingRows(diff.findings.new)));
  out += section('✅ Fixed findings', diff.findings.fixed.length, table(['severity', 'code', 'where (base)', 'message'], findingRows(diff.findings.fixed)));
  if (diff.proxies) out += proxiesSection(diff.proxies);
  return out.trimEnd() + '\n';
}
