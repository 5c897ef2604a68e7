/** Ordering helpers shared by every stage that sorts for deterministic output. */

/** Code-unit order (not locale order: output must not depend on the machine's locale). */
export function compareText(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Largest value of a protobuf uint32: Envoy and gRPC clients take weights and their sums as this. */
export const UINT32_MAX = 4_294_967_295;
