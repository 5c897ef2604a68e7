/**
 * Certificates through SDS (docs/guide-compile.md, "Certificates and rotation").
 *
 * Listeners and clusters never name certificate files inline: Envoy reads an
 * inline file once, when the listener or cluster is created, so a rotated
 * certificate would need a restart. Each TLS context references two Secrets
 * by name instead:
 *
 * - `service-cert`: the pod's certificate chain and key (`TlsCertificate`),
 * - `root-cert`: the mesh's trust anchors (`CertificateValidationContext`).
 *
 * Both Secrets name the files the certificate issuer writes into the pod,
 * with `watched_directory` set to their directory: Envoy re-reads them when
 * the directory changes (Kubernetes Secret volumes, cert-manager's CSI driver
 * and spiffe-helper swap the files atomically), without a restart.
 *
 * Where the Secrets come from (`SdsSource`): with `--bootstrap ads` from
 * `meshc serve` over ADS (the node's `secrets` type); with `--bootstrap static`
 * from files next to the bootstrap (file-based SDS, `path_config_source` with
 * `watched_directory`). The ADS bootstrap's own connection to `meshc serve`
 * always uses the files: it cannot get its certificate over the channel it
 * is about to open.
 */
import { posix } from 'node:path';
import { SECRET_TYPE_URL } from '../protos/type-urls.ts';
import type { TlsFiles } from './ir.ts';
import type { Json } from './shapes.ts';

export const SECRET_SERVICE_CERT = 'service-cert';
export const SECRET_ROOT_CERT = 'root-cert';

/** Where Envoy gets the Secrets: over ADS, or from SDS files in `dir` (the pod path of the node's directory). */
export type SdsSource = { kind: 'ads' } | { kind: 'files'; dir: string };

/** The file name of a Secret's file-based SDS document in the node's directory. */
export function sdsFileName(secret: string): string {
  return `sds-${secret}.yaml`;
}

function sdsConfig(source: SdsSource, secret: string): Json {
  if (source.kind === 'ads') return { ads: {}, resource_api_version: 'V3' };
  return {
    // The directory is watched, not the file: Kubernetes replaces a ConfigMap's files by swapping a symlink.
    path_config_source: { path: posix.join(source.dir, sdsFileName(secret)), watched_directory: { path: source.dir } },
    resource_api_version: 'V3',
  };
}

/** An `SdsSecretConfig`: a reference to a Secret by name and source. */
export function secretRef(source: SdsSource, secret: string): Json {
  return { name: secret, sds_config: sdsConfig(source, secret) };
}

/** The two Secret resources of an Envoy proxy (sorted by name), naming the files the issuer writes. */
export function secretResources(tls: TlsFiles): Json[] {
  return [
    {
      '@type': SECRET_TYPE_URL, name: SECRET_ROOT_CERT,
      validation_context: { trusted_ca: { filename: tls.caCert }, watched_directory: { path: posix.dirname(tls.caCert) } },
    },
    {
      '@type': SECRET_TYPE_URL, name: SECRET_SERVICE_CERT,
      tls_certificate: {
        certificate_chain: { filename: tls.certChain },
        private_key: { filename: tls.privateKey },
        watched_directory: { path: posix.dirname(tls.certChain) },
      },
    },
  ];
}

/**
 * The common TLS context of every mesh connection: the pod's certificate and
 * the mesh CA, both through SDS; `peerIds` (client side) pins the SPIFFE ids
 * the peer certificate must carry, kept inline beside the SDS trust anchors.
 */
export function sdsTlsContext(source: SdsSource, peerIds: string[] | null): Json {
  const context: Json = { tls_certificate_sds_secret_configs: [secretRef(source, SECRET_SERVICE_CERT)] };
  const trust = secretRef(source, SECRET_ROOT_CERT);
  if (peerIds && peerIds.length > 0) {
    context.combined_validation_context = {
      default_validation_context: { match_typed_subject_alt_names: peerIds.map((id) => ({ san_type: 'URI', matcher: { exact: id } })) },
      validation_context_sds_secret_config: trust,
    };
  } else {
    context.validation_context_sds_secret_config = trust;
  }
  return context;
}

/** A file-based SDS document: a DiscoveryResponse holding one Secret (what `path_config_source` reads). */
export function sdsFileDocument(secret: Json): Json {
  return { resources: [secret] };
}
