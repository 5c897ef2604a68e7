// protobufjs message → proto3 JSON: proto field names, fields in field-number
// order, "@type" first in every Any, map keys sorted, defaults omitted,
// 64-bit integers as strings, enums as names, Durations as "5s". The same
// message always gives the same JSON text.
import { fullNameOf } from './type-index.ts';
import protobuf from 'protobufjs';
import { EnvoyJsonError, joinMapKey, joinPath } from './errors.ts';
import { hasPresence, hasSpecialJson, isDefaultScalar } from './json-in.ts';
import type { TypeIndex } from './type-index.ts';
import { checkWire } from './wire.ts';
import { formatDuration, formatFieldMask, formatTimestamp, longToString, toNumber } from './wkt.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

type Msg = Record<string, unknown>;

/** Shortest decimal that reads back as the same float32 (protobufjs decodes floats to doubles). */
function float32(n: number): number {
  if (!Number.isFinite(n)) return n;
  for (let p = 1; p <= 9; p++) {
    const v = Number(n.toPrecision(p));
    if (Math.fround(v) === Math.fround(n)) return v;
  }
  return n;
}

function nonFinite(n: number): JsonValue {
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

function firstNames(type: protobuf.Enum): Map<number, string> {
  const out = new Map<number, string>();
  for (const [name, id] of Object.entries(type.values)) if (!out.has(id)) out.set(id, name);
  return out;
}

export class JsonWriter {
  private readonly enumNames = new Map<protobuf.Enum, Map<number, string>>();

  constructor(private readonly types: TypeIndex) {}

  message(type: protobuf.Type, msg: Msg, path: string): JsonValue {
    const special = this.wellKnown(type, msg, path);
    if (special !== undefined) return special;
    const out: JsonObject = {};
    for (const field of sortedFields(type)) {
      const value = msg[field.name];
      if (value === undefined || value === null) continue;
      const fieldPath = joinPath(path, field.name);
      if (field.map) {
        const keys = Object.keys(value as object).sort();
        if (keys.length === 0) continue;
        const obj: JsonObject = {};
        for (const key of keys) obj[key] = this.single(field, (value as Msg)[key], joinMapKey(fieldPath, key));
        out[field.name] = obj;
      } else if (field.repeated) {
        const list = value as unknown[];
        if (list.length === 0) continue;
        out[field.name] = list.map((item, i) => this.single(field, item, joinPath(fieldPath, i)));
      } else {
        if (!Object.prototype.hasOwnProperty.call(msg, field.name) && !(field.resolvedType instanceof protobuf.Type)) continue;
        if (!hasPresence(field) && isDefaultScalar(value)) continue;
        out[field.name] = this.single(field, value, fieldPath);
      }
    }
    return out;
  }

  private single(field: protobuf.Field, value: unknown, path: string): JsonValue {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved, value as Msg, path);
    if (resolved instanceof protobuf.Enum) return this.enumName(resolved, value as number);
    return this.scalar(field.type, value);
  }

  private enumName(type: protobuf.Enum, value: number): JsonValue {
    let names = this.enumNames.get(type);
    if (!names) this.enumNames.set(type, (names = firstNames(type)));
    return names.get(value) ?? value;
  }

  private scalar(kind: string, value: unknown): JsonValue {
    switch (kind) {
      case 'int64': case 'sint64': case 'sfixed64':
        return longToString(value, false);
      case 'uint64': case 'fixed64':
        return longToString(value, true);
      case 'bytes':
        return Buffer.from(value as Uint8Array).toString('base64');
      case 'float':
        return Number.isFinite(value) ? float32(value as number) : nonFinite(value as number);
      case 'double':
        return Number.isFinite(value) ? (value as number) : nonFinite(value as number);
      default:
        return value as JsonValue;
    }
  }

  private wellKnown(type: protobuf.Type, msg: Msg, path: string): JsonValue | undefined {
    const name = fullNameOf(type);
    if (!name.startsWith('.google.protobuf.')) return undefined;
    // Own properties only: protobufjs puts defaults of oneof members on the prototype.
    const byId = (id: number) => {
      const key = type.fieldsById[id]!.name;
      return Object.prototype.hasOwnProperty.call(msg, key) ? msg[key] : undefined;
    };
    switch (name.slice(17)) {
      case 'Any':
        return this.any(msg, path);
      case 'Duration':
        return formatDuration(toNumber(msg.seconds), toNumber(msg.nanos ?? 0));
      case 'Timestamp':
        return formatTimestamp(toNumber(msg.seconds), toNumber(msg.nanos ?? 0));
      case 'FieldMask':
        return formatFieldMask((msg.paths as string[] | undefined) ?? []);
      case 'Struct': {
        const fields = (byId(1) ?? {}) as Record<string, Msg>;
        const valueType = this.types.type('google.protobuf.Value');
        const out: JsonObject = {};
        for (const key of Object.keys(fields).sort()) out[key] = this.message(valueType, fields[key]!, joinMapKey(path, key));
        return out;
      }
      case 'ListValue': {
        const valueType = this.types.type('google.protobuf.Value');
        return ((byId(1) ?? []) as Msg[]).map((v, i) => this.message(valueType, v, joinPath(path, i)));
      }
      case 'Value': {
        if (byId(1) != null) return null;
        if (byId(2) != null) return byId(2) as number;
        if (byId(3) != null) return byId(3) as string;
        if (byId(4) != null) return byId(4) as boolean;
        if (byId(5) != null) return this.message(this.types.type('google.protobuf.Struct'), byId(5) as Msg, path);
        if (byId(6) != null) return this.message(this.types.type('google.protobuf.ListValue'), byId(6) as Msg, path);
        return null;
      }
      case 'DoubleValue': case 'FloatValue': case 'Int64Value': case 'UInt64Value': case 'Int32Value':
      case 'UInt32Value': case 'BoolValue': case 'StringValue': case 'BytesValue': {
        const field = type.fieldsById[1]!;
        const v = msg[field.name];
        if (v === undefined || v === null) return this.scalar(field.type, field.type === 'bool' ? false : field.type === 'string' ? '' : field.type === 'bytes' ? new Uint8Array() : 0);
        return this.scalar(field.type, v);
      }
      default:
        return undefined;
    }
  }

  /** Any → {"@type": url, ...fields}; the packed bytes are checked for unknown fields first. */
  private any(msg: Msg, path: string): JsonValue {
    const url = (msg.type_url as string | undefined) ?? '';
    const bytes = (msg.value as Uint8Array | undefined) ?? new Uint8Array();
    if (!url) throw new EnvoyJsonError(path, 'any.missing_type', 'google.protobuf.Any without a type URL');
    const inner = this.types.byUrl(url);
    if (!inner) throw new EnvoyJsonError(path, 'any.unknown_type', `unknown type "${url}" in a google.protobuf.Any`);
    checkWire(this.types, inner, bytes, path);
    const decoded = inner.decode(bytes) as unknown as Msg;
    const body = this.message(inner, decoded, path);
    if (hasSpecialJson(inner)) return { '@type': url, value: body };
    return { '@type': url, ...(body as JsonObject) };
  }
}

const sortedCache = new WeakMap<protobuf.Type, protobuf.Field[]>();
function sortedFields(type: protobuf.Type): protobuf.Field[] {
  let list = sortedCache.get(type);
  if (!list) sortedCache.set(type, (list = [...type.fieldsArray].sort((a, b) => a.id - b.id)));
  return list;
}
