// Evaluates one field's `(validate.rules)` (PGV's FieldRules) against its value,
// with the wording of PGV's generated validators.
import { fullNameOf } from '../protos/type-index.ts';
import protobuf from 'protobufjs';
import { isIP } from 'node:net';
import { joinMapKey, joinPath } from '../protos/errors.ts';
import type { PgvRules } from '../protos/pgv-options.ts';
import { list, show, showDuration } from './format.ts';
import type { Violation } from './types.ts';
import { isLong } from '../protos/long.ts';
import { re2Matcher, checkRe2 } from '../../regex/re2.ts';

type Msg = Record<string, unknown>;

export interface PgvFieldContext {
  path: string;
  out: Violation[];
  field: protobuf.Field;
}

export type PgvValue =
  | { kind: 'scalar'; value: unknown }
  | { kind: 'message'; type: protobuf.Type; value: Msg | null }
  | { kind: 'repeated'; value: unknown[] }
  | { kind: 'map'; value: Record<string, unknown> };

const INTEGER_FAMILIES = ['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64'];
const FLOAT_FAMILIES = ['double', 'float'];
const WRAPPERS: Record<string, string> = {
  '.google.protobuf.DoubleValue': 'double', '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.Int64Value': 'int64', '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32', '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.BoolValue': 'bool', '.google.protobuf.StringValue': 'string', '.google.protobuf.BytesValue': 'bytes',
};

/** Every rule key the evaluator understands, per family (the census test checks Envoy uses no other). */
export const SUPPORTED_RULES: Record<string, string[]> = {
  message: ['required', 'skip'],
  string: ['const', 'len', 'min_len', 'max_len', 'len_bytes', 'min_bytes', 'max_bytes', 'pattern', 'prefix', 'suffix', 'contains', 'not_contains', 'in', 'not_in', 'email', 'hostname', 'ip', 'ipv4', 'ipv6', 'uri', 'uri_ref', 'address', 'uuid', 'well_known_regex', 'strict', 'ignore_empty'],
  bytes: ['const', 'len', 'min_len', 'max_len', 'pattern', 'prefix', 'suffix', 'contains', 'in', 'not_in', 'ip', 'ipv4', 'ipv6', 'ignore_empty'],
  bool: ['const'],
  enum: ['const', 'defined_only', 'in', 'not_in'],
  repeated: ['min_items', 'max_items', 'unique', 'items', 'ignore_empty'],
  map: ['min_pairs', 'max_pairs', 'no_sparse', 'keys', 'values', 'ignore_empty'],
  any: ['required', 'in', 'not_in'],
  duration: ['required', 'const', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in'],
  timestamp: ['required', 'const', 'lt', 'lte', 'gt', 'gte'],
  ...Object.fromEntries([...INTEGER_FAMILIES, ...FLOAT_FAMILIES].map((f) => [f, ['const', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'ignore_empty']])),
};

function fail(ctx: PgvFieldContext, rule: string, message: string, path = ctx.path): void {
  ctx.out.push({ path, rule, message, severity: 'error' });
}

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function checkRule(ctx: PgvFieldContext, rules: PgvRules, target: PgvValue): void {
  switch (target.kind) {
    case 'repeated':
      if (rules.repeated) repeated(ctx, rules.repeated as PgvRules, target.value);
      return;
    case 'map':
      if (rules.map) map(ctx, rules.map as PgvRules, target.value);
      return;
    case 'message':
      message(ctx, rules, target.type, target.value);
      return;
    case 'scalar':
      scalar(ctx, rules, target.value);
  }
}

function message(ctx: PgvFieldContext, rules: PgvRules, type: protobuf.Type, value: Msg | null): void {
  const m = rules.message as PgvRules | undefined;
  if (m?.required === true && value == null) fail(ctx, 'message.required', 'value is required');
  if (rules.duration) return duration(ctx, rules.duration as PgvRules, value);
  if (rules.timestamp) return timestamp(ctx, rules.timestamp as PgvRules, value);
  if (rules.any) return any(ctx, rules.any as PgvRules, value);
  const wrapped = WRAPPERS[fullNameOf(type)];
  if (wrapped && value != null) {
    const inner = type.fieldsById[1]!;
    const v = Object.prototype.hasOwnProperty.call(value, inner.name) && value[inner.name] != null ? value[inner.name] : wrapped === 'string' ? '' : wrapped === 'bool' ? false : wrapped === 'bytes' ? new Uint8Array() : 0;
    scalar(ctx, rules, v);
  }
}

type ScalarFamily = { kind: 'integer' | 'float'; name: string } | { kind: 'string' | 'bytes' | 'bool' | 'enum'; name: null } | null;

/** Which family's rules a scalar's FieldRules hold (the first, in PGV's order), worked out once per rules object. */
const scalarFamilies = new WeakMap<PgvRules, ScalarFamily>();

function scalarFamily(rules: PgvRules): ScalarFamily {
  let family = scalarFamilies.get(rules);
  if (family === undefined) {
    const integer = INTEGER_FAMILIES.find((f) => rules[f]);
    const float = FLOAT_FAMILIES.find((f) => rules[f]);
    const other = (['string', 'bytes', 'bool', 'enum'] as const).find((f) => rules[f]);
    family = integer ? { kind: 'integer', name: integer } : float ? { kind: 'float', name: float } : other ? { kind: other, name: null } : null;
    scalarFamilies.set(rules, family);
  }
  return family;
}

function scalar(ctx: PgvFieldContext, rules: PgvRules, value: unknown): void {
  const family = scalarFamily(rules);
  switch (family?.kind) {
    case 'integer':
      return numeric(ctx, family.name!, rules[family.name!] as PgvRules, toBig(value), toBig);
    case 'float':
      return numeric(ctx, family.name!, rules[family.name!] as PgvRules, Number(value), Number);
    case 'string':
      return string(ctx, rules.string as PgvRules, String(value));
    case 'bytes':
      return bytes(ctx, rules.bytes as PgvRules, value as Uint8Array);
    case 'bool': {
      const c = (rules.bool as PgvRules).const;
      if (c !== undefined && value !== c) fail(ctx, 'bool.const', `value must equal ${c}`);
      return;
    }
    case 'enum':
      return enumeration(ctx, rules.enum as PgvRules, Number(value));
  }
}

export function toBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  // protobufjs parses rule literals as doubles: INT64_MAX (used by Envoy, e.g. gcp_authn cache_size) arrives
  // as 2^63. No other unsafe literal occurs in Envoy's API (test/envoy-census.test.ts checks).
  if (typeof v === 'number') return v === 2 ** 63 ? 2n ** 63n - 1n : BigInt(Math.trunc(v));
  if (typeof v === 'string') return BigInt(v);
  if (isLong(v)) return BigInt(v.toString());
  return 0n;
}

