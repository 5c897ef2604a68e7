import type { Severity } from '../core/types.ts';
import type { ClusterKey } from './cluster-values.ts';

/**
 * Settings shared by every command. Read from `.meshc.yaml` (or --config)
 * and overridden by command-line flags.
 */
export interface MeshcConfig {
  /** Namespace for objects without metadata.namespace. */
  namespace: string;
  /** OSM-style permissive mode: every identity may reach every service. */
  permissive: boolean;
  /** Accept draft SMI APIs (access v1alpha4, IdentityBinding) without a warning. */
  draft: boolean;
  /** Objects that live outside the given files: 'Kind/namespace/name' (globs allowed). */
  assumeExternal: string[];
  /** Suppressions: 'CODE' or 'CODE=Kind namespace/name' (globs allowed). */
  suppress: string[];
  /** Ignore meshc.dev/ignore annotations on resources. */
  noInlineSuppress: boolean;
  failLevel: Severity;
  /** Rule ids to skip. */
  disableRules: string[];
  /** SPIFFE trust domain for compiled identities. */
  trustDomain: string;
  /** Kubernetes cluster DNS domain. */
  clusterDomain: string;
  maxFileSize: number;
  /** --mesh-config: a file holding the mesh's OSM MeshConfig, read besides the paths ('' for none). */
  meshConfig: string;
  /**
   * `compile:` of .meshc.yaml, by flag name: cluster defaults (checked values, e.g. 'connect-timeout': '2s') and
   * `review-json` (write the .json review copies); flags win.
   */
  compile: CompileSection;
}

export type CompileSection = Partial<Record<ClusterKey, string>> & { 'review-json'?: boolean };

export function defaultConfig(): MeshcConfig {
  return {
    namespace: 'default', permissive: false, draft: false, assumeExternal: [], suppress: [],
    noInlineSuppress: false, failLevel: 'error', disableRules: [], trustDomain: 'cluster.local',
    clusterDomain: 'cluster.local', maxFileSize: 16 * 1024 * 1024, meshConfig: '', compile: {},
  };
}
