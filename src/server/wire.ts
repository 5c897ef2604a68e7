/**
 * Protocol-buffer wire primitives. The server hand-codes the few xDS envelope
 * messages it needs (requests, responses, health) so that it never loads the
 * Envoy protos and can splice the pre-encoded `Any` bytes compile wrote into a
 * response without decoding or re-encoding them.
 */

export class WireError extends Error {}

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

/** Reads one message; every method throws WireError on truncated or malformed input. */
export class WireReader {
  pos: number;
  readonly end: number;

  constructor(readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const b = this.buf[this.pos++]!;
      // Values above 2^53 are only used by fields the server skips; keep the low bits exact enough.
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** Returns [fieldNumber, wireType]. */
  tag(): [number, number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    const wire = t % 8;
    if (field < 1 || field > 536_870_911) throw new WireError(`invalid field number ${field}`);
    return [field, wire];
  }

  /** The bounds of a length-delimited field's payload; advances past it. */
  lengthDelimited(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (len > this.end - start) throw new WireError('length-delimited field runs past the end of the message');
    this.pos = start + len;
    return [start, start + len];
  }

  bytes(): Uint8Array {
    const [s, e] = this.lengthDelimited();
    return this.buf.subarray(s, e);
  }

  string(): string {
    const [s, e] = this.lengthDelimited();
    // Requests arrive as Buffers: decode in place, no view object per string.
    if (Buffer.isBuffer(this.buf)) return this.buf.toString('utf8', s, e);
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + s, e - s).toString('utf8');
  }

  sub(): WireReader {
    const [s, e] = this.lengthDelimited();
    return new WireReader(this.buf, s, e);
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT: this.varint(); return;
      case WIRE_I64: this.advance(8); return;
      case WIRE_LEN: this.lengthDelimited(); return;
      case WIRE_I32: this.advance(4); return;
      default: throw new WireError(`unsupported wire type ${wire}`);
    }
  }

  expect(wire: number, expected: number, field: string): void {
    if (wire !== expected) throw new WireError(`field ${field} has wire type ${wire}, expected ${expected}`);
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new WireError('truncated fixed-width field');
    this.pos += n;
  }
}

export const WIRE = { VARINT: WIRE_VARINT, LEN: WIRE_LEN } as const;

/** Accumulates encoded fields as a list of chunks; `finish()` concatenates them once. */
export class WireWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  raw(bytes: Uint8Array): this {
    if (bytes.length > 0) {
      this.chunks.push(bytes);
      this.size += bytes.length;
    }
    return this;
  }

  /** A length-delimited field whose payload is given as bytes (not copied until finish). */
  bytesField(field: number, payload: Uint8Array): this {
    this.raw(encodeVarint(field * 8 + WIRE_LEN));
    this.raw(encodeVarint(payload.length));
    return this.raw(payload);
  }

  stringField(field: number, value: string): this {
    if (value === '') return this; // proto3 default: not written
    return this.bytesField(field, Buffer.from(value, 'utf8'));
  }

  varintField(field: number, value: number): this {
    if (value === 0) return this;
    this.raw(encodeVarint(field * 8 + WIRE_VARINT));
    return this.raw(encodeVarint(value));
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** One-byte varints (tags and short lengths: most of them) are shared, never to be written to. */
const SMALL_VARINTS = Array.from({ length: 0x80 }, (_, v) => Uint8Array.of(v));

export function encodeVarint(value: number): Uint8Array {
  if (value >= 0 && value < 0x80 && Number.isInteger(value)) return SMALL_VARINTS[value]!;
  if (!Number.isSafeInteger(value) || value < 0) throw new WireError(`cannot encode varint ${value}`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/**
 * Splits a stream of varint-length-prefixed messages (protobuf `writeDelimited`
 * framing, as compile writes the `.pb` files) into the message bytes.
 */
export function splitDelimited(buf: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const r = new WireReader(buf);
  while (!r.done) out.push(r.bytes());
  return out;
}
