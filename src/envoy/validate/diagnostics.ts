// Maps a Violation to its catalogue entry (MESH0800–MESH0804) and the
// arguments of the message template, for `meshc compile` to report.
import type { Violation } from './types.ts';

export interface ViolationDiagnostic {
  code: 'MESH0800' | 'MESH0801' | 'MESH0802' | 'MESH0803' | 'MESH0804';
  args: { type: string; resource: string; node: string; field: string; reason: string; rule: string };
}

/**
 * `resource` names the resource a validateMessage violation belongs to
 * (invariant violations carry their own `resource`). `type` is shown by its
 * short message name (`Listener`, `RouteConfiguration`, …).
 */
export function violationDiagnostic(v: Violation, node: string, resource?: { typeUrl: string; name: string }): ViolationDiagnostic {
  const res = v.resource ?? resource ?? { typeUrl: '', name: '' };
  const type = res.typeUrl.slice(res.typeUrl.lastIndexOf('.') + 1) || 'resource';
  const args = { type, resource: res.name, node, field: v.path || '(the resource itself)', reason: v.message, rule: v.rule };
  let code: ViolationDiagnostic['code'];
  if (v.severity === 'warning') code = 'MESH0804';
  else if (v.rule.startsWith('grpc.')) code = 'MESH0803';
  else if (v.rule.startsWith('invariant.')) code = 'MESH0802';
  else if (isDecodeRule(v.rule)) code = 'MESH0801';
  else code = 'MESH0800';
  return { code, args };
}

/** Rules that mean "cannot be read as this message" rather than "breaks a rule". */
export function isDecodeRule(rule: string): boolean {
  return rule.startsWith('json.') || rule.startsWith('wire.') || rule === 'any.unknown_type' || rule === 'any.missing_type' || rule === 'any.type_mismatch';
}
