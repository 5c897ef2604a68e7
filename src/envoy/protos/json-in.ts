// Proto3 JSON → protobufjs message, strictly: unknown fields, unknown "@type",
// wrong JSON types, out-of-range numbers and two members of one oneof are
// errors (Envoy rejects unknown fields in static configuration). Default
// values of implicit-presence scalars are left unset, so the encoding is the
// canonical one (protobufjs would otherwise write a field that is set to 0).
import { fullNameOf } from './type-index.ts';
import protobuf from 'protobufjs';
import { EnvoyJsonError, joinMapKey, joinPath } from './errors.ts';
import { parseDuration, parseFieldMask, parseTimestamp } from './wkt.ts';
import type { TypeIndex } from './type-index.ts';

import { Long, isLong, type LongLike } from './long.ts';
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64 = { min: 0n, max: 2n ** 64n - 1n };
const FLOAT_MAX = 3.4028234663852886e38;

type Json = unknown;
type Props = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function typeError(path: string, expected: string, value: unknown): EnvoyJsonError {
  const shown = typeof value === 'string' ? ` "${value.length > 60 ? `${value.slice(0, 57)}...` : value}"` : typeof value === 'number' || typeof value === 'boolean' ? ` ${value}` : '';
  return new EnvoyJsonError(path, 'json.type', `expected ${expected}, got ${jsonType(value)}${shown}`);
}

/** Whether a value is the proto3 default of its scalar type (then it is not written). */
export function isDefaultScalar(value: unknown): boolean {
  if (value === 0 || value === '' || value === false) return true;
  if (value instanceof Uint8Array) return value.length === 0;
  if (isLong(value)) return value.low === 0 && value.high === 0;
  return false;
}

/** Fields with explicit presence: messages, oneof members (and proto3 `optional`, a synthetic oneof). */
export function hasPresence(field: protobuf.FieldBase): boolean {
  return !!field.partOf || field.resolvedType instanceof protobuf.Type;
}

/**
 * Reads proto3 JSON into protobufjs messages. With `paths` off (the fast reader), no path is built while reading
 * (most of the cost of a strict read of a big resource was building the path of every field it has); the errors are
 * the same but carry no path, so a caller that gets one reads the value again with a path-tracking reader for the
 * error to report (readMessage).
 */
export class JsonReader {
  constructor(private readonly types: TypeIndex, private readonly paths = true) {}

  /** `joinPath` when paths are tracked, else '' (nothing built). */
  private at(path: string, key: string | number): string {
    return this.paths ? joinPath(path, key) : '';
  }

  /** Reads a message of `type` from its proto3 JSON form. */
  message(type: protobuf.Type, json: Json, path: string): protobuf.Message {
    return type.create(this.props(type, json, path));
  }

  private props(type: protobuf.Type, json: Json, path: string): Props {
    const special = this.wellKnown(type, json, path);
    if (special) return special;
    if (!isObject(json)) throw typeError(path, `an object (${type.fullName.slice(1)})`, json);
    const props: Props = {};
    // Allocated only when needed: a oneof member (which oneof has which member) and a field spelled both ways.
    let oneofSet: Map<string, string> | undefined;
    let seen: Set<string> | undefined;
    const names = this.types.jsonNames(type);
    const twins = this.types.twinNames(type);
    for (const key of Object.keys(json)) {
      const value = json[key];
      const field = names.get(key);
      const fieldPath = this.at(path, field?.name ?? key);
      if (!field) {
        const hint = key === '@type' ? ' ("@type" belongs only in a google.protobuf.Any)' : '';
        throw new EnvoyJsonError(fieldPath, 'json.unknown_field', `unknown field "${key}" in ${type.fullName.slice(1)}${hint}`);
      }
      // A field given twice needs both its spellings among the keys (proto name and JSON name).
      const twin = twins.get(key);
      if (twin !== undefined && names.get(twin) === field && Object.prototype.hasOwnProperty.call(json, twin)) {
        if (seen?.has(field.name)) {
          throw new EnvoyJsonError(fieldPath, 'json.duplicate', `field "${field.name}" is given twice (as "${field.name}" and as its JSON name)`);
        }
        (seen ??= new Set()).add(field.name);
      }
      if (value === null && !this.isValueType(field)) continue; // null means "not set"
      if (field.partOf) {
        const other = oneofSet?.get(field.partOf.name);
        if (other && other !== field.name) {
          throw new EnvoyJsonError(fieldPath, 'json.oneof', `fields "${other}" and "${field.name}" are both set, but they belong to oneof "${field.partOf.name}" and at most one may be set`);
        }
        (oneofSet ??= new Map()).set(field.partOf.name, field.name);
      }
      let read: unknown;
      if (field.map) read = this.map(field as unknown as protobuf.MapField, value, fieldPath);
      else if (field.repeated) read = this.list(field, value, fieldPath);
      else read = this.single(field, value, fieldPath);
      if (!field.map && !field.repeated && !hasPresence(field) && isDefaultScalar(read)) continue;
      if ((field.map && Object.keys(read as object).length === 0) || (field.repeated && (read as unknown[]).length === 0)) continue;
      props[field.name] = read;
    }
    return props;
  }

