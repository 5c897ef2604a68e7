/**
 * OSM's MeshConfig and policy kinds → the canonical model (src/model/osm-types.ts).
 * The schema (from OSM's CRDs) has checked the types; here the values OSM's
 * Go types or Envoy would refuse are reported at their exact field: CIDR
 * blocks, Go durations, negative uint32 counts, protocols and retry conditions.
 */
import { UINT32_MAX } from '../core/compare.ts';
import type { Path } from '../core/types.ts';
import { formatPath } from '../schema/text.ts';
import { parseCidr } from './cidr.ts';
import { asList, asObj, asString, buildMeta, issue, type ModelContext, type Obj } from './context.ts';
import { parseGoDuration } from './duration.ts';
import {
  EGRESS_PROTOCOLS, INGRESS_PROTOCOLS, type Cidr, type Duration, type Egress, type EgressProtocol, type HttpLocalRateLimit,
  type IngressBackend, type MeshConfig, type PolicySubject, type RateLimitUnit, type Retry, type TlsVersion, type TypedRef,
  type UpstreamTrafficSetting,
} from './osm-types.ts';

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const strings = (v: unknown): string[] => asList(v).filter((s): s is string => typeof s === 'string');
const spec = (ctx: ModelContext): Obj => asObj(ctx.raw.value.spec) ?? {};

function cidr(ctx: ModelContext, text: string, path: Path): Cidr | undefined {
  const parsed = parseCidr(text);
  if (parsed.ok) return parsed.value;
  issue(ctx, 'MESH1102', { path: formatPath(path), value: JSON.stringify(text), reason: parsed.reason }, path);
  return undefined;
}

function duration(ctx: ModelContext, v: unknown, path: Path): Duration | undefined {
  if (typeof v !== 'string') return undefined;
  const parsed = parseGoDuration(v);
  if (parsed.ok) return parsed.value;
  issue(ctx, 'MESH1104', { path: formatPath(path), value: JSON.stringify(v), reason: parsed.reason }, path);
  return undefined;
}

function subject(v: unknown): PolicySubject {
  const o = asObj(v) ?? {};
  return { kind: asString(o.kind) ?? '', name: asString(o.name) ?? '', namespace: asString(o.namespace) ?? '' };
}

function typedRefs(v: unknown): TypedRef[] {
  return asList(v).map((m) => {
    const o = asObj(m) ?? {};
    return { apiGroup: asString(o.apiGroup) ?? '', kind: asString(o.kind) ?? '', name: asString(o.name) ?? '' };
  });
}

export function buildMeshConfig(ctx: ModelContext): MeshConfig {
  const s = spec(ctx);
  const traffic = asObj(s.traffic) ?? {};
  const sidecar = asObj(s.sidecar) ?? {};
  const tracing = asObj(asObj(s.observability)?.tracing);
  for (const list of ['outboundIPRangeExclusionList', 'outboundIPRangeInclusionList']) {
    asList(traffic[list]).forEach((t, i) => { if (typeof t === 'string') cidr(ctx, t, ['spec', 'traffic', list, i]); });
  }
  const model: MeshConfig = {
    meta: buildMeta(ctx),
    traffic: {
      enablePermissiveTrafficPolicyMode: bool(traffic.enablePermissiveTrafficPolicyMode),
      enableEgress: bool(traffic.enableEgress),
      outboundIPRangeExclusionList: strings(traffic.outboundIPRangeExclusionList),
      outboundIPRangeInclusionList: strings(traffic.outboundIPRangeInclusionList),
      outboundPortExclusionList: asList(traffic.outboundPortExclusionList).filter((p): p is number => typeof p === 'number'),
      inboundPortExclusionList: asList(traffic.inboundPortExclusionList).filter((p): p is number => typeof p === 'number'),
    },
    sidecar: {
      logLevel: asString(sidecar.logLevel),
      tlsMinProtocolVersion: asString(sidecar.tlsMinProtocolVersion) as TlsVersion | undefined,
      tlsMaxProtocolVersion: asString(sidecar.tlsMaxProtocolVersion) as TlsVersion | undefined,
      cipherSuites: sidecar.cipherSuites === undefined ? undefined : strings(sidecar.cipherSuites),
      ecdhCurves: sidecar.ecdhCurves === undefined ? undefined : strings(sidecar.ecdhCurves),
      localProxyMode: asString(sidecar.localProxyMode) as 'Localhost' | 'PodIP' | undefined,
    },
    featureFlags: Object.fromEntries(Object.entries(asObj(s.featureFlags) ?? {}).filter((e): e is [string, boolean] => typeof e[1] === 'boolean')),
  };
  if (tracing) {
    model.tracing = { enable: tracing.enable === true, address: asString(tracing.address), port: num(tracing.port), endpoint: asString(tracing.endpoint) };
  }
  return model;
}

