/**
 * JSON that keeps NaN, Infinity and -Infinity. A DSL mesh crosses from its
 * sandbox as JSON (internal.ts), and is cached as JSON (../cache.ts): plain
 * JSON turns those numbers into null, and the schema would then say a port
 * "must be an integer, not null" for `port: NaN`. Each one travels as a
 * one-key object under a key no manifest has; the text is revived only when
 * it holds one (most never do, and JSON.parse is faster without a reviver).
 */
const MARK = '\u0000meshc:number';
/** How MARK reads inside JSON text. */
const MARK_IN_JSON = JSON.stringify(MARK).slice(1, -1);

const keepNumber = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { [MARK]: String(v) } : v);

function reviveNumber(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const text = (v as Record<string, unknown>)[MARK];
  return typeof text === 'string' && Object.keys(v).length === 1 ? Number(text) : v;
}

export function stringifyKeepingNumbers(value: unknown): string {
  return JSON.stringify(value, keepNumber);
}

export function parseKeepingNumbers(text: string): unknown {
  return text.includes(MARK_IN_JSON) ? JSON.parse(text, reviveNumber) : JSON.parse(text);
}