  private isValueType(field: protobuf.FieldBase): boolean {
    return !field.map && !!field.resolvedType && fullNameOf(field.resolvedType) === '.google.protobuf.Value';
  }

  private list(field: protobuf.FieldBase, json: Json, path: string): unknown[] {
    if (!Array.isArray(json)) throw typeError(path, 'an array', json);
    return json.map((item, i) => {
      const p = this.at(path, i);
      if (item === null && !this.isValueType(field)) throw new EnvoyJsonError(p, 'json.type', 'null is not allowed as a list element');
      return this.single(field, item, p);
    });
  }

  private map(field: protobuf.MapField, json: Json, path: string): Record<string, unknown> {
    if (!isObject(json)) throw typeError(path, 'an object (map)', json);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(json).sort()) {
      const p = this.paths ? joinMapKey(path, key) : '';
      this.checkMapKey(field.keyType, key, p);
      const value = json[key];
      if (value === null && !(field.resolvedType && fullNameOf(field.resolvedType) === '.google.protobuf.Value')) throw new EnvoyJsonError(p, 'json.type', 'null is not allowed as a map value');
      out[key] = this.single(field, value, p);
    }
    return out;
  }

  private checkMapKey(keyType: string, key: string, path: string): void {
    if (keyType === 'string') return;
    if (keyType === 'bool') {
      if (key !== 'true' && key !== 'false') throw new EnvoyJsonError(path, 'json.type', `map key must be "true" or "false", got "${key}"`);
      return;
    }
    this.scalar(keyType, key, path); // integer keys: same rules as integer values given as strings
  }

  private single(field: protobuf.FieldBase, json: Json, path: string): unknown {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved, json, path);
    if (resolved instanceof protobuf.Enum) return this.enumValue(resolved, json, path);
    return this.scalar(field.type, json, path);
  }

  enumValue(type: protobuf.Enum, json: Json, path: string): number {
    if (typeof json === 'string') {
      const v = type.values[json];
      if (v === undefined) {
        const names = Object.keys(type.values);
        throw new EnvoyJsonError(path, 'json.enum', `unknown value "${json}" for enum ${type.fullName.slice(1)} (one of ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`);
      }
      return v;
    }
    if (typeof json === 'number' && Number.isInteger(json) && json >= -(2 ** 31) && json < 2 ** 31) return json;
    throw typeError(path, `an enum name of ${type.fullName.slice(1)}`, json);
  }

  scalar(kind: string, json: Json, path: string): unknown {
    switch (kind) {
      case 'string':
        if (typeof json !== 'string') throw typeError(path, 'a string', json);
        return json;
      case 'bool':
        if (typeof json !== 'boolean') throw typeError(path, 'true or false', json);
        return json;
      case 'bytes': {
        if (typeof json !== 'string') throw typeError(path, 'a base64 string', json);
        if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(json) || json.replace(/=+$/, '').length % 4 === 1) {
          throw new EnvoyJsonError(path, 'json.type', 'expected a base64 string (bytes)');
        }
        return new Uint8Array(Buffer.from(json, 'base64'));
      }
      case 'double':
      case 'float': {
        let n: number;
        if (typeof json === 'number') n = json;
        else if (json === 'NaN' || json === 'Infinity' || json === '-Infinity') n = Number(json);
        else if (typeof json === 'string' && /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(json)) n = Number(json);
        else throw typeError(path, 'a number', json);
        if (kind === 'float' && Number.isFinite(n) && Math.abs(n) > FLOAT_MAX) throw new EnvoyJsonError(path, 'json.range', `${n} is out of range for float`);
        return n;
      }
      case 'int32': case 'sint32': case 'sfixed32':
        return this.int(json, path, kind, -(2 ** 31), 2 ** 31 - 1);
      case 'uint32': case 'fixed32':
        return this.int(json, path, kind, 0, 2 ** 32 - 1);
      case 'int64': case 'sint64': case 'sfixed64':
        return this.long(json, path, kind, false);
      case 'uint64': case 'fixed64':
        return this.long(json, path, kind, true);
      default:
        throw new EnvoyJsonError(path, 'json.type', `unsupported field type ${kind}`);
    }
  }

  private int(json: Json, path: string, kind: string, min: number, max: number): number {
    let n: number;
    if (typeof json === 'number') n = json;
    else if (typeof json === 'string' && /^-?\d+$/.test(json)) n = Number(json);
    else throw typeError(path, `an integer (${kind})`, json);
    if (!Number.isInteger(n)) throw typeError(path, `an integer (${kind})`, json);
    if (n < min || n > max) throw new EnvoyJsonError(path, 'json.range', `${json} is out of range for ${kind} (${min} to ${max})`);
    return n;
  }

  private long(json: Json, path: string, kind: string, unsigned: boolean): LongLike {
    let big: bigint;
    if (typeof json === 'number' && Number.isInteger(json)) big = BigInt(json);
    else if (typeof json === 'string' && /^-?\d+$/.test(json)) big = BigInt(json);
    else throw typeError(path, `an integer (${kind}, as a number or a decimal string)`, json);
    const range = unsigned ? UINT64 : INT64;
    if (big < range.min || big > range.max) throw new EnvoyJsonError(path, 'json.range', `${json} is out of range for ${kind}`);
    return Long.fromString(big.toString(), unsigned);
  }

  /** The special JSON mappings of google.protobuf.*; null when `type` has none. */
  private wellKnown(type: protobuf.Type, json: Json, path: string): Props | null {
    const name = fullNameOf(type);
    if (!name.startsWith('.google.protobuf.')) return null;
    switch (name.slice(17)) {
      case 'Any':
        return this.any(json, path);
      case 'Duration': {
        if (typeof json !== 'string') throw typeError(path, 'a Duration string such as "5s"', json);
        const d = parseDuration(json);
        if (typeof d === 'string') throw new EnvoyJsonError(path, 'json.duration', d);
        return omitZero({ seconds: Long.fromNumber(d.seconds), nanos: d.nanos });
      }
      case 'Timestamp': {
        if (typeof json !== 'string') throw typeError(path, 'an RFC 3339 timestamp string', json);
        const t = parseTimestamp(json);
        if (typeof t === 'string') throw new EnvoyJsonError(path, 'json.timestamp', t);
        return omitZero({ seconds: Long.fromNumber(t.seconds), nanos: t.nanos });
      }
      case 'FieldMask': {
        if (typeof json !== 'string') throw typeError(path, 'a FieldMask string such as "a.b,c"', json);
        const paths = parseFieldMask(json);
        if (typeof paths === 'string') throw new EnvoyJsonError(path, 'json.field_mask', paths);
        return paths.length ? { paths } : {};
      }
      case 'Struct': {
        if (!isObject(json)) throw typeError(path, 'an object (google.protobuf.Struct)', json);
        const valueType = this.types.type('google.protobuf.Value');
        const fields: Record<string, unknown> = {};
        for (const key of Object.keys(json).sort()) fields[key] = this.message(valueType, json[key], this.paths ? joinMapKey(path, key) : '');
        return Object.keys(fields).length ? { [fieldName(type, 1)]: fields } : {};
      }
      case 'ListValue': {
        if (!Array.isArray(json)) throw typeError(path, 'an array (google.protobuf.ListValue)', json);
        const valueType = this.types.type('google.protobuf.Value');
        const values = json.map((v, i) => this.message(valueType, v, this.at(path, i)));
        return values.length ? { [fieldName(type, 1)]: values } : {};
      }
      case 'Value': {
        if (json === null) return { [fieldName(type, 1)]: 0 };
        if (typeof json === 'number') {
          if (!Number.isFinite(json)) throw new EnvoyJsonError(path, 'json.range', 'a google.protobuf.Value number must be finite');
          return { [fieldName(type, 2)]: json };
        }
        if (typeof json === 'string') return { [fieldName(type, 3)]: json };
        if (typeof json === 'boolean') return { [fieldName(type, 4)]: json };
        if (Array.isArray(json)) return { [fieldName(type, 6)]: this.message(this.types.type('google.protobuf.ListValue'), json, path) };
        if (isObject(json)) return { [fieldName(type, 5)]: this.message(this.types.type('google.protobuf.Struct'), json, path) };
        throw typeError(path, 'a JSON value', json);
      }
      case 'DoubleValue': case 'FloatValue': case 'Int64Value': case 'UInt64Value': case 'Int32Value':
      case 'UInt32Value': case 'BoolValue': case 'StringValue': case 'BytesValue': {
        if (json === null) throw typeError(path, `a ${name.slice(17)}`, json);
        const field = type.fieldsById[1]!;
        const value = this.scalar(field.type, json, path);
        return isDefaultScalar(value) ? {} : { [field.name]: value };
      }
      default:
        return null;
    }
  }

  private any(json: Json, path: string): Props {
    if (!isObject(json)) throw typeError(path, 'an object with "@type" (google.protobuf.Any)', json);
    const url = json['@type'];
    if (url === undefined) throw new EnvoyJsonError(path, 'any.missing_type', 'google.protobuf.Any without "@type"');
    if (typeof url !== 'string') throw typeError(this.at(path, '@type'), 'a type URL string', url);
    const inner = this.types.byUrl(url);
    if (!inner) throw new EnvoyJsonError(path, 'any.unknown_type', `unknown type "${url}" in "@type" (not a message of the Envoy API that meshc loads)`);
    let body: Json;
    if (hasSpecialJson(inner)) {
      for (const key of Object.keys(json)) {
        if (key !== '@type' && key !== 'value') throw new EnvoyJsonError(this.at(path, key), 'json.unknown_field', `unknown field "${key}" in a google.protobuf.Any holding ${inner.fullName.slice(1)} (only "value")`);
      }
      if (!('value' in json)) throw new EnvoyJsonError(path, 'json.type', `a google.protobuf.Any holding ${inner.fullName.slice(1)} needs "value"`);
      body = json.value;
    } else {
      const { '@type': _, ...rest } = json;
      body = rest;
    }
    const message = this.message(inner, body, path);
    return { type_url: url, value: inner.encode(message).finish() };
  }
}

function omitZero(p: { seconds: LongLike; nanos: number }): Props {
  const out: Props = {};
  if (!isDefaultScalar(p.seconds)) out.seconds = p.seconds;
  if (p.nanos !== 0) out.nanos = p.nanos;
  return out;
}

/** protobufjs names the Struct/Value fields in camelCase; look them up by number. */
function fieldName(type: protobuf.Type, id: number): string {
  return type.fieldsById[id]!.name;
}

const SPECIAL = new Set(['Duration', 'Timestamp', 'FieldMask', 'Struct', 'ListValue', 'Value', 'Any', 'DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue', 'Empty']);

/** Well-known types whose JSON inside an Any goes under "value" (Empty is an ordinary object). */
export function hasSpecialJson(type: protobuf.Type): boolean {
  const name = fullNameOf(type);
  return name.startsWith('.google.protobuf.') && SPECIAL.has(name.slice(17)) && name !== '.google.protobuf.Empty';
}
