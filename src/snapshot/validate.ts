/**
 * Self-validation of one compiled node before anything is written: the
 * snapshot's own consistency (consistency.ts) on the canonical JSON that is
 * written and served.
 */
import type { EnvoyApi, JsonObject } from '../envoy/protos/index.ts';
import type { ProxyIR } from '../envoy/translate/ir.ts';
import type { Json } from '../envoy/translate/shapes.ts';
import { checkConsistency } from './consistency.ts';
import type { EncodedNode } from './encode.ts';

export interface SelfViolation {
  type: string;
  resource: string;
  field: string;
  reason: string;
}

export function selfValidate(_api: EnvoyApi, _node: ProxyIR, encoded: EncodedNode, _bootstrap: Json | null): SelfViolation[] {
  const byType = new Map<string, JsonObject[]>(encoded.types.map((t) => [t.typeUrl, t.resources.map((r) => r.json)]));
  return checkConsistency(byType);
}
