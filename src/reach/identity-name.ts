import { nameProblem } from '../schema/kinds.ts';
import type { IdentityKey } from './types.ts';

export interface IdentityNameProblem {
  field: 'name' | 'namespace';
  /** The offending part, e.g. "*". */
  value: string;
  /** '"*" is not allowed; names are DNS-1123 subdomains' */
  problem: string;
}

/**
 * Why namespace/name can never be a ServiceAccount identity: the name is no
 * DNS-1123 subdomain or the namespace no DNS-1123 label, such as "*" (SMI has
 * no wildcard subjects, smi#18). A TrafficTarget may list such a subject, but
 * no caller runs as it: `check` reports it (MESH0212), `why` refuses it, and
 * neither MESH0606 nor `graph` shows it as a caller.
 */
export function identityNameProblem(namespace: string, name: string): IdentityNameProblem | undefined {
  const n = nameProblem(name, 'dns1123-subdomain');
  if (n !== undefined) return { field: 'name', value: name, problem: `${n}; names are DNS-1123 subdomains` };
  const ns = nameProblem(namespace, 'dns1123-label');
  if (ns !== undefined) return { field: 'namespace', value: namespace, problem: `${ns}; namespaces are DNS-1123 labels` };
  return undefined;
}

/** The same for an identity key 'namespace/name'. */
export function identityKeyProblem(key: IdentityKey): IdentityNameProblem | undefined {
  const slash = key.indexOf('/');
  return identityNameProblem(key.slice(0, slash), key.slice(slash + 1));
}

/** A glob character: the author probably meant a wildcard, which SMI does not have. */
export const looksLikeWildcard = (value: string): boolean => /[*?]/.test(value);
