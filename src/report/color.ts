import { styleText } from 'node:util';

/**
 * Whether to colour a stream: FORCE_COLOR decides when set ('0' or 'false'
 * = never, anything else = always), then NO_COLOR (any non-empty value =
 * never), then TERM=dumb (never); otherwise only on a TTY.
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

type Style = Parameters<typeof styleText>[0] & string;

/**
 * styleText when colour is on, the plain text otherwise. The decision is
 * ours (useColor), so styleText must not second-guess it from process.stdout
 * (validateStream: false); styles are applied one by one, which every Node 20
 * with styleText supports (it appeared in 20.12; older ones print plain text).
 */
export function paint(on: boolean, style: Style | readonly Style[], text: string): string {
  if (!on || typeof styleText !== 'function') return text;
  let out = text;
  for (const s of typeof style === 'string' ? [style] : [...style].reverse()) {
    out = (styleText as (f: Style, t: string, o?: { validateStream?: boolean }) => string)(s, out, { validateStream: false });
  }
  return out;
}
