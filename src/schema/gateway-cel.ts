/**
 * The validation rules (CEL, `x-kubernetes-validations`) of the Gateway API
 * HTTPRoute and GRPCRoute CRDs, which scripts/import-gateway-schemas.mjs
 * leaves out of the JSON schemas: an API server rejects a route that breaks
 * one, so `meshc check` reports it where the schema findings go (the route is
 * then invalid and not modelled, as it would not exist in the cluster).
 * Values get MESH0112 (like a pattern the schema refuses), rules across
 * fields MESH0133, each at the field at fault, in the CRD's own words.
 *
 * Checked only where the fields have the types the schema asks for: a value
 * of another type is the schema's finding already.
 */
import type { Path } from '../core/types.ts';
import type { SchemaIssue, SchemaTarget } from './issues.ts';
import { GATEWAY } from './kinds.ts';
import { formatPath, show } from './text.ts';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const has = (o: Obj | undefined, k: string) => o !== undefined && Object.prototype.hasOwnProperty.call(o, k) && o[k] !== null && o[k] !== undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** HTTPRouteFilter / GRPCRouteFilter: each type and the field that configures it (the CRD's "must be nil" / "must be specified" pairs). */
const HTTP_FILTER_FIELDS: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier', ResponseHeaderModifier: 'responseHeaderModifier', RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect', URLRewrite: 'urlRewrite', ExtensionRef: 'extensionRef', CORS: 'cors',
};
const GRPC_FILTER_FIELDS: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier', ResponseHeaderModifier: 'responseHeaderModifier', RequestMirror: 'requestMirror', ExtensionRef: 'extensionRef',
};
/** Filter types a rule may list once. */
const HTTP_ONCE = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'CORS'];
const GRPC_ONCE = ['RequestHeaderModifier', 'ResponseHeaderModifier'];

const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const GRPC_SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;
/** The CRDs' limit on matches across all rules of a route (their rule is `<= 128`). */
const MAX_MATCHES = 128;

class Collector {
  readonly issues: SchemaIssue[] = [];
  value(path: Path, value: unknown, reason: string): void {
    this.issues.push({ code: 'MESH0112', args: { path: formatPath(path), value: show(value), reason }, path });
  }
  rule(path: Path, rule: string, key = false): void {
    this.issues.push({ code: 'MESH0133', args: { path: formatPath(path), rule }, path, ...(key ? { key } : {}) });
  }
}

/** Why an Exact or PathPrefix path value is refused (the HTTPPathMatch rules, first that applies), or undefined. */
export function pathValueProblem(value: string): string | undefined {
  if (!value.startsWith('/')) return "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']";
  for (const part of ['//', '/./', '/../', '%2f', '%2F', '#']) if (value.includes(part)) return `must not contain '${part}' when type one of ['Exact', 'PathPrefix']`;
  for (const end of ['/..', '/.']) if (value.endsWith(end)) return `must not end with '${end}' when type one of ['Exact', 'PathPrefix']`;
  if (!PATH_CHARS.test(value)) return "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']";
  return undefined;
}

/** Later entries of a list that repeat an earlier entry's `name` (list-maps keyed by name; rule names). */
function duplicateNames(c: Collector, entries: unknown[], at: Path, message: (name: string) => string): void {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const name = str(obj(e)?.name);
    if (name === undefined) return;
    if (seen.has(name)) c.rule([...at, i, 'name'], message(name));
    seen.add(name);
  });
}

const listedTwice = (what: string) => (name: string) => `${what} ${JSON.stringify(name)} is listed twice: the list is keyed by name`;

function checkHttpMatch(c: Collector, m: Obj, at: Path): void {
  const path = obj(m.path);
  const type = str(path?.type) ?? 'PathPrefix';
  const value = str(path?.value);
  if (path && value !== undefined && (type === 'Exact' || type === 'PathPrefix')) {
    const problem = pathValueProblem(value);
    if (problem) c.value([...at, 'path', 'value'], value, problem);
  }
  duplicateNames(c, list(m.headers), [...at, 'headers'], listedTwice('header'));
  duplicateNames(c, list(m.queryParams), [...at, 'queryParams'], listedTwice('query parameter'));
}

