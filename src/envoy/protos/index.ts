/**
 * The Envoy v3 API for meshc: a protobufjs Root of every Envoy proto that
 * ships with @grpc/grpc-js-xds, and a strict proto3 JSON codec over it.
 *
 * Heavy: importing this module loads protobufjs. Import it lazily
 * (`await import('../envoy/protos/index.ts')`), never from the `check` path.
 *
 * JSON form everywhere: proto3 JSON with proto field names (snake_case, as in
 * Envoy YAML), `"@type"` on every google.protobuf.Any, Durations as "5s",
 * wrappers as bare values, 64-bit integers as strings on output (numbers or
 * strings on input), enums as names. Input also accepts lowerCamelCase JSON
 * names; output always uses proto names.
 *
 * Strict: unknown fields, an Any without "@type" or with a type that is not
 * loaded, values of the wrong JSON type, out-of-range numbers and two
 * members of one oneof throw {@link EnvoyJsonError} (with a field path);
 * nothing is dropped silently. Decoding bytes is just as strict.
 *
 * Canonical: defaults of implicit-presence fields are not encoded, fields go
 * in field-number order, map keys sorted; `toJson` emits fields in
 * field-number order with "@type" first, so equal messages give equal text
 * and `decodeAny(encodeAny(x))` equals `x` when `x` is already canonical
 * (the output of `canonicalJson`).
 */
import type protobuf from 'protobufjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvoyJsonError } from './errors.ts';
import { JsonReader } from './json-in.ts';
import { JsonWriter, type JsonObject, type JsonValue } from './json-out.ts';
import { BUNDLE_FORMAT, loadRootFromProtos, rootFromBundle, type ProtoBundle } from './load.ts';
import { locateProtos, packageRoot, protoVersions } from './locate.ts';
import { TypeIndex } from './type-index.ts';
import { typeNameOf } from './type-urls.ts';
import { checkWire } from './wire.ts';

export { EnvoyJsonError } from './errors.ts';
export type { JsonObject, JsonValue } from './json-out.ts';
export { encodeDelimited, decodeDelimited } from './delimited.ts';
export * from './type-urls.ts';
export { fieldRules, oneofRequired, messageDisabled } from './pgv-options.ts';
export type { PgvRules } from './pgv-options.ts';

/** A packed google.protobuf.Any. */
export interface AnyMessage {
  type_url: string;
  value: Uint8Array;
}

export interface EnvoyApi {
  /** The protobufjs root with every loadable message under envoy/ (plus xds, udpa, google). */
  readonly root: protobuf.Root;
  /** Where the root came from: the prebuilt descriptor bundle, the .proto files, or a caller (createEnvoyApi). */
  readonly source: 'bundle' | 'protos' | 'custom';
  /** The envoy/… .proto files that were loaded. */
  readonly files: readonly string[];

  /** The message type for a full name (`envoy.config.cluster.v3.Cluster`) or type URL, or null. */
  findType(nameOrUrl: string): protobuf.Type | null;
  /** Like findType; throws EnvoyJsonError (rule any.unknown_type) for an unknown type. */
  type(nameOrUrl: string): protobuf.Type;

  /** Proto3 JSON → protobufjs message of the given type. Throws EnvoyJsonError. */
  fromJson(nameOrUrl: string, json: unknown): protobuf.Message;
  /** protobufjs message → canonical proto3 JSON. Throws EnvoyJsonError for an Any of an unknown type. */
  toJson(nameOrUrl: string, message: protobuf.Message | Record<string, unknown>): JsonObject;
  /** Proto3 JSON → encoded message bytes (not wrapped in an Any). */
  encode(nameOrUrl: string, json: unknown): Uint8Array;
  /** Encoded message bytes → canonical proto3 JSON; unknown fields are errors. */
  decode(nameOrUrl: string, bytes: Uint8Array): JsonObject;

  /** `{"@type": url, ...fields}` → the Any `{type_url, value}` (value = the encoded message). */
  toAny(json: unknown): AnyMessage;
  /** `{"@type": url, ...fields}` → the encoded bytes of the google.protobuf.Any (what `meshc serve` sends). */
  encodeAny(json: unknown): Uint8Array;
  /** Encoded google.protobuf.Any bytes → `{"@type": url, ...fields}`. */
  decodeAny(bytes: Uint8Array): JsonObject;
  /** The canonical form of `{"@type": …}` JSON: key order, defaults dropped, durations normalised. */
  canonicalJson(json: unknown): JsonObject;
}

class Api implements EnvoyApi {
  private readonly types: TypeIndex;
  private readonly reader: JsonReader;
  private readonly fastReader: JsonReader;
  private readonly writer: JsonWriter;
  private readonly anyType: protobuf.Type;

  constructor(readonly root: protobuf.Root, readonly source: EnvoyApi['source'], readonly files: readonly string[]) {
    this.types = new TypeIndex(root);
    this.reader = new JsonReader(this.types);
    this.fastReader = new JsonReader(this.types, false);
    this.writer = new JsonWriter(this.types);
    this.anyType = this.types.type('google.protobuf.Any');
  }

  findType(nameOrUrl: string): protobuf.Type | null {
    return this.types.find(nameOrUrl);
  }

