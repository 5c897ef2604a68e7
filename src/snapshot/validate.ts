/**
 * Self-validation of one compiled node before anything is written:
 * each resource against the Envoy API rules (done while encoding, encode.ts),
 * the snapshot's cross-resource invariants (Envoy C++ checks, go-control-plane
 * Consistent(), and for --target grpc what @grpc/grpc-js-xds accepts), and
 * the Envoy bootstrap. Violations become MESH0800–MESH0804 diagnostics
 * naming the node, resource and field.
 */
import type { Violation } from '../envoy/validate/index.ts';
import { checkInvariants } from '../envoy/validate/invariants.ts';
import { violationDiagnostic, type ViolationDiagnostic } from '../envoy/validate/diagnostics.ts';
import { BOOTSTRAP_TYPE_URL } from '../envoy/protos/type-urls.ts';
import type { Target } from '../envoy/translate/ir.ts';
import type { EncodedNode } from './encode.ts';

/**
 * Deprecated fields a target needs: @grpc/grpc-js-xds 1.14 reads a cluster's peer SAN matchers only from the
 * deprecated `match_subject_alt_names` (not `match_typed_subject_alt_names`), so the grpc target must set it.
 */
const NEEDED_DEPRECATED: Record<Target, RegExp | null> = {
  envoy: null,
  grpc: /(^|\.)validation_context\.match_subject_alt_names(\[|$)/,
};

function wanted(v: Violation, target: Target): boolean {
  const needed = NEEDED_DEPRECATED[target];
  return !(needed && v.severity === 'warning' && needed.test(v.path ?? ''));
}

export function nodeViolations(nodeId: string, encoded: EncodedNode, target: Target, bootstrap: Violation[]): ViolationDiagnostic[] {
  const out: ViolationDiagnostic[] = [];
  const snapshot: Record<string, unknown[]> = {};
  for (const t of encoded.types) {
    snapshot[t.stem] = t.resources.map((r) => r.json);
    for (const r of t.resources) {
      for (const v of r.violations) if (wanted(v, target)) out.push(violationDiagnostic(v, nodeId, { typeUrl: r.typeUrl, name: r.name }));
    }
  }
  // Invariants read the decoded JSON; a resource that could not be read has none to check.
  if (!out.some((d) => d.code !== 'MESH0804')) for (const v of checkInvariants(snapshot, target)) out.push(violationDiagnostic(v, nodeId));
  for (const v of bootstrap) out.push(violationDiagnostic(v, nodeId, { typeUrl: BOOTSTRAP_TYPE_URL, name: 'bootstrap' }));
  return out;
}
