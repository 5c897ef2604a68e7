/**
 * Reads and validates a compiled output directory (docs/architecture.md,
 * "Compiled output") into an immutable in-memory snapshot. Every resource's
 * bytes are checked against the sha256 prefix the manifest records, so a
 * half-written or corrupt output is rejected as a whole, never served in part.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { readRegularFile } from '../core/regular-file.ts';
import { resolve, sep } from 'node:path';
import { shortHash, typeVersion } from '../snapshot/hash.ts';
import { binaryFileKey, MANIFEST, NODE_BINARY_KEY, nodeDirOfId, nodePath, typeFileNames } from '../snapshot/layout.ts';
import { SERVED_TYPES } from './resource-types.ts';
import { WireError, WireReader, WIRE, splitDelimited } from './wire.ts';

export interface ServedResource {
  name: string;
  /** sha256 hex prefix of the Any bytes (the per-resource version). */
  hash: string;
  /** The encoded google.protobuf.Any, exactly as compile wrote it. */
  any: Buffer;
}

export interface TypeSnapshot {
  typeUrl: string;
  /** The type's content hash (equal to `version_info` of `<kind>.json`). */
  version: string;
  /** Sorted by name, as in the manifest. */
  list: readonly ServedResource[];
  byName: ReadonlyMap<string, ServedResource>;
}

export interface NodeSnapshot {
  id: string;
  target: string;
  /** `<namespace>/<name>` of the workload's service account, if the manifest names one. */
  serviceAccount: string | null;
  version: string;
  types: ReadonlyMap<string, TypeSnapshot>;
}

export interface Snapshot {
  dir: string;
  nodes: ReadonlyMap<string, NodeSnapshot>;
  /** Node ids, sorted. */
  ids: readonly string[];
  /** Hash over every node id and version: equal fingerprints serve identical content. */
  fingerprint: string;
}

export class SnapshotError extends Error {}

const MAX_PARALLEL_NODES = 16;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// A type's version is computed from the manifest (typeVersion), so the server never parses the JSON files.
export { typeVersion };

/**
 * The most a snapshot file may hold. A node's xds.pb of the 5,000-service
 * benchmark mesh is a few MB; the cap keeps a link to /dev/zero or a
 * runaway file from taking the server's memory.
 */
export const MAX_SNAPSHOT_FILE = 512 * 1024 * 1024;

async function readOrFail(path: string, label: string): Promise<Buffer> {
  try {
    // Regular files only: a named pipe would block the load (and every reload after it), a device never end.
    return await readRegularFile(path, MAX_SNAPSHOT_FILE);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SnapshotError(code === 'ENOENT' ? `${label}: missing` : `${label}: ${(err as Error).message}`);
  }
}

/** A path from the manifest, resolved inside the output directory (never outside it). */
function inside(dir: string, rel: unknown, label: string): string {
  if (typeof rel !== 'string' || rel === '') throw new SnapshotError(`${label}: file path must be a non-empty string`);
  const abs = resolve(dir, rel);
  if (!abs.startsWith(dir + sep)) throw new SnapshotError(`${label}: file path '${rel}' leaves the output directory`);
  return abs;
}

function anyTypeUrl(any: Uint8Array): string {
  const r = new WireReader(any);
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE.LEN) return r.string();
    r.skip(wire);
  }
  return '';
}

/** The manifest's resource entries of one type (none when it lists none). */
function declaredEntries(node: Record<string, unknown>, typeUrl: string, label: string): unknown[] | undefined {
  const declared = isObject(node.resources) ? node.resources[typeUrl] : undefined;
  if (declared !== undefined && !Array.isArray(declared)) throw new SnapshotError(`${label}: resources of ${typeUrl} must be a list`);
  return declared as unknown[] | undefined;
}

function splitAnys(bin: Buffer, binRel: string): Uint8Array[] {
  try {
    return splitDelimited(bin);
  } catch (err) {
    throw new SnapshotError(`${binRel}: not a sequence of length-delimited Any messages (${(err as WireError).message})`);
  }
}

/** One type's resources: the Anys read for it, checked one by one against the manifest's entries (type, name, hash). */
function typeSnapshot(typeUrl: string, anys: Uint8Array[], entries: unknown[], binRel: string, label: string): TypeSnapshot {
  const list: ServedResource[] = [];
  const byName = new Map<string, ServedResource>();
  entries.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.hash !== 'string') {
      throw new SnapshotError(`${label}: resource ${i} of ${typeUrl} needs "name" and "hash" strings`);
    }
    const any = anys[i]!;
    let actualType: string;
    try {
      actualType = anyTypeUrl(any);
    } catch (err) {
      throw new SnapshotError(`${binRel}: resource ${i} (${entry.name}) is not a valid Any (${(err as Error).message})`);
    }
    if (actualType !== typeUrl) throw new SnapshotError(`${binRel}: resource ${i} (${entry.name}) has type ${actualType || '(none)'}, expected ${typeUrl}`);
    const hash = shortHash(any);
    if (hash !== entry.hash) {
      throw new SnapshotError(`${binRel}: resource ${i} (${entry.name}) hashes to ${hash}, manifest says ${entry.hash} (output changed while being read, or corrupt)`);
    }
    if (byName.has(entry.name)) throw new SnapshotError(`${label}: duplicate ${typeUrl} resource '${entry.name}'`);
    const res: ServedResource = { name: entry.name, hash, any: Buffer.from(any.buffer, any.byteOffset, any.byteLength) };
    list.push(res);
    byName.set(entry.name, res);
  });
  return { typeUrl, version: typeVersion(list), list, byName };
}

