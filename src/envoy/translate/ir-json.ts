/**
 * The IR as canonical JSON, for review (test/golden/<fixture>/ir.json): object
 * keys sorted at every level, the cluster map as an object keyed (sorted) by
 * cluster name; arrays keep their order, which the builder makes
 * deterministic and which means something (routes in match order, nodes and
 * ports sorted). Same IR, same bytes.
 */
import type { MeshIR } from './ir.ts';

function canonical(value: unknown): unknown {
  if (value instanceof Map) return canonical(Object.fromEntries(value));
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = canonical(v);
  }
  return out;
}

/** Two-space indented, trailing newline. */
export function irJson(ir: MeshIR): string {
  return `${JSON.stringify(canonical(ir), null, 2)}\n`;
}
