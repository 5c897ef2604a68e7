/** HTTPRouteGroup matches → normalised IR matches. */
import { compareText as cmp } from '../../core/compare.ts';
import type { HTTPMatch } from '../../model/types.ts';
import type { AdmittedHttpMatch } from '../../reach/types.ts';
import type { HttpMatchIR } from './ir.ts';


/** Methods sorted and de-duplicated; `*` anywhere (or none given) = every method (undefined). */
export function normaliseMethods(methods: readonly string[] | undefined): string[] | undefined {
  if (!methods || methods.length === 0 || methods.includes('*')) return undefined;
  return [...new Set(methods.map((m) => m.toUpperCase()))].sort(cmp);
}

export function matchIR(groupKey: string, m: Pick<HTTPMatch, 'name' | 'pathRegex' | 'methods' | 'headers' | 'queryParams'> | AdmittedHttpMatch): HttpMatchIR {
  const out: HttpMatchIR = {
    name: `${groupKey}/${m.name}`,
    headers: m.headers.map((h) => ({ name: h.name.toLowerCase(), value: h.value })).sort((a, b) => cmp(a.name, b.name) || cmp(a.value, b.value)),
  };
  if (m.pathRegex !== undefined) out.pathRegex = m.pathRegex;
  const methods = normaliseMethods(m.methods);
  if (methods) out.methods = methods;
  const query = 'queryParams' in m ? m.queryParams : undefined;
  if (query && query.length > 0) out.queryParams = query.map((q) => ({ ...q })).sort((a, b) => cmp(a.name, b.name));
  return out;
}

/** Content key: two matches with the same key select the same requests. */
export function matchKey(m: HttpMatchIR): string {
  const key: unknown[] = [m.pathRegex ?? null, m.methods ?? null, m.headers.map((h) => [h.name, h.value])];
  if (m.queryParams) key.push(m.queryParams.map((q) => [q.name, q.type, q.value]));
  return JSON.stringify(key);
}

/** A match that selects every request (no path, method or header condition). */
export function matchesEverything(m: HttpMatchIR): boolean {
  return m.pathRegex === undefined && m.methods === undefined && m.headers.length === 0 && !m.queryParams?.length;
}

export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export { UINT32_MAX } from '../../core/compare.ts';

/** Weights divided by their greatest common divisor: the exact same ratio, smallest integers. */
export function reduceWeights(weights: number[]): number[] {
  const g = weights.reduce((acc, w) => gcd(acc, w), 0);
  return g > 1 ? weights.map((w) => w / g) : [...weights];
}
