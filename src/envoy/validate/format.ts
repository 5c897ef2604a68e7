// PGV's wording for values and ranges (Envoy's generated C++ validators).
import { formatDuration } from '../protos/wkt.ts';

export type Num = bigint | number;

export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

export function list(values: unknown[], render: (v: unknown) => string = show): string {
  return `[${values.map(render).join(' ')}]`;
}

export function showDuration(d: { seconds?: unknown; nanos?: unknown } | undefined): string {
  return formatDuration(Number(d?.seconds ?? 0), Number(d?.nanos ?? 0));
}