/** A node's types from its one `xds.pb` (layout.ts): every type's resources back to back, in the manifest's type order. */
async function loadNodeFile(dir: string, rel: unknown, node: Record<string, unknown>, label: string): Promise<Map<string, TypeSnapshot>> {
  const path = inside(dir, rel, label);
  const binRel = rel as string;
  const anys = splitAnys(await readOrFail(path, binRel), binRel);
  const declared = SERVED_TYPES.map(({ typeUrl }) => ({ typeUrl, entries: declaredEntries(node, typeUrl, label) ?? [] }));
  const listed = declared.reduce((n, d) => n + d.entries.length, 0);
  if (anys.length !== listed) throw new SnapshotError(`${binRel}: ${anys.length} resources, manifest lists ${listed}`);
  const types = new Map<string, TypeSnapshot>();
  let at = 0;
  for (const { typeUrl, entries } of declared) {
    types.set(typeUrl, typeSnapshot(typeUrl, anys.slice(at, at + entries.length), entries, binRel, label));
    at += entries.length;
  }
  return types;
}

/** One type from its own `<kind>.pb`: the layout of outputs compiled before `xds.pb`. */
async function loadTypeFile(
  dir: string, nodeDir: string, node: Record<string, unknown>, typeUrl: string, kind: string, label: string,
): Promise<TypeSnapshot> {
  const files = isObject(node.files) ? node.files : {};
  const declared = declaredEntries(node, typeUrl, label);
  const entries = declared ?? [];
  // An output compiled before a type existed (Secrets came with SDS) lists neither its resources nor its files: none.
  if (declared === undefined && files[binaryFileKey(kind)] === undefined && kind === 'secrets') {
    return { typeUrl, version: typeVersion([]), list: [], byName: new Map() };
  }
  const binRel = files[binaryFileKey(kind)] ?? `${nodePath(nodeDir)}/${typeFileNames(kind).binary}`;
  const anys = splitAnys(await readOrFail(inside(dir, binRel, label), `${binRel}`), `${binRel}`);
  if (anys.length !== entries.length) throw new SnapshotError(`${binRel}: ${anys.length} resources, manifest lists ${entries.length}`);
  return typeSnapshot(typeUrl, anys, entries, `${binRel}`, label);
}

async function loadNode(dir: string, raw: unknown, index: number): Promise<NodeSnapshot> {
  if (!isObject(raw) || typeof raw.id !== 'string' || raw.id === '') throw new SnapshotError(`manifest.json: nodes[${index}] needs a non-empty "id"`);
  const id = raw.id;
  const label = `manifest.json: node ${id}`;
  if (typeof raw.version !== 'string') throw new SnapshotError(`${label}: "version" must be a string`);
  if (raw.serviceAccount !== undefined && raw.serviceAccount !== null && typeof raw.serviceAccount !== 'string') {
    throw new SnapshotError(`${label}: "serviceAccount" must be a string`);
  }
  const nodeDir = nodeDirOfId(id);
  const files = isObject(raw.files) ? raw.files : {};
  let types: Map<string, TypeSnapshot>;
  if (files[NODE_BINARY_KEY] !== undefined) types = await loadNodeFile(dir, files[NODE_BINARY_KEY], raw, label);
  else {
    types = new Map();
    for (const { typeUrl, kind } of SERVED_TYPES) types.set(typeUrl, await loadTypeFile(dir, nodeDir, raw, typeUrl, kind, label));
  }
  return {
    id,
    target: typeof raw.target === 'string' ? raw.target : 'envoy',
    serviceAccount: typeof raw.serviceAccount === 'string' && raw.serviceAccount !== '' ? raw.serviceAccount : null,
    version: raw.version,
    types,
  };
}

/** Loads DIR; throws SnapshotError with a one-line reason when the output is missing, partial or corrupt. */
export async function loadSnapshot(dirIn: string): Promise<Snapshot> {
  const dir = resolve(dirIn);
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) {
    throw new SnapshotError(info.code === 'ENOENT' ? 'no such directory (expected the output directory of meshc compile --out)' : info.message);
  }
  if (!info.isDirectory()) throw new SnapshotError('not a directory (expected the output directory of meshc compile --out)');
  const text = (await readOrFail(resolve(dir, MANIFEST), MANIFEST)).toString('utf8');
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new SnapshotError(`manifest.json: not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(manifest) || !Array.isArray(manifest.nodes)) throw new SnapshotError('manifest.json: expected an object with a "nodes" list');
  const rawNodes = manifest.nodes;
  const loaded: NodeSnapshot[] = new Array(rawNodes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rawNodes.length) {
      const i = next++;
      loaded[i] = await loadNode(dir, rawNodes[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_NODES, rawNodes.length) }, worker));

  const nodes = new Map<string, NodeSnapshot>();
  for (const node of loaded) {
    if (nodes.has(node.id)) throw new SnapshotError(`manifest.json: node id '${node.id}' appears twice`);
    nodes.set(node.id, node);
  }
  const ids = [...nodes.keys()].sort();
  const fp = createHash('sha256');
  for (const id of ids) {
    const n = nodes.get(id)!;
    fp.update(`${id}\0${n.serviceAccount ?? ''}\0`);
    for (const t of n.types.values()) fp.update(`${t.version}\0${t.list.map((r) => `${r.name}=${r.hash}`).join(',')}\0`);
  }
  return { dir, nodes, ids, fingerprint: fp.digest('hex').slice(0, 16) };
}