export function buildEgress(ctx: ModelContext): Egress {
  const s = spec(ctx);
  const ipAddresses: Cidr[] = [];
  asList(s.ipAddresses).forEach((t, i) => {
    const c = typeof t === 'string' ? cidr(ctx, t, ['spec', 'ipAddresses', i]) : undefined;
    if (c) ipAddresses.push(c);
  });
  const ports = asList(s.ports).map((p, i) => {
    const o = asObj(p) ?? {};
    const protocol = asString(o.protocol) ?? '';
    if (!(EGRESS_PROTOCOLS as readonly string[]).includes(protocol)) {
      const lower = protocol.toLowerCase();
      const hint = (EGRESS_PROTOCOLS as readonly string[]).includes(lower) ? `; OSM compares it as written: write "${lower}"` : '';
      issue(ctx, 'MESH1105', { value: JSON.stringify(protocol), accepted: 'http, https, tcp or tcp-server-first', hint }, ['spec', 'ports', i, 'protocol']);
    }
    return { number: num(o.number) ?? 0, protocol: protocol as EgressProtocol };
  });
  return { meta: buildMeta(ctx), sources: asList(s.sources).map(subject), hosts: strings(s.hosts), ipAddresses, ports, matches: typedRefs(s.matches) };
}

export function buildIngressBackend(ctx: ModelContext): IngressBackend {
  const s = spec(ctx);
  const backends = asList(s.backends).map((b, i) => {
    const o = asObj(b) ?? {};
    const port = asObj(o.port) ?? {};
    const protocol = asString(port.protocol) ?? '';
    if (!(INGRESS_PROTOCOLS as readonly string[]).includes(protocol)) {
      const lower = protocol.toLowerCase();
      const hint = (INGRESS_PROTOCOLS as readonly string[]).includes(lower) ? `; OSM compares it as written: write "${lower}"` : '';
      issue(ctx, 'MESH1106', { value: JSON.stringify(protocol), hint }, ['spec', 'backends', i, 'port', 'protocol']);
    }
    const tls = asObj(o.tls);
    const backend: IngressBackend['backends'][number] = { name: asString(o.name) ?? '', port: { number: num(port.number) ?? 0, protocol: protocol as 'http' | 'https' } };
    if (tls) backend.tls = { skipClientCertValidation: tls.skipClientCertValidation === true, sniHosts: strings(tls.sniHosts) };
    return backend;
  });
  const sources = asList(s.sources).map((src, i) => {
    const out: IngressBackend['sources'][number] = subject(src);
    if (out.kind === 'IPRange') {
      const c = cidr(ctx, out.name, ['spec', 'sources', i, 'name']);
      if (c) out.cidr = c;
    }
    return out;
  });
  return { meta: buildMeta(ctx), backends, sources, matches: typedRefs(s.matches) };
}

function rateLimitFields(ctx: ModelContext, o: Obj, countField: 'requests' | 'connections', path: Path): { count: number; unit: RateLimitUnit; burst: number } | undefined {
  const missing = [countField, 'unit'].filter((f) => o[f] === undefined);
  if (missing.length > 0) {
    issue(ctx, 'MESH1108', { path: formatPath(path), missing: missing.join(' and ') }, path, true);
    return undefined;
  }
  return { count: num(o[countField]) ?? 0, unit: asString(o.unit) as RateLimitUnit, burst: num(o.burst) ?? 0 };
}

/** Envoy's StatusCode enum (envoy/type/v3/http_status.proto), 4xx and 5xx: a local rate limit answers with one of these. */
export const ENVOY_STATUS_CODES: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 402: 'PaymentRequired', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable',
  407: 'ProxyAuthenticationRequired', 408: 'RequestTimeout', 409: 'Conflict', 410: 'Gone', 411: 'LengthRequired', 412: 'PreconditionFailed',
  413: 'PayloadTooLarge', 414: 'URITooLong', 415: 'UnsupportedMediaType', 416: 'RangeNotSatisfiable', 417: 'ExpectationFailed', 421: 'MisdirectedRequest',
  422: 'UnprocessableEntity', 423: 'Locked', 424: 'FailedDependency', 426: 'UpgradeRequired', 428: 'PreconditionRequired', 429: 'TooManyRequests',
  431: 'RequestHeaderFieldsTooLarge', 500: 'InternalServerError', 501: 'NotImplemented', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout',
  505: 'HTTPVersionNotSupported', 506: 'VariantAlsoNegotiates', 507: 'InsufficientStorage', 508: 'LoopDetected', 510: 'NotExtended', 511: 'NetworkAuthenticationRequired',
};

