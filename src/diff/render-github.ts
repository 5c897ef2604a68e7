/**
 * `meshc diff --format github`: workflow commands that annotate the lines of
 * the pull request that changed who can reach what. Gained pairs and split
 * changes point at the head resource that decides them; a lost pair at the
 * same resource in head when it still exists (its rule changed), else it is
 * an annotation without a file (GitHub lists it in the run summary). New
 * findings keep their severity; fixed ones are notices.
 */
import type { Diagnostic } from '../core/types.ts';
import { escapeData, escapeProperty } from '../report/github.ts';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { proxiesHeading, sharesText } from './render-text.ts';
import type { DecidingResource, ReachChange, TreeDiff } from './types.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

export interface GithubPaths {
  cwd: string;
  rootDir: string;
}

function repoPath(file: string, paths: GithubPaths): string {
  const rel = relative(paths.rootDir, resolve(paths.cwd, file));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
}

function command(level: string, title: string, message: string, at: { file: string; line: number } | null, paths: GithubPaths): string {
  const props: string[] = [];
  if (at) props.push(`file=${escapeProperty(repoPath(at.file, paths))}`, `line=${at.line}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${level} ${props.join(',')}::${escapeData(message)}\n`;
}

const located = (r: DecidingResource | undefined) => (r?.file && r.line ? { file: r.file, line: r.line } : null);

function pairCommand(c: ReachChange, kind: 'gained' | 'lost', paths: GithubPaths, stillThere: (r: DecidingResource) => DecidingResource | undefined): string {
  const verb = kind === 'gained' ? (c.change === 'new' ? 'may now reach' : 'may now send more to') : (c.change === 'removed' ? 'may no longer reach' : 'may send less to');
  const message = `${c.from} ${verb} ${c.to}: ${c.routes.join(', ')}`;
  const first = kind === 'gained' ? c.resources[0] : c.resources.map(stillThere).find((r) => r);
  return command(kind === 'gained' ? 'notice' : 'warning', `meshc diff: access ${kind}`, message, located(first), paths);
}

function findingCommand(d: Diagnostic, fixed: boolean, paths: GithubPaths): string {
  const at = !fixed && d.range ? { file: d.range.file, line: d.range.line } : null;
  const where = fixed && d.range ? ` (was at ${d.range.file}:${d.range.line})` : '';
  return command(fixed ? 'notice' : LEVEL[d.severity], `${d.code}${fixed ? ' fixed' : ''}`, `${d.message}${where}`, at, paths);
}

/**
 * `headResource` finds a base resource in the head tree (same kind,
 * namespace and name), with its head location.
 */
export function renderDiffGithub(diff: TreeDiff, paths: GithubPaths, headResource: (r: DecidingResource) => DecidingResource | undefined): string {
  let out = '';
  for (const c of diff.gained) out += pairCommand(c, 'gained', paths, headResource);
  for (const c of diff.lost) out += pairCommand(c, 'lost', paths, headResource);
  for (const s of diff.splits) {
    const at = located(s.after ? s.resources[0] : s.resources.map(headResource).find((r) => r));
    out += command('notice', 'meshc diff: split changed', `${s.service}: ${sharesText(s.before)} → ${sharesText(s.after)}`, at, paths);
  }
  for (const d of diff.findings.new) out += findingCommand(d, false, paths);
  for (const d of diff.findings.fixed) out += findingCommand(d, true, paths);
  // One annotation without a file: a proxy's configuration is no line of the pull request.
  if (diff.proxies) {
    const names = diff.proxies.changed.slice(0, 20).map((c) => `${c.node} (${c.change})`).join(', ');
    const more = diff.proxies.changed.length > 20 ? ` and ${diff.proxies.changed.length - 20} more` : '';
    out += command('notice', 'meshc diff: proxies', `${proxiesHeading(diff.proxies)}${names ? `: ${names}${more}` : ''}`, null, paths);
  }
  return out;
}
