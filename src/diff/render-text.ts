/** `meshc diff` as text (terminal, logs) and as JSON. */
import { formatLine, visible } from '../report/text.ts';
import type { DecidingResource, ProxyChange, ProxyDiff, ProxyResourceChange, ReachChange, SplitChange, SplitShare, TreeDiff } from './types.ts';

/** Names listed per resource kind of a node before "and N more". */
const NAMES_SHOWN = 6;

export function where(r: DecidingResource): string {
  const name = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  return r.file ? `${name} (${visible(r.file)}${r.line ? `:${r.line}` : ''})` : name;
}

export function sharesText(shares: SplitShare[] | null): string {
  if (!shares) return 'no split';
  return shares.map((s) => `${s.service.slice(s.service.indexOf('/') + 1)} ${s.percent}%`).join(', ');
}

export function changeWord(c: ReachChange): string {
  return { new: 'new', widened: 'more routes', removed: 'removed', narrowed: 'fewer routes' }[c.change];
}

/** One line of counts, e.g. `2 gained, 1 lost, 0 split changes, 1 new finding, 0 fixed`. */
export function diffSummary(diff: TreeDiff): string {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  let proxies = '';
  if (diff.proxies) proxies = diff.proxies.nodes ? `, ${n(diff.proxies.changed.length, 'proxy', 'proxies')} changed` : ', proxies not compared';
  return `${diff.gained.length} gained, ${diff.lost.length} lost, ${n(diff.splits.length, 'split change')}, `
    + `${n(diff.findings.new.length, 'new finding')}, ${diff.findings.fixed.length} fixed${proxies}`;
}

/** A kind's change in counts, e.g. `+1 -2 ~3` (only the non-zero parts). */
export function resourceCounts(r: ProxyResourceChange | undefined): string {
  if (!r) return '';
  return [['+', r.added.length], ['-', r.removed.length], ['~', r.changed.length]].filter(([, k]) => k !== 0).map(([sign, k]) => `${sign}${k}`).join(' ');
}

/** The heading of the proxies part: what was compared, or why nothing was. */
export function proxiesHeading(p: ProxyDiff): string {
  if (!p.nodes) return `proxies (${p.target}): not compared (${p.skipped})`;
  return `proxies (${p.target}): ${p.changed.length} of ${Math.max(p.nodes.base, p.nodes.head)} node(s) change (${p.nodes.base} in base, ${p.nodes.head} in head)`;
}

function namesText(r: ProxyResourceChange): string {
  const names = [...r.added.map((x) => `+${x}`), ...r.removed.map((x) => `-${x}`), ...r.changed.map((x) => `~${x}`)];
  const more = names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : '';
  return `${names.slice(0, NAMES_SHOWN).map(visible).join(', ')}${more}`;
}

function proxyLines(list: ProxyChange[]): string {
  const sign = { new: '+', removed: '-', changed: '~' } as const;
  return list.map((c) => {
    const kinds = c.resources.map((r) => `${r.kind} ${resourceCounts(r)}`).join(', ');
    const names = c.change === 'changed' ? c.resources.map((r) => `\n      ${r.kind}: ${namesText(r)}`).join('') : '';
    return `  ${sign[c.change]} ${visible(c.node)}${c.change === 'changed' ? '' : ` (${c.change} node)`}: ${kinds || 'no resources'}${names}\n`;
  }).join('');
}

function pairLines(sign: string, list: ReachChange[]): string {
  return list.map((c) => {
    const via = c.resources.length > 0 ? `\n      via ${c.resources.map(where).join(', ')}` : '';
    return `  ${sign} ${visible(c.from)} → ${visible(c.to)} (${changeWord(c)}): ${c.routes.map(visible).join(', ')}${via}\n`;
  }).join('');
}

function splitLines(list: SplitChange[]): string {
  return list.map((s) => `  ~ ${s.service}: ${sharesText(s.before)} → ${sharesText(s.after)}${s.resources.length > 0 ? `\n      via ${s.resources.map(where).join(', ')}` : ''}\n`).join('');
}

export function renderDiffText(diff: TreeDiff, color: boolean): string {
  let out = '';
  if (diff.gained.length > 0) out += `gained (${diff.gained.length}):\n${pairLines('+', diff.gained)}`;
  if (diff.lost.length > 0) out += `lost (${diff.lost.length}):\n${pairLines('-', diff.lost)}`;
  if (diff.splits.length > 0) out += `splits changed (${diff.splits.length}):\n${splitLines(diff.splits)}`;
  if (diff.findings.new.length > 0) out += `new findings (${diff.findings.new.length}):\n${diff.findings.new.map((d) => `  ${formatLine(d, color)}\n`).join('')}`;
  if (diff.findings.fixed.length > 0) out += `fixed findings (${diff.findings.fixed.length}):\n${diff.findings.fixed.map((d) => `  ${formatLine(d, color)}\n`).join('')}`;
  if (out === '') out = 'no reachability change, no new or fixed findings\n';
  if (diff.proxies) out += `${proxiesHeading(diff.proxies)}${diff.proxies.changed.length > 0 ? ':' : ''}\n${proxyLines(diff.proxies.changed)}`;
  return out;
}

export function renderDiffJson(diff: TreeDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}
