/**
 * The compiled output directory (docs/architecture.md, "Compiled output"):
 *
 *   DIR/manifest.json
 *   DIR/nodes/<node-dir>/bootstrap.yaml          (bootstrap.json for --target grpc)
 *   DIR/nodes/<node-dir>/xds.pb                  (every resource of the node, TYPE_FILES order)
 *   DIR/nodes/<node-dir>/{listeners,routes,clusters,endpoints,secrets}.json   (review copies: --review-json only)
 *
 * Versions are content hashes (hash.ts), so an unchanged node keeps its
 * version across compiles. No dependencies but the type URLs: the loader
 * imports this on the path of `meshc check`.
 */
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, SECRET_TYPE_URL,
} from '../envoy/protos/type-urls.ts';

/**
 * This module owns the layout: the writer (src/snapshot), the server's reader
 * (src/server/snapshot.ts, watch.ts) and the loader's skipping of compile
 * outputs (src/load/inputs.ts) all take the names from here.
 */
export const MANIFEST = 'manifest.json';
export const NODES_DIR = 'nodes';

/** `nodes/<node-dir>`: a node's directory relative to the output directory. */
export function nodePath(nodeDir: string): string {
  return `${NODES_DIR}/${nodeDir}`;
}

/** The node directory of a node id (`ns/kind/name` → `ns_kind_name`, names.ts), for a manifest entry without `files`. */
export function nodeDirOfId(id: string): string {
  return id.split('/').join('_');
}

/** A type's file names in a node directory (`<stem>.json`, `<stem>.pb`). */
export function typeFileNames(stem: string): { json: string; binary: string } {
  return { json: `${stem}.json`, binary: `${stem}.pb` };
}

/**
 * A node's resources, every type's back to back in the order of TYPE_FILES (each type's sorted by name), as
 * length-delimited Any messages: one file per node instead of one per type (fewer files to create, and for
 * `meshc serve` to read). The manifest `files` key naming it is NODE_BINARY_KEY.
 */
export const NODE_BINARY = 'xds.pb';
export const NODE_BINARY_KEY = 'xds';

/**
 * The manifest `files` key of a type's own binary file (`<stem>` names its JSON review copy): outputs compiled before
 * NODE_BINARY had one .pb file per type; `meshc serve` still reads them.
 */
export function binaryFileKey(stem: string): string {
  return `${stem}Binary`;
}

/** Type URL → file stem, in the order of the manifest's `resources` (LDS, RDS, CDS, EDS as in the contract). */
export const TYPE_FILES: readonly { typeUrl: string; stem: 'listeners' | 'routes' | 'clusters' | 'endpoints' | 'secrets' }[] = [
  { typeUrl: LISTENER_TYPE_URL, stem: 'listeners' },
  { typeUrl: ROUTE_CONFIGURATION_TYPE_URL, stem: 'routes' },
  { typeUrl: CLUSTER_TYPE_URL, stem: 'clusters' },
  { typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, stem: 'endpoints' },
  { typeUrl: SECRET_TYPE_URL, stem: 'secrets' },
];

/** The workload's strategic-merge patch pointing its kubelet probes at the sidecar's probe listeners (Envoy target). */
export const PROBE_PATCH = 'probe-patch.yaml';

export interface ManifestResource {
  name: string;
  hash: string;
}

export interface ManifestNode {
  id: string;
  target: 'envoy' | 'grpc';
  workload: { kind: string; namespace: string; name: string };
  /** `namespace/serviceaccount`. */
  serviceAccount: string;
  version: string;
  files: Record<string, string>;
  resources: Record<string, ManifestResource[]>;
  /**
   * Command-line arguments the sidecar must be started with: settings Envoy takes only as flags
   * (the OSM MeshConfig's sidecar.logLevel → `--log-level`). Absent when there are none.
   */
  envoyArgs?: string[];
}

export interface Manifest {
  meshc: string;
  target: 'envoy' | 'grpc';
  nodes: ManifestNode[];
}

export function meshcVersion(): string {
  return process.env.MESHC_VERSION ?? '0.1.0';
}

/** Stable JSON text: two-space indent, trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
