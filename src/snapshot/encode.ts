/**
 * Resources → bytes, JSON and self-validation. Every resource is read
 * strictly into its Envoy message once (src/envoy/protos: unknown fields,
 * unknown "@type"s and wrong types are errors), checked against the Envoy API
 * rules (src/envoy/validate: PGV annotations, Duration and RE2 checks), and
 * encoded into its google.protobuf.Any bytes (what `meshc serve` sends). The
 * .json files show the same object in proto3 JSON as meshc built it (proto
 * field names, "@type" on every Any; defaults may be spelled out); it decodes
 * to exactly the message of the .pb bytes (test/compile-output.test.ts).
 * Resources shared between nodes (a Service port's Cluster) are processed once.
 */
// Types only from the heavy modules: compile imports them lazily.
import type { EnvoyApi, JsonObject } from '../envoy/protos/index.ts';
import type { EnvoyValidator, Violation } from '../envoy/validate/index.ts';
import { EnvoyJsonError } from '../envoy/protos/errors.ts';
import { encodeDelimited } from '../envoy/protos/delimited.ts';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL } from '../envoy/protos/type-urls.ts';
import type { NodeResources } from '../envoy/translate/envoy.ts';
import type { Json } from '../envoy/translate/shapes.ts';
import * as crypto from 'node:crypto';
import { shortHash, typeVersion } from './hash.ts';
import { TYPE_FILES } from './layout.ts';
import type { EncodeBackend } from './encode-backend.ts';

export interface EncodedResource {
  typeUrl: string;
  name: string;
  /** Encoded google.protobuf.Any; empty when the resource could not be read (see violations). */
  bytes: Uint8Array;
  json: JsonObject;
  hash: string;
  /** Envoy API rule violations of this resource on its own (errors and deprecation warnings). */
  violations: Violation[];
  /** Its JSON text (`JSON.stringify(json)`): an element of a type file's `resources`, built once, shared by every node that has it. */
  text: string;
  /** `text` as UTF-8 (typeJsonFile), encoded on first use. */
  utf8?: Uint8Array;
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

/** The name an xDS resource is known by: `cluster_name` for a ClusterLoadAssignment, else `name`. */
export function resourceName(obj: Json): string {
  const v = obj['@type'] === CLUSTER_LOAD_ASSIGNMENT_TYPE_URL ? obj.cluster_name : obj.name;
  return typeof v === 'string' ? v : '';
}

/** sha256 of a resource's JSON text: one-shot `crypto.hash` where Node has it (20.12+), cheaper per call than a Hash object. */
export const contentKey: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'base64')
  : (text) => crypto.createHash('sha256').update(text).digest('base64');

const jsonViolation = (e: unknown): Violation[] => {
  if (e instanceof EnvoyJsonError) return [{ path: e.path, rule: e.rule, message: e.detail, severity: 'error' }];
  throw e;
};

export class Encoder {
  private readonly cache = new WeakMap<object, Promise<EncodedResource>>();
  /**
   * By content: many nodes get resources equal to other nodes' (stats
   * listener, admin and local clusters, inbound routes of one identity), built
   * as separate objects. Keyed by a digest of the JSON text (objects are built
   * with a fixed key order, so equal content gives equal text). Least recently
   * used first out once the entries' text exceeds `budget` characters, so
   * memory stays bounded on big meshes (an evicted resource is just encoded
   * again if it comes back: same bytes).
   */
  private readonly byContent = new Map<string, { entry: Promise<EncodedResource>; size: number }>();
  private cached = 0;
  readonly api: EnvoyApi;
  constructor(readonly validator: EnvoyValidator, private readonly backend: EncodeBackend, private readonly budget = 8 * 1024 * 1024) {
    this.api = validator.api;
  }

  /** Reads, validates and encodes one `{"@type": …}` object (once per object and per content). */
  resource(obj: Json): Promise<EncodedResource> {
    const hit = this.cache.get(obj);
    if (hit) return hit;
    const text = JSON.stringify(obj);
    const key = contentKey(text);
    const same = this.byContent.get(key);
    if (same) {
      this.byContent.delete(key);
      this.byContent.set(key, same);
      this.cache.set(obj, same.entry);
      return same.entry;
    }
    const typeUrl = String(obj['@type']);
    const name = resourceName(obj);
    const { '@type': _t, ...body } = obj;
    const out = this.backend.submit(typeUrl, body, text).then(({ bytes, violations }): EncodedResource => ({
      typeUrl, name, bytes, json: obj as JsonObject, hash: bytes.length > 0 ? shortHash(bytes) : '', violations, text,
    }));
    this.cache.set(obj, out);
    this.byContent.set(key, { entry: out, size: text.length });
    this.cached += text.length;
    for (const [k, v] of this.byContent) {
      if (this.cached <= this.budget) break;
      this.byContent.delete(k);
      this.cached -= v.size;
    }
    return out;
  }

  /** A message that is not a resource (the bootstrap), in this thread: canonical JSON and violations. */
  message(typeUrl: string, body: Json): { json: JsonObject | null; violations: Violation[] } {
    try {
      const message = this.api.fromJson(typeUrl, body);
      const json = this.api.decode(typeUrl, this.api.type(typeUrl).encode(message).finish());
      return { json, violations: this.validator.validateMessage(typeUrl, message) };
    } catch (e) {
      return { json: null, violations: jsonViolation(e) };
    }
  }

  /** Starts every resource of a node; resolves once they are all encoded. */
  node(resources: NodeResources): Promise<EncodedNode> {
    const parts = TYPE_FILES.map(({ typeUrl, stem }) => ({ typeUrl, stem, list: resources[stem].map((r) => this.resource(r)) }));
    this.backend.flush();
    return Promise.all(parts.map(async ({ typeUrl, stem, list }): Promise<EncodedType> => {
      const done = await Promise.all(list);
      done.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { typeUrl, stem, version: typeVersion(done), resources: done };
    })).then((types) => ({ types, version: shortHash(types.map((t) => `${t.typeUrl} ${t.version}\n`).join('')) }));
  }
}


/**
 * A type file: `{"version_info": …, "resources": [...]}` with one resource per
 * line (compact: the files are large, and `jq .` pretty-prints them), as UTF-8
 * bytes. Each resource's line is encoded once and shared by every node that
 * has it; the file is their concatenation (no per-node string to build and
 * encode again, and bytes can be handed to the writer thread without a copy).
 */
export function typeJsonFile(t: EncodedType): Uint8Array {
  const head = `{"version_info":${JSON.stringify(t.version)},"resources":[`;
  if (t.resources.length === 0) return Buffer.from(`${head}]}\n`);
  const parts: Uint8Array[] = [Buffer.from(`${head}\n`)];
  t.resources.forEach((r, i) => {
    if (i > 0) parts.push(RESOURCE_SEPARATOR);
    parts.push(r.utf8 ??= Buffer.from(r.text));
  });
  parts.push(RESOURCES_END);
  return Buffer.concat(parts);
}

const RESOURCE_SEPARATOR = Buffer.from(',\n');
const RESOURCES_END = Buffer.from('\n]}\n');

/** A node's `xds.pb` (layout.ts): every type's resources, length-delimited, in the node's type order (TYPE_FILES). */
export function nodeBinaryFile(types: readonly EncodedType[]): Uint8Array {
  return encodeDelimited(types.flatMap((t) => t.resources.map((r) => r.bytes)));
}