function httpRateLimit(ctx: ModelContext, v: unknown, path: Path): HttpLocalRateLimit | undefined {
  const o = asObj(v);
  if (!o) return undefined;
  const f = rateLimitFields(ctx, o, 'requests', path);
  if (!f) return undefined;
  const out: HttpLocalRateLimit = {
    requests: f.count, unit: f.unit, burst: f.burst,
    responseHeadersToAdd: asList(o.responseHeadersToAdd).map((h) => ({ name: asString(asObj(h)?.name) ?? '', value: asString(asObj(h)?.value) ?? '' })),
  };
  if (typeof o.responseStatusCode === 'number') {
    if (ENVOY_STATUS_CODES[o.responseStatusCode] === undefined) {
      issue(ctx, 'MESH1109', { value: o.responseStatusCode }, [...path, 'responseStatusCode']);
      return undefined;
    }
    out.responseStatusCode = o.responseStatusCode;
  }
  return out;
}

export function buildUpstreamTrafficSetting(ctx: ModelContext): UpstreamTrafficSetting {
  const s = spec(ctx);
  const conn = asObj(s.connectionSettings) ?? {};
  const tcp = asObj(conn.tcp);
  const http = asObj(conn.http);
  const local = asObj(asObj(s.rateLimit)?.local) ?? {};
  const model: UpstreamTrafficSetting = { meta: buildMeta(ctx), host: asString(s.host) ?? '', connectionSettings: {}, rateLimit: {}, httpRoutes: [] };
  if (tcp) model.connectionSettings.tcp = { maxConnections: num(tcp.maxConnections), connectTimeout: duration(ctx, tcp.connectTimeout, ['spec', 'connectionSettings', 'tcp', 'connectTimeout']) };
  if (http) {
    model.connectionSettings.http = {
      maxRequests: num(http.maxRequests), maxRequestsPerConnection: num(http.maxRequestsPerConnection),
      maxPendingRequests: num(http.maxPendingRequests), maxRetries: num(http.maxRetries),
    };
  }
  const localTcp = asObj(local.tcp);
  if (localTcp) {
    const f = rateLimitFields(ctx, localTcp, 'connections', ['spec', 'rateLimit', 'local', 'tcp']);
    if (f) model.rateLimit.tcp = { connections: f.count, unit: f.unit, burst: f.burst };
  }
  const localHttp = httpRateLimit(ctx, local.http, ['spec', 'rateLimit', 'local', 'http']);
  if (localHttp) model.rateLimit.http = localHttp;
  model.httpRoutes = asList(s.httpRoutes).map((r, i) => {
    const o = asObj(r) ?? {};
    const route: UpstreamTrafficSetting['httpRoutes'][number] = { path: asString(o.path) ?? '' };
    const limit = httpRateLimit(ctx, asObj(asObj(o.rateLimit))?.local, ['spec', 'httpRoutes', i, 'rateLimit', 'local']);
    if (limit) route.rateLimit = limit;
    return route;
  });
  return model;
}

/** Envoy's retry_on conditions (router and gRPC), as the route's retry policy takes them. */
export const RETRY_ON = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
];

export function buildRetry(ctx: ModelContext): Retry {
  const s = spec(ctx);
  const policy = asObj(s.retryPolicy) ?? {};
  const retryOnText = asString(policy.retryOn) ?? '';
  const retryOn = retryOnText.split(',').map((c) => c.trim()).filter((c) => c !== '');
  const unknown = retryOn.filter((c) => !RETRY_ON.includes(c));
  if (retryOn.length === 0 || unknown.length > 0) {
    const reason = retryOn.length === 0 ? 'it names no condition' : `${unknown.map((u) => JSON.stringify(u)).join(', ')} ${unknown.length === 1 ? 'is no' : 'are no'} Envoy retry condition`;
    issue(ctx, 'MESH1107', { value: JSON.stringify(retryOnText), reason }, ['spec', 'retryPolicy', 'retryOn']);
  }
  const numRetries = num(policy.numRetries);
  if (numRetries !== undefined && (numRetries < 0 || numRetries > UINT32_MAX)) {
    issue(ctx, 'MESH1103', { value: numRetries }, ['spec', 'retryPolicy', 'numRetries']);
  }
  const model: Retry = {
    meta: buildMeta(ctx), source: subject(s.source), destinations: asList(s.destinations).map(subject),
    retryPolicy: { retryOn },
  };
  if (numRetries !== undefined) model.retryPolicy.numRetries = numRetries;
  const perTry = duration(ctx, policy.perTryTimeout, ['spec', 'retryPolicy', 'perTryTimeout']);
  if (perTry) model.retryPolicy.perTryTimeout = perTry;
  const backoff = duration(ctx, policy.retryBackoffBaseInterval, ['spec', 'retryPolicy', 'retryBackoffBaseInterval']);
  if (backoff) {
    if (backoff.nanos < 1e6) issue(ctx, 'MESH1104', { path: 'spec.retryPolicy.retryBackoffBaseInterval', value: JSON.stringify(backoff.text), reason: 'Envoy requires a base interval of at least 1ms' }, ['spec', 'retryPolicy', 'retryBackoffBaseInterval']);
    else model.retryPolicy.retryBackoffBaseInterval = backoff;
  }
  return model;
}
