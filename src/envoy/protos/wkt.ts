// Proto3 JSON forms of the well-known types that have a special mapping:
// Duration ("1.5s"), Timestamp (RFC 3339), FieldMask ("a.b,cD").
import { Long, isLong } from './long.ts';

/** Largest |seconds| of a Duration (10,000 years), as in the protobuf spec. */
export const MAX_DURATION_SECONDS = 315_576_000_000;

export interface SecondsNanos {
  seconds: number;
  nanos: number;
}

/** Fractional digits: none, 3, 6 or 9, like the reference implementations. */
function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const nine = String(nanos).padStart(9, '0');
  if (nanos % 1_000_000 === 0) return `.${nine.slice(0, 3)}`;
  if (nanos % 1_000 === 0) return `.${nine.slice(0, 6)}`;
  return `.${nine}`;
}

/** Parses "5s", "0.25s", "-1.000000001s". Returns an error text on bad input. */
export function parseDuration(text: string): SecondsNanos | string {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!m) return `invalid Duration "${text}": expected seconds with up to 9 fractional digits and the suffix "s", e.g. "5s" or "0.25s"`;
  const sign = m[1] ? -1 : 1;
  const seconds = Number(m[2]);
  const nanos = m[3] ? Number(m[3].padEnd(9, '0')) : 0;
  if (seconds > MAX_DURATION_SECONDS) return `Duration "${text}" is out of range (at most ${MAX_DURATION_SECONDS}s)`;
  return { seconds: sign * seconds || 0, nanos: sign * nanos || 0 };
}

export function formatDuration(seconds: number, nanos: number): string {
  const negative = seconds < 0 || nanos < 0;
  return `${negative ? '-' : ''}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

const MIN_TS = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX_TS = 253_402_300_799; // 9999-12-31T23:59:59Z

export function parseTimestamp(text: string): SecondsNanos | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return `invalid Timestamp "${text}": expected RFC 3339, e.g. "2024-01-02T03:04:05Z"`;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const dt = new Date(0);
  dt.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  dt.setUTCHours(Number(h), Number(mi), Number(s), 0);
  if (dt.getUTCDate() !== Number(d) || dt.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return `invalid Timestamp "${text}": no such date or time`;
  }
  let seconds = Math.floor(dt.getTime() / 1000);
  if (sign) seconds -= (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  if (seconds < MIN_TS || seconds > MAX_TS) return `Timestamp "${text}" is out of range (years 0001 to 9999)`;
  return { seconds, nanos: frac ? Number(frac.padEnd(9, '0')) : 0 };
}

export function formatTimestamp(seconds: number, nanos: number): string {
  const iso = new Date(seconds * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z (years 0001–9999)
  return `${iso.slice(0, 19)}${fraction(nanos)}Z`;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function parseFieldMask(text: string): string[] | string {
  if (text === '') return [];
  const paths = text.split(',');
  for (const p of paths) if (!/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/.test(p)) return `invalid FieldMask path "${p}": expected lowerCamelCase names separated by "."`;
  return paths.map(snake);
}

export function formatFieldMask(paths: string[]): string {
  return paths.map(camel).join(',');
}

/** A 64-bit value (Long, number or decimal string) as a JS number; exact for |v| < 2^53. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (isLong(value)) return Number(Long.fromBits(value.low, value.high, value.unsigned).toString());
  return 0;
}

/** A 64-bit value as its exact decimal string. */
export function longToString(value: unknown, unsigned: boolean): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (isLong(value)) return Long.fromBits(value.low, value.high, unsigned).toString();
  return '0';
}
