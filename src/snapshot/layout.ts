/**
 * The compiled output directory (docs/architecture.md, "Compiled output"):
 *
 *   DIR/manifest.json
 *   DIR/nodes/<node-dir>/bootstrap.yaml          (bootstrap.json for --target grpc)
 *   DIR/nodes/<node-dir>/{listeners,routes,clusters,endpoints}.json
 *   DIR/nodes/<node-dir>/{listeners,routes,clusters,endpoints}.pb
 *
 * Versions are content hashes (sha256, hex, first 16 characters), so an
 * unchanged node keeps its version across compiles.
 */
import { createHash } from 'node:crypto';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL,
} from '../envoy/protos/type-urls.ts';

export const MANIFEST = 'manifest.json';
export const NODES_DIR = 'nodes';

/** Type URL → file stem, in the order of the manifest's `resources` (LDS, RDS, CDS, EDS as in the contract). */
export const TYPE_FILES: readonly { typeUrl: string; stem: 'listeners' | 'routes' | 'clusters' | 'endpoints' }[] = [
  { typeUrl: LISTENER_TYPE_URL, stem: 'listeners' },
  { typeUrl: ROUTE_CONFIGURATION_TYPE_URL, stem: 'routes' },
  { typeUrl: CLUSTER_TYPE_URL, stem: 'clusters' },
  { typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, stem: 'endpoints' },
];

export function shortHash(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

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
