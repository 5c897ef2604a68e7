/**
 * The server's TLS material: checked before it is used, and — when it comes from files — re-read when the files
 * change, so a certificate that cert-manager (or any issuer writing a Secret volume) rotates is served without a
 * restart. A new set is only taken when it is whole and consistent (certificate and key match, the CA parses);
 * otherwise the last good set stays and the failure is logged, so a half-written rotation never takes the server
 * down or drops its clients.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readPemFile } from './pem-file.ts';
import { createSecureContext } from 'node:tls';
import { experimental, ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from './log.ts';
import { ServeError } from './serve-error.ts';

/** PEM files the material was read from; with them the server re-reads the files every `reloadIntervalMs`. */
export interface TlsFiles {
  cert: string;
  key: string;
  clientCa?: string;
}

export interface TlsOptions {
  cert: Buffer;
  key: Buffer;
  /** Require client certificates signed by this CA, and bind each client to the node its SPIFFE id names. */
  clientCa?: Buffer;
  /** With clientCa: accept SPIFFE ids of this trust domain only. */
  trustDomain?: string;
  files?: TlsFiles;
  /** How often the files are checked for a new certificate (default 30 s). */
  reloadIntervalMs?: number;
}

export const DEFAULT_TLS_RELOAD_MS = 30_000;

type Material = Pick<TlsOptions, 'cert' | 'key' | 'clientCa'>;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** How messages name the files ("TLS certificate server.pem"), or the parts alone when they came from no file. */
const named = (what: string, file: string | undefined) => (file ? `${what} ${file}` : what);

/** Why a PEM file holds no usable certificate (none at all, or one that does not parse), or null; `what` names it. */
function certificatesProblem(pem: Buffer, what: string): string | null {
  // (Node accepts a file without any certificate as a CA; mTLS would then refuse every client.)
  const blocks = pem.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return `${what}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`;
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (err) {
      return `${what}: certificate ${i + 1}: ${(err as Error).message}`;
    }
  }
  return null;
}

/** Why the certificate chain or the key cannot be served on their own (OpenSSL's wording only as the detail), or null. */
function certificateOrKeyProblem(m: Material, files?: TlsFiles): string | null {
  const chain = certificatesProblem(m.cert, named('TLS certificate', files?.cert));
  if (chain) return chain;
  try {
    createPrivateKey(m.key);
  } catch (err) {
    return `${named('TLS key', files?.key)}: no usable PEM private key in it (${(err as Error).message})`;
  }
  return null;
}

/** Why the material cannot be served, or null; `files` name where it was read from. */
export function tlsProblem(m: Material, files?: TlsFiles): string | null {
  const alone = certificateOrKeyProblem(m, files);
  if (alone) return alone;
  try {
    createSecureContext({ cert: m.cert, key: m.key });
  } catch (err) {
    const message = (err as Error).message;
    if (/key values mismatch/.test(message)) return `TLS certificate/key: the private key does not belong to the certificate (${message})`;
    return `TLS certificate/key: ${message}`;
  }
  return m.clientCa ? certificatesProblem(m.clientCa, named('TLS client CA', files?.clientCa)) : null;
}

/**
 * Insecure, TLS or mTLS credentials, and a stop function for the file watch. grpc-js parses the PEMs only when the
 * first connection arrives: they are checked here, so a bad file is a start-up error.
 */
export function serverCredentials(tls: TlsOptions | undefined, log: Logger): { creds: ServerCredentials; stop(): void } {
  if (!tls) return { creds: ServerCredentials.createInsecure(), stop() {} };
  const problem = tlsProblem(tls, tls.files);
  if (problem) throw new ServeError(problem);
  if (!tls.files) {
    try {
      return { creds: ServerCredentials.createSsl(tls.clientCa ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], !!tls.clientCa), stop() {} };
    } catch (err) {
      throw new ServeError(`TLS: ${(err as Error).message}`);
    }
  }
  const source = new ReloadingTls(tls, tls.files, tls.reloadIntervalMs ?? DEFAULT_TLS_RELOAD_MS, log);
  const creds = experimental.createCertificateProviderServerCredentials(source, tls.clientCa ? source : null, !!tls.clientCa);
  return { creds, stop: () => source.stop() };
}

const digest = (m: Material) => createHash('sha256').update(m.cert).update('\0').update(m.key).update('\0').update(m.clientCa ?? '').digest('hex');

/** A grpc-js certificate provider (identity and CA) over files, polled; it only publishes complete, consistent sets. */
class ReloadingTls implements experimental.CertificateProvider {
  private current: Material;
  private currentDigest: string;
  private lastFailure: string | null = null;
  private readonly identityListeners = new Set<experimental.IdentityCertificateUpdateListener>();
  private readonly caListeners = new Set<experimental.CaCertificateUpdateListener>();
  private readonly timer: NodeJS.Timeout;

  constructor(initial: Material, private readonly files: TlsFiles, intervalMs: number, private readonly log: Logger) {
    this.current = initial;
    this.currentDigest = digest(initial);
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the files; publishes them when they changed and are servable. Public for tests of the provider. */
  check(): void {
    let next: Material;
    try {
      next = {
        cert: readPemFile(this.files.cert),
        key: readPemFile(this.files.key),
        ...(this.files.clientCa ? { clientCa: readPemFile(this.files.clientCa) } : {}),
      };
    } catch (err) {
      return this.failed(`cannot read: ${(err as Error).message}`);
    }
    const d = digest(next);
    if (d === this.currentDigest) {
      this.lastFailure = null;
      return;
    }
    const problem = tlsProblem(next, this.files);
    if (problem) return this.failed(problem);
    this.current = next;
    this.currentDigest = d;
    this.lastFailure = null;
    const cert = new X509Certificate(next.cert);
    this.log.log('info', 'tls-reloaded', 'new TLS certificate files are served to new connections', {
      serial: cert.serialNumber, not_after: cert.validTo, client_ca: next.clientCa ? 'reloaded' : 'off',
    });
    for (const l of this.identityListeners) l({ certificate: next.cert, privateKey: next.key });
    if (next.clientCa) for (const l of this.caListeners) l({ caCertificate: next.clientCa });
  }

  /** Logged once per distinct failure, not every poll: a rotation in progress usually fixes itself on the next one. */
  private failed(reason: string): void {
    if (reason === this.lastFailure) return;
    this.lastFailure = reason;
    this.log.log('warn', 'tls-reload-failed', `the TLS files changed but cannot be served; still serving the previous certificate: ${reason}`, {
      cert: this.files.cert, key: this.files.key, client_ca: this.files.clientCa,
    });
  }

  addIdentityCertificateListener(l: experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.add(l);
    // Delivered after the call: grpc-js registers its secure-context watcher only after adding this listener.
    queueMicrotask(() => this.identityListeners.has(l) && l({ certificate: this.current.cert, privateKey: this.current.key }));
  }

  removeIdentityCertificateListener(l: experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.delete(l);
  }

  addCaCertificateListener(l: experimental.CaCertificateUpdateListener): void {
    this.caListeners.add(l);
    queueMicrotask(() => this.caListeners.has(l) && this.current.clientCa && l({ caCertificate: this.current.clientCa }));
  }

  removeCaCertificateListener(l: experimental.CaCertificateUpdateListener): void {
    this.caListeners.delete(l);
  }
}
