// Length-delimited framing of the *.pb files: each encoded google.protobuf.Any
// preceded by its byte length as a protobuf varint (like writeDelimited).

export function encodeDelimited(messages: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const m of messages) size += varintLength(m.length) + m.length;
  const out = new Uint8Array(size);
  let pos = 0;
  for (const m of messages) {
    let n = m.length;
    while (n > 0x7f) {
      out[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    out[pos++] = n;
    out.set(m, pos);
    pos += m.length;
  }
  return out;
}

function varintLength(n: number): number {
  let len = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Splits a *.pb file back into its messages; throws on a truncated or malformed file. */
export function decodeDelimited(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let len = 0;
    let shift = 1;
    for (let i = 0; ; i++) {
      if (pos >= bytes.length || i > 4) throw new Error(`malformed length prefix at byte ${pos}`);
      const b = bytes[pos++]!;
      len += (b & 0x7f) * shift;
      shift *= 128;
      if (b < 0x80) break;
    }
    if (pos + len > bytes.length) throw new Error(`message of ${len} bytes at byte ${pos} runs past the end (${bytes.length} bytes)`);
    out.push(bytes.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}
