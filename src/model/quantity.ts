/**
 * split.smi-spec.io/v1alpha1 weights are Kubernetes Quantities ("1" = 1000m).
 * They are normalised to whole milli-units, exactly: {1, 500m} → {1000, 500}
 * (2:1), not {1, 500} as the upstream SDK converter computes. Weights finer
 * than 1m scale the whole split by the same power of ten; no weight is ever
 * rounded on its own.
 */

/** A Quantity as mantissa × 10^exponent milli-units (exact). */
interface Milli { mantissa: bigint; exponent: number }

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const QUANTITY = /^\+?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:([KMGTPE]i)|([numkMGTPE])|[eE]([+-]?\d+))?$/;
/** Exponents beyond this are rejected before any big number is built. */
const MAX_EXPONENT = 40;

export type QuantityResult = { ok: true; milli: Milli } | { ok: false; reason: string };

/** Parses one weight (an integer or a Quantity string) into exact milli-units. */
export function parseQuantity(input: number | string): QuantityResult {
  const text = typeof input === 'number' ? String(input) : input.trim();
  if (typeof input === 'number' && (!Number.isSafeInteger(input) || input < 0)) {
    return { ok: false, reason: input < 0 ? 'weights must not be negative' : 'too large to be exact as a number, write it as a Quantity string (e.g. "1E")' };
  }
  const m = QUANTITY.exec(text);
  if (!m) {
    return { ok: false, reason: text.startsWith('-') ? 'weights must not be negative' : 'expected a Kubernetes Quantity such as 1, "500m", "1.5", "1k", "1Ki" or "1e3"' };
  }
  const [, intPart, fracPart, onlyFrac, binary, decimal, exp] = m;
  const whole = intPart ?? '';
  const frac = onlyFrac ?? fracPart ?? '';
  let mantissa = BigInt((whole + frac).replace(/^0+(?=\d)/, '') || '0');
  let exponent = 3 - frac.length;
  if (binary) mantissa *= 1024n ** BigInt(BINARY_SUFFIX[binary]!);
  else if (decimal !== undefined) exponent += DECIMAL_SUFFIX[decimal]!;
  else if (exp !== undefined) {
    const e = Number(exp);
    if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) return { ok: false, reason: `exponent ${exp} is out of range` };
    exponent += e;
  }
  if (mantissa === 0n) return { ok: true, milli: { mantissa: 0n, exponent: 0 } };
  while (exponent < 0 && mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  return { ok: true, milli: { mantissa, exponent } };
}

export type NormalisedWeights =
  | { ok: true; weights: number[]; scale: number; reduced: boolean }
  /** `index`: the weight that cannot be represented next to the others. */
  | { ok: false; reason: string; index: number };

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * Normalises the weights of one split. `scale` is the extra power of ten the
 * weights were multiplied by (0 unless a weight was finer than 1m): each
 * weight is (milli-units × 10^scale). `reduced` is set when the weights were
 * too large and had to be divided by their common divisor (then they are
 * only relative).
 */
export function normaliseWeights(values: Milli[]): NormalisedWeights {
  const nonZero = values.filter((v) => v.mantissa !== 0n);
  const scale = Math.max(0, ...nonZero.map((v) => -v.exponent));
  const tooFar = values.findIndex((v) => v.mantissa !== 0n && v.exponent + scale > MAX_EXPONENT);
  if (tooFar >= 0) {
    return { ok: false, reason: 'it is more than 10^40 times the finest weight', index: tooFar };
  }
  let reduced = false;
  let big = values.map((v) => (v.mantissa === 0n ? 0n : v.mantissa * 10n ** BigInt(v.exponent + scale)));
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (big.some((w) => w > limit)) {
    // Only the ratios matter: divide by the common divisor before giving up.
    const divisor = big.reduce((a, b) => gcd(a, b), 0n);
    if (divisor > 1n) {
      big = big.map((w) => w / divisor);
      reduced = true;
    }
    const largest = big.reduce((best, w, i) => (w > big[best]! ? i : best), 0);
    if (big[largest]! > limit) {
      return { ok: false, reason: `it needs ${big[largest]!.toString().length} digits, more than meshc compares exactly (2^53)`, index: largest };
    }
  }
  return { ok: true, weights: big.map(Number), scale, reduced };
}
