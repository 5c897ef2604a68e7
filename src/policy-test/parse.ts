/**
 * ReachabilityTest documents (apiVersion meshc.dev/v1alpha1): validation
 * with field-exact problems, into plain cases.
 */
import { catalogMessage, type CatalogMessage } from '../core/catalog/index.ts';
import type { Origin, Path } from '../core/types.ts';
import { HTTP_METHODS } from '../model/types.ts';
import type { HttpRequest } from '../reach/request.ts';

export const TEST_API_VERSION = 'meshc.dev/v1alpha1';
export const TEST_KIND = 'ReachabilityTest';

export interface TestCase {
  /** Position in spec.cases. */
  index: number;
  /** The case's name, or a description built from its fields. */
  name: string;
  from: string;
  to: string;
  port?: number;
  /** Which field the port was written in (`to: svc:80` or `port: 80`), for positions. */
  portField?: 'to' | 'port';
  request?: HttpRequest;
  /** `to: {host, port}`: a destination outside the mesh (an egress question); `to` is then 'host:port'. */
  external?: { host: string; port: number };
  expect: 'allow' | 'deny';
}

export interface TestDocument {
  origin: Origin;
  apiVersion: string;
  namespace: string;
  name: string;
  cases: TestCase[];
  /** Cases left out because they are invalid (reported as problems). */
  invalidCases: number;
}

/** A finding about the document, at `path` (its key with `key`). */
export type Problem = CatalogMessage & { path: Path; key?: boolean };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** spec.cases[2].request.method */
const fmt = (path: Path) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v);

/** MESH0702: the value at `at` is not what the field takes (`actual`: its type, or the value as JSON). */
function mustBe(at: Path, expected: string, actual: string): Problem {
  return { ...catalogMessage('MESH0702', { field: fmt(at), expected, actual }), path: at };
}

/** MESH0716: the mapping at `at` (`path`: where to report it; the mapping by default) lacks `field`. */
function missing(at: Path, field: string, path: Path = at): Problem {
  return { ...catalogMessage('MESH0716', { owner: at.length === 0 ? 'the document' : fmt(at), field }), path };
}

function unknownFields(o: Obj, allowed: string[], at: Path, problems: Problem[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) problems.push({ ...catalogMessage('MESH0715', { field: fmt([...at, k]), allowed: allowed.join(', ') }), path: [...at, k], key: true });
  }
}

/** 'ns/name' or 'name' (document namespace); each part a DNS label. */
function qualified(value: string, ns: string): string | null {
  const parts = value.split('/');
  if (parts.length > 2) return null;
  const [n, name] = parts.length === 2 ? parts : [ns, parts[0]!];
  if (!DNS_LABEL.test(n!) || !name || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) return null;
  return `${n}/${name}`;
}

function parseRequest(v: unknown, at: Path, problems: Problem[]): HttpRequest | undefined {
  if (!isObj(v)) {
    problems.push(mustBe(at, 'a mapping with method, path and headers', typeName(v)));
    return undefined;
  }
  unknownFields(v, ['method', 'path', 'headers'], at, problems);
  const req: HttpRequest = {};
  if (v.method !== undefined) {
    const methods = HTTP_METHODS.filter((m) => m !== '*');
    if (typeof v.method !== 'string' || !(methods as readonly string[]).includes(v.method.toUpperCase())) {
      problems.push(mustBe([...at, 'method'], `one of ${methods.join(', ')}`, JSON.stringify(v.method)));
    } else req.method = v.method.toUpperCase();
  }
  if (v.path !== undefined) {
    if (typeof v.path !== 'string' || !v.path.startsWith('/')) {
      problems.push(mustBe([...at, 'path'], "a string starting with '/'", JSON.stringify(v.path)));
    } else req.path = v.path;
  }
  if (v.headers !== undefined) {
    if (!isObj(v.headers)) {
      problems.push(mustBe([...at, 'headers'], 'a mapping of header name to value', typeName(v.headers)));
    } else {
      req.headers = {};
      for (const [k, val] of Object.entries(v.headers)) {
        if (typeof val !== 'string') problems.push(mustBe([...at, 'headers', k], 'a string (quote it: header values are text)', typeName(val)));
        else req.headers[k.toLowerCase()] = val;
      }
    }
  }
  return req;
}

/** `to: {host, port}`: a host name or IPv4 address outside the mesh, and a port. */
function parseExternal(v: Obj, at: Path, problems: Problem[]): { host: string; port: number } | undefined {
  const before = problems.length;
  unknownFields(v, ['host', 'port'], at, problems);
  const host = typeof v.host === 'string' ? v.host.toLowerCase().replace(/\.$/, '') : undefined;
  if (v.host === undefined) problems.push(missing(at, 'host'));
  else if (!host || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host)) {
    problems.push(mustBe([...at, 'host'], 'a DNS name or an IPv4 address', JSON.stringify(v.host)));
  }
  if (v.port === undefined) problems.push(missing(at, 'port'));
  else if (!Number.isInteger(v.port) || (v.port as number) < 1 || (v.port as number) > 65535) {
    problems.push(mustBe([...at, 'port'], 'an integer in 1..65535', JSON.stringify(v.port)));
  }
  return problems.length > before ? undefined : { host: host!, port: v.port as number };
}

