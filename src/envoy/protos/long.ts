// protobufjs represents 64-bit integers with the `long` package (a dependency
// of protobufjs, reached through protobuf.util.Long). Typed locally so meshc
// does not depend on `long` directly.
import protobuf from 'protobufjs';

export interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
  toString(radix?: number): string;
}

interface LongStatic {
  fromString(text: string, unsigned?: boolean): LongLike;
  fromNumber(value: number, unsigned?: boolean): LongLike;
  fromBits(low: number, high: number, unsigned?: boolean): LongLike;
}

export const Long = protobuf.util.Long as unknown as LongStatic;

export function isLong(v: unknown): v is LongLike {
  return !!v && typeof v === 'object' && 'low' in v && 'high' in v;
}
