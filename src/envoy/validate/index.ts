/**
 * Envoy self-validation for `meshc compile`: every resource is checked before
 * anything is written.
 *
 * - {@link EnvoyValidator.validateMessage}: strict decoding (unknown fields,
 *   unknown Any types) plus the protoc-gen-validate rules annotated on
 *   Envoy's protos, recursing into nested messages and into Any; plus the
 *   Duration and RE2 checks Envoy makes while loading any message, and
 *   warnings for deprecated fields and enum values.
 * - {@link checkInvariants}: rules across resources that Envoy (or a gRPC
 *   xDS client) checks only in code: unique names, dangling references,
 *   unique virtual-host domains, weighted-cluster sums, router filter last,
 *   EDS/RDS consistency, and (target 'grpc') what @grpc/grpc-js-xds accepts.
 *
 * Heavy: loads protobufjs and the Envoy protos; import lazily, never from `check`.
 */
import protobuf from 'protobufjs';
import { EnvoyJsonError, loadEnvoyApi, typeNameOf, type EnvoyApi, type LoadOptions } from '../protos/index.ts';
import { AnyCache, PgvValidator } from './pgv.ts';
import { checkBootstrap } from './bootstrap.ts';
import type { Violation } from './types.ts';

export type { Violation } from './types.ts';
export { checkInvariants, type ProxyResources, type Target } from './invariants.ts';
export { checkBootstrap } from './bootstrap.ts';
export { SUPPORTED_RULES } from './rules.ts';

export interface ValidateOptions {
  /** Report deprecated fields and enum values as 'warning' violations (default true). */
  deprecated?: boolean;
}

export interface EnvoyValidator {
  readonly api: EnvoyApi;
  /**
   * Validates one message of type `typeUrl` (a type URL or full name).
   * `value` is proto3 JSON (an `"@type"` key, if present, must name the same
   * type) or a protobufjs message of that type. A value that cannot be read
   * as that type gives one violation (rule `json.*` / `any.*`) and no more.
   */
  validateMessage(typeUrl: string, value: unknown, options?: ValidateOptions): Violation[];
  /** Validates a resource in proto3 JSON with its `"@type"`. */
  validateResource(json: unknown, options?: ValidateOptions): Violation[];
}

function jsonError(e: unknown): Violation[] {
  if (e instanceof EnvoyJsonError) return [{ path: e.path, rule: e.rule, message: e.detail, severity: 'error' }];
  throw e;
}

export function createValidator(api: EnvoyApi): EnvoyValidator {
  // One cache of Any payloads' violations per setting of `deprecated` (what they depend on besides the bytes).
  const anyCaches = { reported: new AnyCache(), ignored: new AnyCache() };
  const make = (options: ValidateOptions = {}) => {
    const deprecated = options.deprecated !== false;
    return new PgvValidator({
      deprecated, resolveAny: (url) => (url.includes('/') ? api.findType(url) : null), anyCache: deprecated ? anyCaches.reported : anyCaches.ignored,
    });
  };

  const validateMessage = (typeUrl: string, value: unknown, options?: ValidateOptions): Violation[] => {
    const type = api.findType(typeUrl);
    if (!type) return [{ path: '', rule: 'any.unknown_type', message: `unknown message type "${typeUrl}"`, severity: 'error' }];
    let message: protobuf.Message;
    if (value instanceof protobuf.Message) {
      message = value;
    } else {
      let body = value;
      if (body && typeof body === 'object' && !Array.isArray(body) && '@type' in body) {
        const { '@type': url, ...rest } = body as Record<string, unknown>;
        if (typeof url !== 'string' || typeNameOf(url) !== type.fullName.slice(1)) {
          return [{ path: '', rule: 'any.type_mismatch', message: `"@type" is ${JSON.stringify(url)}, expected a ${type.fullName.slice(1)}`, severity: 'error' }];
        }
        body = rest;
      }
      try {
        message = api.fromJson(typeUrl, body);
      } catch (e) {
        return jsonError(e);
      }
    }
    const found = make(options).validate(type, message as unknown as Record<string, unknown>);
    // A bootstrap is also checked as Envoy checks it at start-up (bootstrap.ts).
    if (type.fullName === '.envoy.config.bootstrap.v3.Bootstrap') found.push(...checkBootstrap(api.toJson(type.fullName.slice(1), message)));
    return found;
  };

  return {
    api,
    validateMessage,
    validateResource(json, options) {
      const url = json && typeof json === 'object' ? (json as Record<string, unknown>)['@type'] : undefined;
      if (typeof url !== 'string') return [{ path: '', rule: 'any.missing_type', message: 'resource without "@type"', severity: 'error' }];
      return validateMessage(url, json, options);
    },
  };
}

const validators = new Map<string, Promise<EnvoyValidator>>();

/** Loads the Envoy API (once) and returns a validator over it. */
export function loadValidator(options: LoadOptions = {}): Promise<EnvoyValidator> {
  const key = options.source ?? 'auto';
  let v = validators.get(key);
  if (!v) {
    v = loadEnvoyApi(options).then(createValidator);
    validators.set(key, v);
  }
  return v;
}
export { violationDiagnostic, type ViolationDiagnostic } from './diagnostics.ts';
