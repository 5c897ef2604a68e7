// Walks protobuf wire bytes against a message type and reports the first
// field the type does not declare (protobufjs' decoder skips those silently),
// a wire type that does not fit the field, or an Any of an unknown type.
import { fullNameOf } from './type-index.ts';
import protobuf from 'protobufjs';
import { EnvoyJsonError, joinPath } from './errors.ts';
import type { TypeIndex } from './type-index.ts';

const WIRE: Record<string, number> = {
  int32: 0, int64: 0, uint32: 0, uint64: 0, sint32: 0, sint64: 0, bool: 0,
  fixed64: 1, sfixed64: 1, double: 1,
  string: 2, bytes: 2,
  fixed32: 5, sfixed32: 5, float: 5,
};

function expectedWire(field: protobuf.Field): number {
  if (field.map || field.resolvedType instanceof protobuf.Type) return 2;
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  return WIRE[field.type] ?? 2;
}

export function checkWire(types: TypeIndex, type: protobuf.Type, bytes: Uint8Array, path: string): void {
  const reader = protobuf.Reader.create(bytes);
  try {
    walk(types, type, reader, bytes.length, path);
  } catch (e) {
    if (e instanceof EnvoyJsonError) throw e;
    throw new EnvoyJsonError(path, 'wire.decode', `cannot decode ${type.fullName.slice(1)}: ${(e as Error).message}`);
  }
}

function walk(types: TypeIndex, type: protobuf.Type, r: protobuf.Reader, end: number, path: string): void {
  let anyUrl: string | null = null;
  let anyValue: Uint8Array | null = null;
  const isAny = fullNameOf(type) === '.google.protobuf.Any';
  while (r.pos < end) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wt = tag & 7;
    const field = type.fieldsById[id];
    if (!field) throw new EnvoyJsonError(path, 'wire.unknown_field', `field number ${id} is not declared in ${type.fullName.slice(1)}`);
    const fieldPath = joinPath(path, field.name);
    const want = expectedWire(field);
    const packed = field.repeated && wt === 2 && want !== 2;
    if (wt !== want && !packed) throw new EnvoyJsonError(fieldPath, 'wire.decode', `wire type ${wt} does not fit field ${field.name} (${field.type})`);
    if (wt !== 2) {
      r.skipType(wt);
      continue;
    }
    const len = r.uint32();
    const start = r.pos;
    if (start + len > end) throw new EnvoyJsonError(fieldPath, 'wire.decode', 'length runs past the end of the message');
    const sub = r.buf.subarray(start, start + len);
    if (isAny && id === 1) anyUrl = Buffer.from(sub).toString('utf8');
    else if (isAny && id === 2) anyValue = sub;
    else if (field.map) {
      const entry = protobuf.Reader.create(sub);
      while (entry.pos < len) {
        const t = entry.uint32();
        if (t >>> 3 === 2 && (t & 7) === 2 && field.resolvedType instanceof protobuf.Type) {
          const n = entry.uint32();
          const value = protobuf.Reader.create(entry.buf.subarray(entry.pos, entry.pos + n));
          walk(types, field.resolvedType, value, n, fieldPath);
          entry.pos += n;
        } else entry.skipType(t & 7);
      }
    } else if (field.resolvedType instanceof protobuf.Type) {
      walk(types, field.resolvedType, protobuf.Reader.create(sub), len, field.repeated ? `${fieldPath}[]` : fieldPath);
    }
    r.pos = start + len;
  }
  if (isAny && (anyUrl || anyValue)) {
    const inner = anyUrl ? types.byUrl(anyUrl) : null;
    if (!inner) throw new EnvoyJsonError(path, 'any.unknown_type', `unknown type "${anyUrl ?? ''}" in a google.protobuf.Any`);
    const value = anyValue ?? new Uint8Array();
    walk(types, inner, protobuf.Reader.create(value), value.length, path);
  }
}
