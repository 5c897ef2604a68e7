/** Small helpers for benchmarks: medians of alternating runs, memory figures. */
import { performance } from 'node:perf_hooks';

export async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs the contenders alternately `rounds` times and returns each one's median milliseconds. */
export async function compare(rounds: number, contenders: Record<string, () => unknown | Promise<unknown>>): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) {
      (globalThis as { gc?: () => void }).gc?.();
      (times[name] ??= []).push(await timeIt(fn));
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function verdict(label: string, ratio: number, limit: number): string {
  return `${label}: ${ratio.toFixed(2)}x (target <= ${limit}x) ${ratio <= limit ? 'OK' : 'OVER TARGET'}`;
}