/** Ascending order of numbers, bigints or duration nanoseconds. */
const compareValues = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a rule set has any of lt, lte, gt, gte (else range() has nothing to check). */
const hasRange = (r: PgvRules) => r.lt !== undefined || r.lte !== undefined || r.gt !== undefined || r.gte !== undefined;

// Every validated number of every resource comes through here: the checks a rule set does not have build nothing.
function numeric<T extends bigint | number>(ctx: PgvFieldContext, family: string, r: PgvRules, v: T, conv: (x: unknown) => T): void {
  const zero = typeof v === 'bigint' ? v === 0n : v === 0;
  if (r.ignore_empty === true && zero) return;
  if (r.const !== undefined && v !== conv(r.const)) fail(ctx, `${family}.const`, `value must equal ${show(r.const)}`);
  if (r.in !== undefined) {
    const within = asArray(r.in).map(conv);
    if (within.length && !within.includes(v)) fail(ctx, `${family}.in`, `value must be in list ${list(within)}`);
  }
  if (r.not_in !== undefined) {
    const notIn = asArray(r.not_in).map(conv);
    if (notIn.length && notIn.includes(v)) fail(ctx, `${family}.not_in`, `value must not be in list ${list(notIn)}`);
  }
  if (hasRange(r)) range(ctx, family, r, compareValues, v, conv, show);
}

