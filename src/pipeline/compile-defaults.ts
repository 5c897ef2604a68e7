/** Defaults of `meshc compile` the CLI shows in its help without loading the compile pipeline. */
import type { XdsAddress } from '../envoy/translate/bootstrap.ts';

export type { CompileSummary } from '../snapshot/emit.ts';

export const DEFAULT_XDS: XdsAddress = { host: '127.0.0.1', port: 18000 };
/** Where a pod mounts its node's directory of the output (bootstrap.yaml, sds-*.yaml). */
export const DEFAULT_BOOTSTRAP_DIR = '/etc/meshc/bootstrap';
/** `namespace/serviceaccount` of `meshc serve`: the identity an ADS bootstrap expects of the control plane. */
export const DEFAULT_XDS_SERVER_IDENTITY = 'meshc-system/meshc';
