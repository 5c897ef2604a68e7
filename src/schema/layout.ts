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
  const issue = (field: string, detail: string): SchemaIssue => ({ code: 'MESH0108', args: { detail }, path: [field], key: true });

  if (target.kind === 'TrafficTarget') {
    if (v === 'v1alpha1' && has(value, 'spec')) {
      return {
        issues: [issue('spec', `\`spec\` is the layout of access.smi-spec.io/v1alpha2 and later: TrafficTarget ${target.apiVersion} keeps \`destination\`, \`specs\` and \`sources\` at the top level; change apiVersion to access.smi-spec.io/v1alpha3 (ports then move to a TCPRoute) or move the fields up`)],
        explains: (e) => rootError(e, ['spec'], FLAT_ACCESS),
      };
    }
    const flat = FLAT_ACCESS.filter((k) => has(value, k));
    if (v !== 'v1alpha1' && flat.length > 0) {
      return {
        issues: [issue(flat[0]!, `top-level ${flat.map((k) => `\`${k}\``).join(', ')} ${flat.length > 1 ? 'are' : 'is'} the access.smi-spec.io/v1alpha1 layout: in TrafficTarget ${target.apiVersion} they belong under \`spec\` (\`specs\` is called \`rules\` there); an API server would silently drop ${flat.length > 1 ? 'them' : 'it'}`)],
        explains: (e) => rootError(e, FLAT_ACCESS, has(value, 'spec') ? [] : ['spec']),
      };
    }
    return none;
  }

  if (target.kind === 'HTTPRouteGroup') {
    if ((v === 'v1alpha1' || v === 'v1alpha2') && has(value, 'spec')) {
      return {
        issues: [issue('spec', `\`spec.matches\` is the layout of specs.smi-spec.io/v1alpha3 and later: HTTPRouteGroup ${target.apiVersion} keeps \`matches\` at the top level; change apiVersion to specs.smi-spec.io/v1alpha4 or move \`matches\` up`)],
        explains: (e) => rootError(e, ['spec'], has(value, 'matches') ? [] : ['matches']),
      };
    }
    if ((v === 'v1alpha3' || v === 'v1alpha4') && has(value, 'matches')) {
      return {
        issues: [issue('matches', `top-level \`matches\` is the specs.smi-spec.io/v1alpha1/v1alpha2 layout: in HTTPRouteGroup ${target.apiVersion} it belongs under \`spec.matches\`; an API server would silently drop it and leave the group without routes`)],
        explains: (e) => rootError(e, ['matches'], has(value, 'spec') ? [] : ['spec']),
      };
    }
  }
  return none;
}