/** PGV's lt/lte/gt/gte, including the inside/outside-range forms when both ends are given. */
function range<T>(ctx: PgvFieldContext, family: string, r: PgvRules, cmp: (a: T, b: T) => number, v: T, conv: (x: unknown) => T, render: (x: unknown) => string): void {
  const upper = r.lt !== undefined ? { value: conv(r.lt), inclusive: false, raw: r.lt, name: 'lt' } : r.lte !== undefined ? { value: conv(r.lte), inclusive: true, raw: r.lte, name: 'lte' } : null;
  const lower = r.gt !== undefined ? { value: conv(r.gt), inclusive: false, raw: r.gt, name: 'gt' } : r.gte !== undefined ? { value: conv(r.gte), inclusive: true, raw: r.gte, name: 'gte' } : null;
  const aboveLower = lower ? (lower.inclusive ? cmp(v, lower.value) >= 0 : cmp(v, lower.value) > 0) : true;
  const belowUpper = upper ? (upper.inclusive ? cmp(v, upper.value) <= 0 : cmp(v, upper.value) < 0) : true;
  if (lower && upper) {
    const lo = `${lower.inclusive ? '[' : '('}${render(lower.raw)}`;
    const hi = `${render(upper.raw)}${upper.inclusive ? ']' : ')'}`;
    if (cmp(upper.value, lower.value) > 0) {
      if (!(aboveLower && belowUpper)) fail(ctx, `${family}.${lower.name}`, `value must be inside range ${lo}, ${hi}`);
    } else if (!(aboveLower || belowUpper)) {
      // upper <= lower: the valid values are outside (upper, lower)
      fail(ctx, `${family}.${lower.name}`, `value must be outside range ${upper.inclusive ? '(' : '['}${render(upper.raw)}, ${render(lower.raw)}${lower.inclusive ? ')' : ']'}`);
    }
    return;
  }
  if (upper && !belowUpper) fail(ctx, `${family}.${upper.name}`, `value must be less than ${upper.inclusive ? 'or equal to ' : ''}${render(upper.raw)}`);
  if (lower && !aboveLower) fail(ctx, `${family}.${lower.name}`, `value must be greater than ${lower.inclusive ? 'or equal to ' : ''}${render(lower.raw)}`);
}

