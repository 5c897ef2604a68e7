/**
 * Resources → bytes and canonical JSON. Every resource is encoded once into
 * its google.protobuf.Any bytes (what `meshc serve` sends) and decoded back
 * into proto3 JSON, so the .json files show exactly what the .pb files hold.
 * Objects shared between nodes (a Service port's Cluster) are encoded once.
 */
// Types only from the protos module: it loads protobufjs, which compile imports lazily.
import type { EnvoyApi, JsonObject } from '../envoy/protos/index.ts';
import { encodeDelimited } from '../envoy/protos/delimited.ts';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL } from '../envoy/protos/type-urls.ts';
import type { NodeResources } from '../envoy/translate/envoy.ts';
import type { Json } from '../envoy/translate/shapes.ts';
import { jsonText, shortHash, TYPE_FILES } from './layout.ts';

export interface EncodedResource {
  name: string;
  bytes: Uint8Array;
  json: JsonObject;
  hash: string;
}

export interface EncodedType {
  typeUrl: string;
  stem: string;
  version: string;
  resources: EncodedResource[];
}

export interface EncodedNode {
  types: EncodedType[];
  version: string;
}

/** Thrown when a resource cannot be encoded: carries which one. */
export class EncodeFailure extends Error {
  constructor(readonly typeUrl: string, readonly resource: string, readonly reason: string, readonly path: string) {
    super(reason);
  }
}

/** The name an xDS resource is known by: `cluster_name` for a ClusterLoadAssignment, else `name`. */
export function resourceName(obj: Json): string {
  const v = obj['@type'] === CLUSTER_LOAD_ASSIGNMENT_TYPE_URL ? obj.cluster_name : obj.name;
  return typeof v === 'string' ? v : '';
}

export class Encoder {
  private readonly cache = new WeakMap<object, EncodedResource>();
  constructor(readonly api: EnvoyApi) {}

  resource(obj: Json): EncodedResource {
    const hit = this.cache.get(obj);
    if (hit) return hit;
    let bytes: Uint8Array;
    let json: JsonObject;
    try {
      bytes = this.api.encodeAny(obj);
      json = this.api.decodeAny(bytes);
    } catch (e) {
      const err = e as Error & { path?: string; detail?: string };
      throw new EncodeFailure(String(obj['@type']), resourceName(obj), err.detail ?? err.message, err.path ?? '');
    }
    const out: EncodedResource = { name: resourceName(obj), bytes, json, hash: shortHash(bytes) };
    this.cache.set(obj, out);
    return out;
  }

  node(resources: NodeResources): EncodedNode {
    const types: EncodedType[] = [];
    for (const { typeUrl, stem } of TYPE_FILES) {
      const list = resources[stem].map((r) => this.resource(r));
      list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      types.push({ typeUrl, stem, version: typeVersion(list), resources: list });
    }
    return { types, version: shortHash(types.map((t) => `${t.typeUrl} ${t.version}\n`).join('')) };
  }
}

/** A type's version: the hash of its resources' names and hashes, in order. */
function typeVersion(list: EncodedResource[]): string {
  return shortHash(list.map((r) => `${r.name}\u0000${r.hash}\n`).join(''));
}

export function typeJsonFile(t: EncodedType): string {
  return jsonText({ version_info: t.version, resources: t.resources.map((r) => r.json) });
}

export function typeBinaryFile(t: EncodedType): Uint8Array {
  return encodeDelimited(t.resources.map((r) => r.bytes));
}
