/**
 * Objects written in the layout of another version of their kind: the most
 * common SMI mistake (an API server silently drops the misplaced fields).
 * One clear finding replaces the "unknown field" + "missing field" pair ajv
 * would report.
 */
import type { AjvError } from './validators.ts';
import type { SchemaIssue, SchemaTarget } from './issues.ts';

export interface LayoutCheck {
  issues: SchemaIssue[];
  /** True for the ajv errors the layout finding already explains. */
  explains(error: AjvError): boolean;
}

const FLAT_ACCESS = ['destination', 'specs', 'sources'];

function rootError(error: AjvError, unknown: string[], missing: string[]): boolean {
  if (error.instancePath !== '') return false;
  if (error.keyword === 'additionalProperties') return unknown.includes(error.params.additionalProperty as string);
  if (error.keyword === 'required') return missing.includes(error.params.missingProperty as string);
  return false;
}

function has(value: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

export function checkLayout(target: SchemaTarget, value: Record<string, unknown>): LayoutCheck {
  const none: LayoutCheck = { issues: [], explains: () => false };
  const v = target.version;
  const apiVersion = target.apiVersion;
  const at = (field: string) => ({ path: [field], key: true });

  if (target.kind === 'TrafficTarget') {
    if (v === 'v1alpha1' && has(value, 'spec')) {
      return {
        issues: [{ code: 'MESH0131', args: { apiVersion }, ...at('spec') }],
        explains: (e) => rootError(e, ['spec'], FLAT_ACCESS),
      };
    }
    const flat = FLAT_ACCESS.filter((k) => has(value, k));
    if (v !== 'v1alpha1' && flat.length > 0) {
      return {
        issues: [{ code: 'MESH0130', args: { apiVersion, fields: flat.map((k) => `\`${k}\``).join(', ') }, ...at(flat[0]!) }],
        explains: (e) => rootError(e, FLAT_ACCESS, has(value, 'spec') ? [] : ['spec']),
      };
    }
    return none;
  }

  if (target.kind === 'HTTPRouteGroup') {
    if ((v === 'v1alpha1' || v === 'v1alpha2') && has(value, 'spec')) {
      return {
        issues: [{ code: 'MESH0132', args: { apiVersion }, ...at('spec') }],
        explains: (e) => rootError(e, ['spec'], has(value, 'matches') ? [] : ['matches']),
      };
    }
    if ((v === 'v1alpha3' || v === 'v1alpha4') && has(value, 'matches')) {
      return {
        issues: [{ code: 'MESH0108', args: { apiVersion }, ...at('matches') }],
        explains: (e) => rootError(e, ['matches'], has(value, 'spec') ? [] : ['spec']),
      };
    }
  }
  return none;
}
