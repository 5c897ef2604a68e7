/**
 * Validates one object against the schema of its kind and version and turns
 * ajv's errors into findings written for humans, each pointing at the exact
 * field (unknown fields at their key, missing fields at their parent).
 */
import type { Path } from '../core/types.ts';
import { CLOSED_FIELDS, VALIDATORS, type AjvError } from './validators.ts';
import { valueAt, type SchemaIssue, type SchemaTarget } from './issues.ts';
import { checkLayout } from './layout.ts';
import { gatewayRuleIssues } from './gateway-cel.ts';
import { KIND_BY_NAME, NAME_RULES, nameProblem, type NameRule } from './kinds.ts';
import { enumHint, typeHint, unknownFieldHint } from './hints.ts';
import { closest } from '../core/suggest.ts';
import { describeTypes, describeValue, formatPath, orList, show, where } from './text.ts';

/** Decodes an ajv instancePath against the data (array indexes become numbers). */
export function decodePointer(pointer: string, data: unknown): Path {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let v: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v) && /^\d+$/.test(seg)) {
      out.push(Number(seg));
      v = v[Number(seg)];
    } else {
      out.push(seg);
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/**
 * ajv reports every failing branch of an anyOf. Keep only the branch whose
 * type matches the value (its errors are the useful ones); when no branch
 * type matches, leave one type error listing the accepted types.
 */
function collapseAnyOf(errors: AjvError[]): AjvError[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  if (anyOfs.length === 0) return errors;
  const drop = new Set<AjvError>();
  const add: AjvError[] = [];
  for (const a of anyOfs) {
    const prefix = `${a.schemaPath}/`;
    const branches = new Map<number, AjvError[]>();
    for (const e of errors) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const i = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
      branches.set(i, [...(branches.get(i) ?? []), e]);
    }
    drop.add(a);
    const mismatched = (i: number) => (branches.get(i) ?? []).some((e) => e.keyword === 'type' && e.instancePath === a.instancePath && e.schemaPath === `${prefix}${i}/type`);
    const indexes = [...branches.keys()].sort((x, y) => x - y);
    const keep = indexes.find((i) => !mismatched(i));
    for (const i of indexes) if (i !== keep) for (const e of branches.get(i)!) drop.add(e);
    if (keep === undefined) {
      const types = indexes.flatMap((i) => branches.get(i)!.filter((e) => e.keyword === 'type' && e.instancePath === a.instancePath).map((e) => String(e.params.type)));
      add.push({ instancePath: a.instancePath, schemaPath: `${a.schemaPath}/type`, keyword: 'type', params: { type: types.join(',') } });
    }
  }
  return [...errors.filter((e) => !drop.has(e)), ...add];
}

const isPortPath = (path: Path) => {
  const names = path.filter((s): s is string => typeof s === 'string');
  const last = names.at(-1);
  return last === 'port' || last === 'ports' || last === 'containerPort' || last === 'targetPort';
};

function ownerOf(target: SchemaTarget, e: AjvError): string {
  return e.schemaPath.startsWith('../definitions.json#/definitions/ObjectMeta') ? 'Kubernetes ObjectMeta' : `${target.kind} ${target.apiVersion}`;
}

/**
 * Why a required field is required where the prose seems to say otherwise. A v1alpha4 TCPRoute/UDPRoute
 * without ports means every port in the SMI prose, but the smi-sdk-go CRD requires `matches` and `ports`
 * once `spec` is written (an API server rejects `spec: {}` and `matches: {}`), while it accepts no `spec`
 * at all: that one is only a warning (MESH0118).
 */
function requiredHint(target: SchemaTarget, path: Path, field: string): string {
  const l4 = (target.kind === 'TCPRoute' || target.kind === 'UDPRoute') && target.version === 'v1alpha4';
  const at = path.join('.');
  if (l4 && ((at === 'spec' && field === 'matches') || (at === 'spec.matches' && field === 'ports'))) {
    return `: the SMI prose reads a ${target.kind} without ports as every port, but an API server with the smi-sdk-go CRD rejects it once \`spec\` is written; write \`spec: {matches: {ports: []}}\` for every port`;
  }
  return '';
}

/** What is wrong with a name the pattern rejected ("it has uppercase letters"): the pattern applies to strings only. */
function nameFault(data: unknown, rule: NameRule): string {
  return nameProblem(String(data), rule) ?? 'it does not match the pattern of such names';
}