function checkGrpcMatch(c: Collector, m: Obj, at: Path): void {
  const method = obj(m.method);
  if (method) {
    if (!has(method, 'service') && !has(method, 'method')) c.rule([...at, 'method'], "One or both of 'service' or 'method' must be specified", true);
    const exact = (str(method.type) ?? 'Exact') === 'Exact';
    const service = str(method.service);
    if (exact && service !== undefined && !GRPC_SERVICE.test(service)) {
      c.value([...at, 'method', 'service'], service, 'service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)');
    }
    const name = str(method.method);
    if (exact && name !== undefined && !GRPC_METHOD.test(name)) c.value([...at, 'method', 'method'], name, 'method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)');
  }
  duplicateNames(c, list(m.headers), [...at, 'headers'], listedTwice('header'));
}

/** A backendRef (or a mirror's) to a Service must give its port: "Must have port for Service reference". */
function checkBackendRef(c: Collector, ref: Obj, at: Path): void {
  const group = str(ref.group) ?? '';
  const kind = str(ref.kind) ?? 'Service';
  if (group === '' && kind === 'Service' && !has(ref, 'port')) c.rule(at, `Must have port for Service reference (backend ${JSON.stringify(str(ref.name) ?? '')})`);
}

/** A path modifier's type and the field it needs ("replaceFullPath must be specified when type is set to 'ReplaceFullPath'", …). */
function checkPathModifier(c: Collector, p: Obj, at: Path): void {
  const type = str(p.type);
  for (const [t, field] of [['ReplaceFullPath', 'replaceFullPath'], ['ReplacePrefixMatch', 'replacePrefixMatch']] as const) {
    if (type === t && !has(p, field)) c.rule([...at, 'type'], `${field} must be specified when type is set to '${t}'`);
    if (type !== t && has(p, field)) c.rule([...at, field], `type must be '${t}' when ${field} is set`, true);
  }
}

