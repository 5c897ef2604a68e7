/**
 * The bytes of a parsed file's raw objects: in parse cache entries, in parse
 * workers' answers and under their content digest (parsed-file.ts). JSON
 * when JSON gives back exactly these objects, which is what a re-check reads
 * for every unchanged file: JSON.parse reads them about 1.6× faster than
 * v8's deserialiser (measured on the 2,000-service benchmark mesh). v8's
 * serialisation otherwise: for -0, NaN, ±Infinity, an object a YAML alias
 * shares between two places, or anything that is not plain data. The first
 * byte tells them apart: v8's encoding starts with its version tag 0xFF, the
 * JSON of a list with `[`.
 */
import { decodeValue, encodeValue } from '../core/cache-file.ts';

const JSON_LIST = 0x5b; // '['

/**
 * Does JSON.parse(JSON.stringify(v)) give back an equal value, with the same
 * keys in the same order and no object reached twice? (Keys in their order:
 * both sides are ordinary objects, whose integer-like keys V8 orders alike;
 * an own `__proto__` key stays an own key, as JSON.parse defines it.)
 */
function jsonExact(v: unknown, seen: Set<object>): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (seen.has(v)) return false;
      seen.add(v);
      if (Array.isArray(v)) {
        if (Object.keys(v).length !== v.length) return false; // holes or extra properties
        for (const item of v) if (!jsonExact(item, seen)) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k of Object.keys(v)) if (!jsonExact((v as Record<string, unknown>)[k], seen)) return false;
      return true;
    }
    default:
      return false; // undefined, bigint, symbol, function
  }
}

/** The bytes of `documents` (a list): JSON when exact, else v8's serialisation; throws on what neither can hold. */
export function encodeObjects(documents: unknown[]): Uint8Array {
  return jsonExact(documents, new Set()) ? Buffer.from(JSON.stringify(documents)) : encodeValue(documents);
}

/** The list encodeObjects encoded; throws on damaged bytes. */
export function decodeObjects(bytes: Uint8Array): unknown {
  if (bytes[0] !== JSON_LIST) return decodeValue(bytes);
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return JSON.parse(buf.toString('utf8'));
}
