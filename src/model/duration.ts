/** Go's time.ParseDuration (what metav1.Duration accepts), in nanoseconds. */
import type { Duration } from './osm-types.ts';

const UNIT_NANOS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const PART = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;

/** The duration, or why `text` is not one (Go writes "1s", "1.5m", "2h45m", "300ms"; a unit is required except for "0"). */
export function parseGoDuration(text: string): { ok: true; value: Duration } | { ok: false; reason: string } {
  let rest = text.startsWith('+') ? text.slice(1) : text;
  if (rest.startsWith('-')) return { ok: false, reason: 'a negative duration is not allowed here' };
  if (rest === '0') return { ok: true, value: { text, nanos: 0 } };
  if (rest === '') return { ok: false, reason: 'it is empty' };
  let nanos = 0;
  while (rest !== '') {
    const m = PART.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') {
      return { ok: false, reason: 'not a Go duration: a number and a unit (ns, us, ms, s, m, h), e.g. "500ms", "1s" or "1m30s"' };
    }
    nanos += Number(m[1]) * UNIT_NANOS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  if (!Number.isFinite(nanos) || nanos > 9.2e18) return { ok: false, reason: 'it is longer than Go allows (about 290 years)' };
  return { ok: true, value: { text, nanos: Math.round(nanos) } };
}

/** Envoy's proto3 JSON Duration ("1.500s"). */
export function envoyDuration(d: Duration): string {
  const seconds = Math.floor(d.nanos / 1e9);
  const frac = d.nanos - seconds * 1e9;
  return frac === 0 ? `${seconds}s` : `${seconds}.${String(frac).padStart(9, '0').replace(/0+$/, '')}s`;
}
