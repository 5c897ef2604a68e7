/**
 * ReachabilityTest documents (apiVersion meshc.dev/v1alpha1): validation
 * with field-exact problems, into plain cases.
 */
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

export interface Problem { path: Path; key?: boolean; message: string }

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** spec.cases[2].request.method */
const fmt = (path: Path) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v);

function unknownFields(o: Obj, allowed: string[], at: Path, problems: Problem[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) problems.push({ path: [...at, k], key: true, message: `unknown field ${fmt([...at, k])} (expected one of: ${allowed.join(', ')})` });
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
    problems.push({ path: at, message: `${fmt(at)} must be a mapping with method, path and headers, not ${typeName(v)}` });
    return undefined;
  }
  unknownFields(v, ['method', 'path', 'headers'], at, problems);
  const req: HttpRequest = {};
  if (v.method !== undefined) {
    const methods = HTTP_METHODS.filter((m) => m !== '*');
    if (typeof v.method !== 'string' || !(methods as readonly string[]).includes(v.method.toUpperCase())) {
      problems.push({ path: [...at, 'method'], message: `${fmt(at)}.method must be one of ${methods.join(', ')}, not ${JSON.stringify(v.method)}` });
    } else req.method = v.method.toUpperCase();
  }
  if (v.path !== undefined) {
    if (typeof v.path !== 'string' || !v.path.startsWith('/')) {
      problems.push({ path: [...at, 'path'], message: `${fmt(at)}.path must be a string starting with '/', not ${JSON.stringify(v.path)}` });
    } else req.path = v.path;
  }
  if (v.headers !== undefined) {
    if (!isObj(v.headers)) {
      problems.push({ path: [...at, 'headers'], message: `${fmt(at)}.headers must be a mapping of header name to value, not ${typeName(v.headers)}` });
    } else {
      req.headers = {};
      for (const [k, val] of Object.entries(v.headers)) {
        if (typeof val !== 'string') problems.push({ path: [...at, 'headers', k], message: `header ${k} must have a string value, not ${typeName(val)} (quote it)` });
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
  if (v.host === undefined) problems.push({ path: at, message: `${fmt(at)} has no host (to: {host, port} asks about a destination outside the mesh)` });
  else if (!host || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host)) {
    problems.push({ path: [...at, 'host'], message: `${fmt(at)}.host must be a DNS name or an IPv4 address, not ${JSON.stringify(v.host)}` });
  }
  if (v.port === undefined) problems.push({ path: at, message: `${fmt(at)} has no port` });
  else if (!Number.isInteger(v.port) || (v.port as number) < 1 || (v.port as number) > 65535) {
    problems.push({ path: [...at, 'port'], message: `${fmt(at)}.port must be an integer in 1..65535, not ${JSON.stringify(v.port)}` });
  }
  return problems.length > before ? undefined : { host: host!, port: v.port as number };
}

function parseCase(v: unknown, index: number, ns: string, problems: Problem[]): TestCase | null {
  const at: Path = ['spec', 'cases', index];
  const before = problems.length;
  if (!isObj(v)) {
    problems.push({ path: at, message: `spec.cases[${index}] must be a mapping with from, to and expect, not ${typeName(v)}` });
    return null;
  }
  unknownFields(v, ['name', 'from', 'to', 'port', 'request', 'expect'], at, problems);
  const need = (field: string) => {
    if (v[field] === undefined) problems.push({ path: at, message: `spec.cases[${index}] has no ${field}` });
    else if (typeof v[field] !== 'string') problems.push({ path: [...at, field], message: `spec.cases[${index}].${field} must be a string, not ${typeName(v[field])}` });
    return typeof v[field] === 'string' ? (v[field] as string) : undefined;
  };
  const fromRaw = need('from');
  const toRaw = isObj(v.to) ? undefined : need('to');
  const expectRaw = need('expect');
  if (v.name !== undefined && typeof v.name !== 'string') problems.push({ path: [...at, 'name'], message: `spec.cases[${index}].name must be a string` });
  const from = fromRaw === undefined ? null : qualified(fromRaw, ns);
  if (fromRaw !== undefined && !from) problems.push({ path: [...at, 'from'], message: `from must be NAMESPACE/SERVICEACCOUNT (or SERVICEACCOUNT in the document's namespace), not ${JSON.stringify(fromRaw)}` });
  let to: string | null = null;
  let port: number | undefined;
  const external = isObj(v.to) ? parseExternal(v.to, [...at, 'to'], problems) : undefined;
  if (external) to = `${external.host}:${external.port}`;
  if (external && v.port !== undefined) problems.push({ path: [...at, 'port'], message: 'port goes inside to: {host, port} for a destination outside the mesh' });
  if (toRaw !== undefined) {
    const m = /^(.*?)(?::(\d+))?$/.exec(toRaw)!;
    to = qualified(m[1]!, ns);
    if (m[2] !== undefined) port = Number(m[2]);
    if (!to) problems.push({ path: [...at, 'to'], message: `to must be NAMESPACE/SERVICE[:PORT] (or SERVICE[:PORT] in the document's namespace), not ${JSON.stringify(toRaw)}` });
  }
  if (v.port !== undefined && !external) {
    if (!Number.isInteger(v.port)) problems.push({ path: [...at, 'port'], message: `port must be an integer, not ${JSON.stringify(v.port)}` });
    else if (port !== undefined && port !== v.port) problems.push({ path: [...at, 'port'], message: `port ${v.port} contradicts the port in to (${port})` });
    else port = v.port as number;
  }
  if (port !== undefined && (port < 1 || port > 65535)) problems.push({ path: [...at, v.port !== undefined ? 'port' : 'to'], message: `port ${port} is outside 1..65535` });
  if (expectRaw !== undefined && expectRaw !== 'allow' && expectRaw !== 'deny') {
    problems.push({ path: [...at, 'expect'], message: `expect must be allow or deny, not ${JSON.stringify(expectRaw)}` });
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
    problems.push({ path: ['apiVersion'], message: `apiVersion ${JSON.stringify(value.apiVersion)} is not supported for ReachabilityTest (use ${TEST_API_VERSION})` });
    return { doc: null, problems };
  }
  unknownFields(value, ['apiVersion', 'kind', 'metadata', 'spec'], [], problems);
  const meta = isObj(value.metadata) ? value.metadata : {};
  if (!isObj(value.metadata) || typeof meta.name !== 'string' || meta.name === '') problems.push({ path: isObj(value.metadata) ? ['metadata'] : [], message: 'metadata.name is required' });
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || !DNS_LABEL.test(meta.namespace))) {
    problems.push({ path: ['metadata', 'namespace'], message: `metadata.namespace must be a namespace name, not ${JSON.stringify(meta.namespace)}` });
  }
  const namespace = typeof meta.namespace === 'string' && DNS_LABEL.test(meta.namespace) ? meta.namespace : defaultNamespace;
  const spec = value.spec;
  if (!isObj(spec)) {
    problems.push({ path: spec === undefined ? [] : ['spec'], message: spec === undefined ? 'spec is required (with a list of cases)' : `spec must be a mapping, not ${typeName(spec)}` });
    return { doc: null, problems };
  }
  unknownFields(spec, ['cases'], ['spec'], problems);
  if (!Array.isArray(spec.cases) || spec.cases.length === 0) {
    problems.push({ path: spec.cases === undefined ? ['spec'] : ['spec', 'cases'], message: spec.cases === undefined ? 'spec.cases is required' : 'spec.cases must be a non-empty list of cases' });
    return { doc: null, problems };
  }
  const cases: TestCase[] = [];
  spec.cases.forEach((c, i) => {
    const parsed = parseCase(c, i, namespace, problems);
    if (parsed) cases.push(parsed);
  });
  return { doc: { origin, apiVersion, namespace, name: typeof meta.name === 'string' ? meta.name : '', cases, invalidCases: spec.cases.length - cases.length }, problems };
}
