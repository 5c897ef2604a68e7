/** Numbers for messages. (Near-match suggestions live in src/core/suggest.ts.) */

/**
 * A share in percent for messages: one decimal from 1% up ("10%", "33.3%"),
 * two significant digits below ("0.01%"), never a misleading "0%" for a non-zero share.
 */
export function sharePercent(part: number, total: number): number {
  if (total <= 0 || part <= 0) return 0;
  const v = (100 * part) / total;
  return v >= 1 ? Math.round(v * 10) / 10 : Number(v.toPrecision(2));
}
