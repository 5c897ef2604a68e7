/**
 * The mesh-wide settings OSM takes from its MeshConfig, with OSM's behaviour
 * for what the MeshConfig leaves out, and meshc's own defaults when the input
 * has no MeshConfig at all (docs/guide-osm.md, "Without a MeshConfig").
 *
 * OSM reads the MeshConfig object as stored: a boolean it leaves out is Go's
 * false (the Helm chart's defaults only seed the object it creates at install),
 * except the TLS versions, which the CRD defaults (TLSv1_2 to TLSv1_3).
 */
import type { MeshcConfig } from '../config/types.ts';
import type { MeshConfig, MeshConfigTracing, TlsVersion } from './osm-types.ts';
import type { Mesh } from './types.ts';

export type FeatureFlag = 'enableEgressPolicy' | 'enableIngressBackendPolicy' | 'enableRetryPolicy' | 'enableEnvoyActiveHealthChecks' | 'enableWASMStats';

export interface OsmSettings {
  /** The MeshConfig in force (the first one; MESH1110 reports others), if any. */
  meshConfig?: MeshConfig;
  permissive: boolean;
  /** What made the mode permissive: 'MeshConfig ns/name' or '--permissive'. */
  permissiveSource?: string;
  /** traffic.enableEgress: a passthrough default chain for every destination outside the mesh. */
  egressPassthrough: boolean;
  /** Which policy kinds OSM applies. */
  features: Record<FeatureFlag, boolean>;
  /** Envoy's --log-level for the sidecar, or undefined for Envoy's default. */
  sidecarLogLevel?: string;
  tls: { min?: TlsVersion; max?: TlsVersion; cipherSuites: string[]; ecdhCurves: string[] };
  tracing?: Required<Pick<MeshConfigTracing, 'address' | 'port' | 'endpoint'>>;
}

/** OSM's Helm defaults, used only when the input has no MeshConfig (every policy kind given applies). */
const NO_MESH_CONFIG_FEATURES: Record<FeatureFlag, boolean> = {
  enableEgressPolicy: true, enableIngressBackendPolicy: true, enableRetryPolicy: true, enableEnvoyActiveHealthChecks: false, enableWASMStats: false,
};

export function osmSettings(mesh: Pick<Mesh, 'meshConfigs'>, config: Pick<MeshcConfig, 'permissive'>): OsmSettings {
  const mc = mesh.meshConfigs[0];
  if (!mc) {
    return {
      permissive: config.permissive, permissiveSource: config.permissive ? '--permissive' : undefined,
      egressPassthrough: false, features: { ...NO_MESH_CONFIG_FEATURES }, tls: { cipherSuites: [], ecdhCurves: [] },
    };
  }
  const fromMeshConfig = mc.traffic.enablePermissiveTrafficPolicyMode === true;
  const flag = (name: FeatureFlag) => mc.featureFlags[name] === true;
  const settings: OsmSettings = {
    meshConfig: mc,
    permissive: fromMeshConfig || config.permissive,
    permissiveSource: fromMeshConfig ? `MeshConfig ${mc.meta.namespace}/${mc.meta.name}` : config.permissive ? '--permissive' : undefined,
    egressPassthrough: mc.traffic.enableEgress === true,
    features: {
      enableEgressPolicy: flag('enableEgressPolicy'), enableIngressBackendPolicy: flag('enableIngressBackendPolicy'),
      enableRetryPolicy: flag('enableRetryPolicy'), enableEnvoyActiveHealthChecks: flag('enableEnvoyActiveHealthChecks'), enableWASMStats: flag('enableWASMStats'),
    },
    tls: {
      min: mc.sidecar.tlsMinProtocolVersion ?? (mc.meta.apiVersion.endsWith('/v1alpha1') ? undefined : 'TLSv1_2'),
      max: mc.sidecar.tlsMaxProtocolVersion ?? (mc.meta.apiVersion.endsWith('/v1alpha1') ? undefined : 'TLSv1_3'),
      cipherSuites: mc.sidecar.cipherSuites ?? [], ecdhCurves: mc.sidecar.ecdhCurves ?? [],
    },
  };
  if (mc.sidecar.logLevel) settings.sidecarLogLevel = mc.sidecar.logLevel;
  const t = mc.tracing;
  if (t?.enable) {
    // OSM's chart computes the address jaeger.<osm-namespace>.svc.cluster.local when it is empty.
    settings.tracing = { address: t.address || `jaeger.${mc.meta.namespace}.svc.cluster.local`, port: t.port ?? 9411, endpoint: t.endpoint || '/api/v2/spans' };
  }
  return settings;
}