/** One filter list (a rule's or a backendRef's): type/field pairs, repeats, RequestRedirect with URLRewrite, ReplacePrefixMatch. */
function checkFilters(c: Collector, filters: unknown[], at: Path, grpc: boolean, rule: Obj): void {
  const fields = grpc ? GRPC_FILTER_FIELDS : HTTP_FILTER_FIELDS;
  const counts = new Map<string, number>();
  filters.forEach((f, j) => {
    const o = obj(f);
    const type = str(o?.type);
    if (!o || type === undefined) return;
    const here: Path = [...at, j];
    for (const [t, field] of Object.entries(fields)) {
      if (has(o, field) && type !== t) c.rule([...here, field], `filter.${field} must be nil if the filter.type is not ${t}`, true);
      if (!has(o, field) && type === t) c.rule([...here, 'type'], `filter.${field} must be specified for ${t} filter.type`);
    }
    const seen = (counts.get(type) ?? 0) + 1;
    counts.set(type, seen);
    if (seen === 2 && (grpc ? GRPC_ONCE : HTTP_ONCE).includes(type)) c.rule([...here, 'type'], `${type} filter cannot be repeated`);
    const mirror = obj(o.requestMirror);
    if (mirror && obj(mirror.backendRef)) checkBackendRef(c, obj(mirror.backendRef)!, [...here, 'requestMirror', 'backendRef']);
    for (const field of ['requestRedirect', 'urlRewrite'] as const) {
      const p = obj(obj(o[field])?.path);
      if (!p) continue;
      checkPathModifier(c, p, [...here, field, 'path']);
      if (str(p.type) === 'ReplacePrefixMatch' && has(p, 'replacePrefixMatch')) {
        const matches = list(rule.matches);
        const only = obj(obj(matches[0])?.path);
        if (matches.length !== 1 || !only || (str(only.type) ?? 'PathPrefix') !== 'PathPrefix') {
          const name = field === 'requestRedirect' ? 'RequestRedirect' : 'URLRewrite';
          c.rule([...here, field, 'path', 'type'], `When using ${name} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified`);
        }
      }
    }
  });
  const first = (type: string) => filters.findIndex((f) => str(obj(f)?.type) === type);
  const redirect = first('RequestRedirect');
  const rewrite = first('URLRewrite');
  if (!grpc && redirect >= 0 && rewrite >= 0) {
    c.rule([...at, Math.max(redirect, rewrite), 'type'], 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both');
  }
}

function checkRule(c: Collector, rule: Obj, at: Path, grpc: boolean): void {
  list(rule.matches).forEach((m, j) => {
    const o = obj(m);
    if (o) (grpc ? checkGrpcMatch : checkHttpMatch)(c, o, [...at, 'matches', j]);
  });
  const filters = list(rule.filters);
  checkFilters(c, filters, [...at, 'filters'], grpc, rule);
  const backends = list(rule.backendRefs);
  backends.forEach((b, k) => {
    const o = obj(b);
    if (!o) return;
    checkBackendRef(c, o, [...at, 'backendRefs', k]);
    checkFilters(c, list(o.filters), [...at, 'backendRefs', k, 'filters'], grpc, rule);
  });
  if (!grpc && backends.length > 0) {
    const redirect = filters.findIndex((f) => has(obj(f), 'requestRedirect'));
    if (redirect >= 0) c.rule([...at, 'filters', redirect], 'RequestRedirect filter must not be used together with backendRefs');
  }
}

/** Two references to one parent must differ in sectionName or port (GAMMA's Service parents are told apart by port). */
function checkParentRefs(c: Collector, refs: unknown[], namespace: string): void {
  const seen = new Map<string, number>();
  refs.forEach((r, i) => {
    const o = obj(r);
    if (!o || str(o.name) === undefined) return;
    const parent = JSON.stringify([str(o.group) ?? GATEWAY, str(o.kind) ?? 'Gateway', str(o.namespace) ?? namespace, o.name]);
    const key = JSON.stringify([parent, str(o.sectionName) ?? '', typeof o.port === 'number' ? o.port : null]);
    if (seen.has(key)) {
      c.rule(['spec', 'parentRefs', i], `sectionName or port must be unique when parentRefs includes 2 or more references to the same parent (entry ${seen.get(key)} is the same reference)`);
    } else seen.set(key, i);
  });
}

/** What the route CRDs' validation rules refuse in `value`; [] for other kinds. */
export function gatewayRuleIssues(target: SchemaTarget, value: Record<string, unknown>): SchemaIssue[] {
  if (target.group !== GATEWAY || (target.kind !== 'HTTPRoute' && target.kind !== 'GRPCRoute')) return [];
  const spec = obj(value.spec);
  if (!spec) return [];
  const c = new Collector();
  const grpc = target.kind === 'GRPCRoute';
  const namespace = str(obj(value.metadata)?.namespace) ?? '';
  checkParentRefs(c, list(spec.parentRefs), namespace);
  const rules = list(spec.rules);
  rules.forEach((r, i) => {
    const o = obj(r);
    if (o) checkRule(c, o, ['spec', 'rules', i], grpc);
  });
  duplicateNames(c, rules, ['spec', 'rules'], (name) => `Rule name must be unique within the route (${JSON.stringify(name)} is used twice)`);
  const total = rules.reduce<number>((n, r) => n + list(obj(r)?.matches).length, 0);
  if (total > MAX_MATCHES) c.rule(['spec', 'rules'], `While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be at most ${MAX_MATCHES} (this route has ${total})`, true);
  return c.issues;
}