function parseCase(v: unknown, index: number, ns: string, problems: Problem[]): TestCase | null {
  const at: Path = ['spec', 'cases', index];
  const before = problems.length;
  if (!isObj(v)) {
    problems.push(mustBe(at, 'a mapping with from, to and expect', typeName(v)));
    return null;
  }
  unknownFields(v, ['name', 'from', 'to', 'port', 'request', 'expect'], at, problems);
  const need = (field: string) => {
    if (v[field] === undefined) problems.push(missing(at, field));
    else if (typeof v[field] !== 'string') problems.push(mustBe([...at, field], 'a string', typeName(v[field])));
    return typeof v[field] === 'string' ? (v[field] as string) : undefined;
  };
  const fromRaw = need('from');
  const toRaw = isObj(v.to) ? undefined : need('to');
  const expectRaw = need('expect');
  if (v.name !== undefined && typeof v.name !== 'string') problems.push(mustBe([...at, 'name'], 'a string', typeName(v.name)));
  const from = fromRaw === undefined ? null : qualified(fromRaw, ns);
  if (fromRaw !== undefined && !from) problems.push(mustBe([...at, 'from'], "NAMESPACE/SERVICEACCOUNT (or SERVICEACCOUNT in the document's namespace)", JSON.stringify(fromRaw)));
  let to: string | null = null;
  let port: number | undefined;
  const external = isObj(v.to) ? parseExternal(v.to, [...at, 'to'], problems) : undefined;
  if (external) to = `${external.host}:${external.port}`;
  if (external && v.port !== undefined) problems.push({ ...catalogMessage('MESH0719', { field: fmt([...at, 'port']) }), path: [...at, 'port'] });
  if (toRaw !== undefined) {
    const m = /^(.*?)(?::(\d+))?$/.exec(toRaw)!;
    to = qualified(m[1]!, ns);
    if (m[2] !== undefined) port = Number(m[2]);
    if (!to) problems.push(mustBe([...at, 'to'], "NAMESPACE/SERVICE[:PORT] (or SERVICE[:PORT] in the document's namespace)", JSON.stringify(toRaw)));
  }
  if (v.port !== undefined && !external) {
    if (!Number.isInteger(v.port)) problems.push(mustBe([...at, 'port'], 'an integer', JSON.stringify(v.port)));
    else if (port !== undefined && port !== v.port) problems.push({ ...catalogMessage('MESH0717', { field: fmt([...at, 'port']), port: v.port as number, toPort: port }), path: [...at, 'port'] });
    else port = v.port as number;
  }
  if (port !== undefined && (port < 1 || port > 65535)) {
    const field: Path = [...at, v.port !== undefined ? 'port' : 'to'];
    problems.push({ ...catalogMessage('MESH0718', { field: fmt(field), port }), path: field });
  }
  if (expectRaw !== undefined && expectRaw !== 'allow' && expectRaw !== 'deny') {
    problems.push(mustBe([...at, 'expect'], 'allow or deny', JSON.stringify(expectRaw)));
  }
  const request = v.request === undefined ? undefined : parseRequest(v.request, [...at, 'request'], problems);
  if (problems.length > before) return null;
  const c: TestCase = {
    index, from: from!, to: to!, expect: expectRaw as 'allow' | 'deny',
    name: typeof v.name === 'string' && v.name.trim() !== '' ? v.name : `case ${index + 1} (${fromRaw} → ${toRaw ?? to})`,
  };
  if (external) c.external = external;
  if (port !== undefined) {
    c.port = port;
    c.portField = v.port !== undefined ? 'port' : 'to';
  }
  if (request) c.request = request;
  return c;
}

/** Validates one raw document; invalid cases are left out (and reported), valid ones still run. */
export function parseTestDocument(value: Obj, origin: Origin, defaultNamespace: string): { doc: TestDocument | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const apiVersion = String(value.apiVersion);
  if (apiVersion !== TEST_API_VERSION) {
    problems.push({ ...catalogMessage('MESH0720', { apiVersion: JSON.stringify(value.apiVersion), supported: TEST_API_VERSION }), path: ['apiVersion'] });
    return { doc: null, problems };
  }
  unknownFields(value, ['apiVersion', 'kind', 'metadata', 'spec'], [], problems);
  const meta = isObj(value.metadata) ? value.metadata : {};
  if (!isObj(value.metadata) || typeof meta.name !== 'string' || meta.name === '') problems.push(missing([], 'metadata.name', isObj(value.metadata) ? ['metadata'] : []));
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || !DNS_LABEL.test(meta.namespace))) {
    problems.push(mustBe(['metadata', 'namespace'], 'a namespace name', JSON.stringify(meta.namespace)));
  }
  const namespace = typeof meta.namespace === 'string' && DNS_LABEL.test(meta.namespace) ? meta.namespace : defaultNamespace;
  const spec = value.spec;
  if (!isObj(spec)) {
    problems.push(spec === undefined ? missing([], 'spec') : mustBe(['spec'], 'a mapping with a list of cases', typeName(spec)));
    return { doc: null, problems };
  }
  unknownFields(spec, ['cases'], ['spec'], problems);
  if (!Array.isArray(spec.cases) || spec.cases.length === 0) {
    problems.push(spec.cases === undefined ? missing(['spec'], 'cases') : mustBe(['spec', 'cases'], 'a non-empty list of cases', Array.isArray(spec.cases) ? 'an empty list' : typeName(spec.cases)));
    return { doc: null, problems };
  }
  const cases: TestCase[] = [];
  spec.cases.forEach((c, i) => {
    const parsed = parseCase(c, i, namespace, problems);
    if (parsed) cases.push(parsed);
  });
  return { doc: { origin, apiVersion, namespace, name: typeof meta.name === 'string' ? meta.name : '', cases, invalidCases: spec.cases.length - cases.length }, problems };
}