// PGV's well-known regexes, as plain character classes (no RE2 needed; `+-.` in PGV's
// header-name class is the range '+' to '.', so it admits ',' and '-').
const HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+,\-.^_|~`]+$/;
const HEADER_VALUE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
const HEADER_STRING = /^[^\u0000\u000A\u000D]*$/;

/** RE2 search semantics (PGV `pattern` is unanchored, like RE2::PartialMatch). */
function re2Search(pattern: string, value: string): boolean | string {
  const check = checkRe2(pattern);
  if (!check.ok) return check.error;
  return re2Matcher(`(?s:.)*?(?:${pattern})`)!.prefixMatch(value);
}

function isHostname(s: string): boolean {
  const h = s.endsWith('.') ? s.slice(0, -1) : s;
  if (h.length === 0 || h.length > 253) return false;
  return h.split('.').every((part) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(part));
}

/** Characters (code points) of a string; its UTF-16 length when it has no surrogate pair. */
function charCount(v: string): number {
  return /[\uD800-\uDFFF]/.test(v) ? [...v].length : v.length;
}

// Every validated string of every resource comes through here: lengths are counted only for rules that need them.
function string(ctx: PgvFieldContext, r: PgvRules, v: string): void {
  if (r.ignore_empty === true && v === '') return;
  if (r.const !== undefined && v !== r.const) fail(ctx, 'string.const', `value must equal ${show(r.const)}`);
  if (r.len !== undefined || r.min_len !== undefined || r.max_len !== undefined) {
    const chars = charCount(v);
    if (r.len !== undefined && chars !== Number(r.len)) fail(ctx, 'string.len', `value length must be ${r.len} characters`);
    if (r.min_len !== undefined && chars < Number(r.min_len)) fail(ctx, 'string.min_len', `value length must be at least ${r.min_len} characters`);
    if (r.max_len !== undefined && chars > Number(r.max_len)) fail(ctx, 'string.max_len', `value length must be at most ${r.max_len} characters`);
  }
  if (r.len_bytes !== undefined || r.min_bytes !== undefined || r.max_bytes !== undefined) {
    const bytesLen = Buffer.byteLength(v, 'utf8');
    if (r.len_bytes !== undefined && bytesLen !== Number(r.len_bytes)) fail(ctx, 'string.len_bytes', `value length must be ${r.len_bytes} bytes`);
    if (r.min_bytes !== undefined && bytesLen < Number(r.min_bytes)) fail(ctx, 'string.min_bytes', `value length must be at least ${r.min_bytes} bytes`);
    if (r.max_bytes !== undefined && bytesLen > Number(r.max_bytes)) fail(ctx, 'string.max_bytes', `value length must be at most ${r.max_bytes} bytes`);
  }
  if (typeof r.pattern === 'string') {
    const ok = re2Search(r.pattern, v);
    if (ok !== true) fail(ctx, 'string.pattern', `value does not match regex pattern ${show(r.pattern)}`);
  }
  if (typeof r.prefix === 'string' && !v.startsWith(r.prefix)) fail(ctx, 'string.prefix', `value does not have prefix ${show(r.prefix)}`);
  if (typeof r.suffix === 'string' && !v.endsWith(r.suffix)) fail(ctx, 'string.suffix', `value does not have suffix ${show(r.suffix)}`);
  if (typeof r.contains === 'string' && !v.includes(r.contains)) fail(ctx, 'string.contains', `value does not contain substring ${show(r.contains)}`);
  if (typeof r.not_contains === 'string' && v.includes(r.not_contains)) fail(ctx, 'string.not_contains', `value contains substring ${show(r.not_contains)}`);
  if (r.in !== undefined) {
    const within = asArray(r.in);
    if (within.length && !within.includes(v)) fail(ctx, 'string.in', `value must be in list ${list(within)}`);
  }
  if (r.not_in !== undefined) {
    const notIn = asArray(r.not_in);
    if (notIn.length && notIn.includes(v)) fail(ctx, 'string.not_in', `value must not be in list ${list(notIn)}`);
  }
  if (r.hostname === true && !isHostname(v)) fail(ctx, 'string.hostname', 'value must be a valid hostname');
  if (r.ip === true && isIP(v) === 0) fail(ctx, 'string.ip', 'value must be a valid IP address');
  if (r.ipv4 === true && isIP(v) !== 4) fail(ctx, 'string.ipv4', 'value must be a valid IPv4 address');
  if (r.ipv6 === true && isIP(v) !== 6) fail(ctx, 'string.ipv6', 'value must be a valid IPv6 address');
  if (r.address === true && isIP(v) === 0 && !isHostname(v)) fail(ctx, 'string.address', 'value must be a valid hostname, or ip address');
  if (r.uuid === true && !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v)) fail(ctx, 'string.uuid', 'value must be a valid UUID');
  if (r.email === true && !/^[^@\s]+@[^@\s]+$/.test(v)) fail(ctx, 'string.email', 'value must be a valid email address');
  if (r.uri === true && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(v)) fail(ctx, 'string.uri', 'value must be a valid URI');
  if (r.uri_ref === true && /\s/.test(v)) fail(ctx, 'string.uri_ref', 'value must be a valid URI reference');
  if (r.well_known_regex !== undefined) {
    const kind = String(r.well_known_regex);
    const strict = r.strict !== false;
    const pattern = !strict ? HEADER_STRING : kind === 'HTTP_HEADER_NAME' ? HEADER_NAME : kind === 'HTTP_HEADER_VALUE' ? HEADER_VALUE : null;
    if (pattern && !pattern.test(v)) {
      const what = kind === 'HTTP_HEADER_NAME' ? 'name' : 'value';
      fail(ctx, 'string.well_known_regex', `value must be a valid HTTP header ${what}${strict ? '' : ' (no NUL, CR or LF)'}`);
    }
  }
}

function bytes(ctx: PgvFieldContext, r: PgvRules, v: Uint8Array): void {
  if (r.ignore_empty === true && v.length === 0) return;
  const buf = Buffer.from(v);
  const n = (x: unknown) => Number(x);
  const asBuf = (x: unknown) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x as Uint8Array));
  if (r.const !== undefined && !buf.equals(asBuf(r.const))) fail(ctx, 'bytes.const', 'value must equal the given bytes');
  if (r.len !== undefined && buf.length !== n(r.len)) fail(ctx, 'bytes.len', `value length must be ${r.len} bytes`);
  if (r.min_len !== undefined && buf.length < n(r.min_len)) fail(ctx, 'bytes.min_len', `value length must be at least ${r.min_len} bytes`);
  if (r.max_len !== undefined && buf.length > n(r.max_len)) fail(ctx, 'bytes.max_len', `value length must be at most ${r.max_len} bytes`);
  if (typeof r.pattern === 'string' && re2Search(r.pattern, buf.toString('latin1')) !== true) fail(ctx, 'bytes.pattern', `value does not match regex pattern ${show(r.pattern)}`);
  if (r.prefix !== undefined && !buf.subarray(0, asBuf(r.prefix).length).equals(asBuf(r.prefix))) fail(ctx, 'bytes.prefix', 'value does not have the required prefix');
  if (r.suffix !== undefined && (buf.length < asBuf(r.suffix).length || !buf.subarray(buf.length - asBuf(r.suffix).length).equals(asBuf(r.suffix)))) fail(ctx, 'bytes.suffix', 'value does not have the required suffix');
  if (r.contains !== undefined && !buf.includes(asBuf(r.contains))) fail(ctx, 'bytes.contains', 'value does not contain the required bytes');
  const within = asArray(r.in).map(asBuf);
  if (within.length && !within.some((b) => b.equals(buf))) fail(ctx, 'bytes.in', 'value must be in the list of allowed values');
  const notIn = asArray(r.not_in).map(asBuf);
  if (notIn.length && notIn.some((b) => b.equals(buf))) fail(ctx, 'bytes.not_in', 'value must not be in the list of forbidden values');
  if (r.ip === true && buf.length !== 4 && buf.length !== 16) fail(ctx, 'bytes.ip', 'value must be a valid IP address (4 or 16 bytes)');
  if (r.ipv4 === true && buf.length !== 4) fail(ctx, 'bytes.ipv4', 'value must be a valid IPv4 address (4 bytes)');
  if (r.ipv6 === true && buf.length !== 16) fail(ctx, 'bytes.ipv6', 'value must be a valid IPv6 address (16 bytes)');
}

function enumeration(ctx: PgvFieldContext, r: PgvRules, v: number): void {
  const type = ctx.field.resolvedType;
  if (r.const !== undefined && v !== Number(r.const)) fail(ctx, 'enum.const', `value must equal ${show(r.const)}`);
  if (r.defined_only === true && type instanceof protobuf.Enum && type.valuesById[v] === undefined) fail(ctx, 'enum.defined_only', 'value must be one of the defined enum values');
  const name = (x: unknown) => (type instanceof protobuf.Enum ? type.valuesById[Number(x)] ?? String(x) : String(x));
  const within = asArray(r.in).map(Number);
  if (within.length && !within.includes(v)) fail(ctx, 'enum.in', `value must be in list ${list(within, name)}`);
  const notIn = asArray(r.not_in).map(Number);
  if (notIn.length && notIn.includes(v)) fail(ctx, 'enum.not_in', `value must not be in list ${list(notIn, name)}`);
}

function repeated(ctx: PgvFieldContext, r: PgvRules, items: unknown[]): void {
  if (r.ignore_empty === true && items.length === 0) return;
  if (r.min_items !== undefined && items.length < Number(r.min_items)) fail(ctx, 'repeated.min_items', `value must contain at least ${r.min_items} item(s)`);
  if (r.max_items !== undefined && items.length > Number(r.max_items)) fail(ctx, 'repeated.max_items', `value must contain no more than ${r.max_items} item(s)`);
  if (r.unique === true) {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const key = uniqueKey(item);
      if (seen.has(key)) fail(ctx, 'repeated.unique', 'repeated value must contain unique items', joinPath(ctx.path, i));
      seen.add(key);
    });
  }
  const itemRules = r.items as PgvRules | undefined;
  if (!itemRules) return;
  const type = ctx.field.resolvedType;
  items.forEach((item, i) => {
    const itemCtx = { ...ctx, path: joinPath(ctx.path, i) };
    if (type instanceof protobuf.Type) message(itemCtx, itemRules, type, item as Msg);
    else scalar(itemCtx, itemRules, item);
  });
}

function uniqueKey(item: unknown): string {
  if (item instanceof Uint8Array) return `b:${Buffer.from(item).toString('base64')}`;
  if (isLong(item)) return `n:${item.toString()}`;
  return `${typeof item}:${JSON.stringify(item)}`;
}

function map(ctx: PgvFieldContext, r: PgvRules, entries: Record<string, unknown>): void {
  const keys = Object.keys(entries).sort();
  if (r.ignore_empty === true && keys.length === 0) return;
  if (r.min_pairs !== undefined && keys.length < Number(r.min_pairs)) fail(ctx, 'map.min_pairs', `value must contain at least ${r.min_pairs} pair(s)`);
  if (r.max_pairs !== undefined && keys.length > Number(r.max_pairs)) fail(ctx, 'map.max_pairs', `value must contain no more than ${r.max_pairs} pair(s)`);
  const type = ctx.field.resolvedType;
  for (const key of keys) {
    const entryCtx = { ...ctx, path: joinMapKey(ctx.path, key) };
    const value = entries[key];
    if (r.no_sparse === true && value == null) fail(entryCtx, 'map.no_sparse', 'map values cannot be unset');
    if (r.keys) scalar(entryCtx, r.keys as PgvRules, mapKey((ctx.field as unknown as protobuf.MapField).keyType, key));
    if (r.values) {
      if (type instanceof protobuf.Type) message(entryCtx, r.values as PgvRules, type, (value ?? null) as Msg | null);
      else scalar(entryCtx, r.values as PgvRules, value);
    }
  }
}

/** protobufjs keeps map keys as strings; rules compare them as their key type. */
function mapKey(keyType: string, key: string): unknown {
  if (keyType === 'bool') return key === 'true';
  if (keyType === 'string') return key;
  return /^-?\d+$/.test(key) ? BigInt(key) : key;
}

function durationNanos(d: unknown): bigint {
  if (!d || typeof d !== 'object') return 0n;
  const m = d as Msg;
  return toBig(m.seconds ?? 0) * 1_000_000_000n + toBig(m.nanos ?? 0);
}

function duration(ctx: PgvFieldContext, r: PgvRules, value: Msg | null): void {
  if (value == null) {
    if (r.required === true) fail(ctx, 'duration.required', 'value is required');
    return;
  }
  const v = durationNanos(value);
  const render = (x: unknown) => showDuration(x as Msg);
  if (r.const !== undefined && v !== durationNanos(r.const)) fail(ctx, 'duration.const', `value must equal ${render(r.const)}`);
  const within = asArray(r.in);
  if (within.length && !within.map(durationNanos).includes(v)) fail(ctx, 'duration.in', `value must be in list ${list(within, render)}`);
  const notIn = asArray(r.not_in);
  if (notIn.length && notIn.map(durationNanos).includes(v)) fail(ctx, 'duration.not_in', `value must not be in list ${list(notIn, render)}`);
  range(ctx, 'duration', r, compareValues, v, durationNanos, render);
}

function timestamp(ctx: PgvFieldContext, r: PgvRules, value: Msg | null): void {
  if (value == null) {
    if (r.required === true) fail(ctx, 'timestamp.required', 'value is required');
    return;
  }
  const v = durationNanos(value);
  if (r.const !== undefined && v !== durationNanos(r.const)) fail(ctx, 'timestamp.const', 'value must equal the given timestamp');
  range(ctx, 'timestamp', r, compareValues, v, durationNanos, (x) => `${durationNanos(x) / 1_000_000_000n}s since the epoch`);
}

function any(ctx: PgvFieldContext, r: PgvRules, value: Msg | null): void {
  if (value == null) {
    if (r.required === true) fail(ctx, 'any.required', 'value is required');
    return;
  }
  const url = String(value.type_url ?? '');
  const within = asArray(r.in);
  if (within.length && !within.includes(url)) fail(ctx, 'any.in', `type URL must be in list ${list(within)}`);
  const notIn = asArray(r.not_in);
  if (notIn.length && notIn.includes(url)) fail(ctx, 'any.not_in', `type URL must not be in list ${list(notIn)}`);
}