  type(nameOrUrl: string): protobuf.Type {
    const type = this.types.find(nameOrUrl);
    if (!type) throw new EnvoyJsonError('', 'any.unknown_type', `unknown message type "${nameOrUrl}"`);
    return type;
  }

  /**
   * A strict read without building paths; only a value that fails is read again, by the path-tracking reader, whose
   * error (the same one, with its path) is thrown. Both readers share every rule, so they fail on the same values.
   */
  private read(type: protobuf.Type, json: unknown): protobuf.Message {
    try {
      return this.fastReader.message(type, json, '');
    } catch (e) {
      if (!(e instanceof EnvoyJsonError)) throw e;
      return this.reader.message(type, json, '');
    }
  }

  fromJson(nameOrUrl: string, json: unknown): protobuf.Message {
    return this.read(this.type(nameOrUrl), json);
  }

  toJson(nameOrUrl: string, message: protobuf.Message | Record<string, unknown>): JsonObject {
    return this.writer.message(this.type(nameOrUrl), message as Record<string, unknown>, '') as JsonObject;
  }

  encode(nameOrUrl: string, json: unknown): Uint8Array {
    const type = this.type(nameOrUrl);
    return type.encode(this.read(type, json)).finish();
  }

  decode(nameOrUrl: string, bytes: Uint8Array): JsonObject {
    const type = this.type(nameOrUrl);
    checkWire(this.types, type, bytes, '');
    return this.writer.message(type, type.decode(bytes) as unknown as Record<string, unknown>, '') as JsonObject;
  }

  toAny(json: unknown): AnyMessage {
    const msg = this.read(this.anyType, json) as unknown as AnyMessage;
    return { type_url: msg.type_url, value: msg.value };
  }

  encodeAny(json: unknown): Uint8Array {
    return this.anyType.encode(this.read(this.anyType, json)).finish();
  }

  decodeAny(bytes: Uint8Array): JsonObject {
    return this.decode('google.protobuf.Any', bytes);
  }

  canonicalJson(json: unknown): JsonObject {
    return this.decodeAny(this.encodeAny(json));
  }
}

/**
 * The same codec over another resolved root (tests, or extra protos). The root
 * must contain google.protobuf.Any; PGV rules are read from its parsed options.
 */
export function createEnvoyApi(root: protobuf.Root, files: readonly string[] = []): EnvoyApi {
  return new Api(root, 'custom', files);
}

export interface LoadOptions {
  /**
   * 'auto' (default): the prebuilt bundle when it is present and matches the
   * installed protobufjs and @grpc/grpc-js-xds, else the .proto files.
   * The environment variable MESHC_ENVOY_PROTOS=bundle|protos overrides 'auto'.
   */
  source?: 'auto' | 'bundle' | 'protos';
}

/** Where scripts/prebuild-protos.mjs writes the descriptor bundle. */
export function bundlePath(): string {
  return join(packageRoot(), 'src', 'envoy', 'protos', 'generated', 'envoy-api.json');
}

function readBundle(): ProtoBundle | string {
  const path = bundlePath();
  if (!existsSync(path)) return `no bundle at ${path}`;
  let bundle: ProtoBundle;
  try {
    bundle = JSON.parse(readFileSync(path, 'utf8')) as ProtoBundle;
  } catch (e) {
    return `unreadable bundle ${path}: ${(e as Error).message}`;
  }
  if (bundle.format !== BUNDLE_FORMAT) return `bundle format ${bundle.format}, expected ${BUNDLE_FORMAT}`;
  const v = protoVersions();
  if (bundle.versions?.grpcJsXds !== v.grpcJsXds || bundle.versions?.protobufjs !== v.protobufjs) return 'bundle built for other package versions';
  return bundle;
}

const cache = new Map<string, Promise<EnvoyApi>>();

/** Loads the Envoy API once per source (later calls return the same instance). */
export function loadEnvoyApi(options: LoadOptions = {}): Promise<EnvoyApi> {
  let source = options.source ?? 'auto';
  const env = process.env.MESHC_ENVOY_PROTOS;
  if (source === 'auto' && (env === 'bundle' || env === 'protos')) source = env;
  let pending = cache.get(source);
  if (!pending) {
    pending = Promise.resolve().then(() => {
      if (source !== 'protos') {
        const bundle = readBundle();
        if (typeof bundle !== 'string') return new Api(rootFromBundle(bundle), 'bundle', bundle.files);
        if (source === 'bundle') throw new Error(`cannot load the Envoy API bundle: ${bundle} (run node scripts/build.mjs)`);
      }
      const sources = locateProtos();
      return new Api(loadRootFromProtos(sources), 'protos', sources.files);
    });
    cache.set(source, pending);
    pending.catch(() => cache.delete(source));
  }
  return pending;
}

/** The name an xDS resource is known by: `cluster_name` for a ClusterLoadAssignment, else `name`. */
export function resourceName(json: unknown): string {
  if (!json || typeof json !== 'object') return '';
  const obj = json as Record<string, unknown>;
  const value = typeNameOf(String(obj['@type'] ?? '')) === 'envoy.config.endpoint.v3.ClusterLoadAssignment' ? obj.cluster_name : obj.name;
  return typeof value === 'string' ? value : '';
}