function translate(target: SchemaTarget, value: Record<string, unknown>, e: AjvError): SchemaIssue {
  const path = decodePointer(e.instancePath, value);
  const data = valueAt(value, path);
  const p = e.params;
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      const known = CLOSED_FIELDS[target.schemaKey]?.[e.schemaPath.replace(/\/additionalProperties$/, '')] ?? [];
      const guess = closest(field, known);
      const hint = unknownFieldHint(target, path, field) ?? (guess ? `; did you mean \`${guess}\`?` : '');
      return { code: 'MESH0109', args: { field, where: where(path), owner: ownerOf(target, e), hint }, path: [...path, field], key: true };
    }
    case 'required': {
      const field = String(p.missingProperty);
      return { code: 'MESH0110', args: { field, where: where(path), owner: ownerOf(target, e), hint: requiredHint(target, path, field) }, path, key: typeof path.at(-1) === 'string' };
    }
    case 'type': {
      const expected = String(p.type).split(',');
      if (target.kind === 'TrafficSplit' && target.version === 'v1alpha1' && path.at(-1) === 'weight') {
        const reason = typeof data === 'number'
          ? `a v1alpha1 weight is a whole number or a Quantity string; write ${JSON.stringify(String(data))} (quoted) or ${data * 1000}m`
          : 'a v1alpha1 weight is a whole number or a Quantity string such as "500m"';
        return { code: 'MESH0114', args: { value: show(data), path: formatPath(path), reason }, path };
      }
      if (path.at(-1) === 'headers' && expected.includes('array') && expected.includes('object')) {
        return { code: 'MESH0111', args: { path: formatPath(path), expected: 'a map of header name to regular expression, or a list of single-key maps', actual: describeValue(data), hint: '' }, path };
      }
      const words = path.at(-1) === 'targetPort' ? 'a port number or a port name (a string)' : describeTypes(expected);
      return { code: 'MESH0111', args: { path: formatPath(path), expected: words, actual: describeValue(data), hint: typeHint(path, expected, data) }, path };
    }
    case 'enum': {
      const allowed = ((p.allowedValues as unknown[]) ?? []).filter((x): x is string => typeof x === 'string');
      const guess = typeof data === 'string' ? closest(data, allowed) : undefined;
      const extra = enumHint(target, path, data) || (guess && guess !== data ? `; did you mean ${guess}?` : '');
      return { code: 'MESH0112', args: { path: formatPath(path), value: show(data), reason: `expected ${orList(allowed)}${extra}` }, path };
    }
    case 'minimum':
    case 'maximum': {
      let reason = `must be ${p.comparison} ${p.limit}`;
      if (isPortPath(path)) reason = 'ports are 1–65535';
      else if (path.at(-1) === 'weight') {
        reason = 'weights must not be negative';
        if (target.version === 'v1alpha1') return { code: 'MESH0114', args: { value: show(data), path: formatPath(path), reason }, path };
      }
      return { code: 'MESH0112', args: { path: formatPath(path), value: show(data), reason }, path };
    }
    case 'minItems':
    case 'minProperties':
    case 'maxProperties': {
      const inHeaderList = path.length >= 2 && path.at(-2) === 'headers' && typeof path.at(-1) === 'number';
      if (inHeaderList) {
        const keys = data !== null && typeof data === 'object' ? Object.keys(data) : [];
        return keys.length === 0
          ? { code: 'MESH0116', args: { path: formatPath(path), count: 'no header', reason: 'write one header per list item, as `- user-agent: ".*Android.*"`' }, path }
          : { code: 'MESH0116', args: { path: formatPath(path), count: `${keys.length} headers (${keys.map((k) => `\`${k}\``).join(', ')})`, reason: 'write one header per list item, or use the map form' }, path };
      }
      return { code: 'MESH0112', args: { path: formatPath(path), value: 'empty', reason: `it needs at least ${p.limit} ${e.keyword === 'minItems' ? 'item' : 'entry'}` }, path };
    }
    case 'pattern': {
      if (path.length === 2 && path[0] === 'metadata' && path[1] === 'name') {
        const rule = KIND_BY_NAME.get(target.kind)?.nameRule ?? 'dns1123-subdomain';
        return { code: 'MESH0113', args: { name: show(data), kind: target.kind, fault: nameFault(data, rule), rule: NAME_RULES[rule].text }, path };
      }
      if (path.length === 2 && path[0] === 'metadata' && path[1] === 'namespace') {
        return { code: 'MESH0120', args: { name: show(data), fault: nameFault(data, 'dns1123-label'), rule: NAME_RULES['dns1123-label'].text }, path };
      }
      if (path.at(-1) === 'serviceAccountName' || path.at(-1) === 'serviceAccount') {
        return { code: 'MESH0121', args: { path: formatPath(path), name: show(data), what: 'ServiceAccount', fault: nameFault(data, 'dns1123-subdomain'), rule: NAME_RULES['dns1123-subdomain'].text }, path };
      }
      if (path.at(-1) === 'weight') {
        const negative = typeof data === 'string' && data.trim().startsWith('-');
        const reason = negative ? 'weights must not be negative' : 'expected a Kubernetes Quantity such as 1, "500m", "1.5", "1k", "1Ki" or "1e3"';
        return { code: 'MESH0114', args: { value: show(data), path: formatPath(path), reason }, path };
      }
      return { code: 'MESH0112', args: { path: formatPath(path), value: show(data), reason: `does not have the expected format (${String(p.pattern)})` }, path };
    }
    case 'const':
      return { code: 'MESH0112', args: { path: formatPath(path), value: show(data), reason: `expected ${show(p.allowedValue)}` }, path };
    default:
      return { code: 'MESH0112', args: { path: formatPath(path), value: show(data), reason: `fails the schema (${e.keyword})` }, path };
  }
}

/** Schema findings of one object; [] when it is valid. */
export function validateObject(target: SchemaTarget, value: Record<string, unknown>): SchemaIssue[] {
  const validator = VALIDATORS[target.schemaKey];
  if (!validator) throw new Error(`schema: no validator ${target.schemaKey}`);
  // The CRD validation rules the JSON schemas leave out (Gateway API routes).
  const rules = gatewayRuleIssues(target, value);
  if (validator(value)) return rules;
  const layout = checkLayout(target, value);
  const errors = collapseAnyOf(validator.errors ?? []).filter((e) => !layout.explains(e));
  const issues = [...layout.issues, ...rules, ...errors.map((e) => {
    const issue = translate(target, value, e);
    // A number is shown as written (a float from a huge integer has lost digits).
    if ('value' in issue.args && typeof valueAt(value, issue.path) === 'number') issue.valueArg = 'value';
    return issue;
  })];
  // ajv can report one problem twice (e.g. a type error found by two keywords); keep the first.
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = JSON.stringify([i.code, i.path, i.args]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
