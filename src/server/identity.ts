/**
 * mTLS authorisation: a client may fetch only the snapshot of a node whose
 * service account its certificate names as a SPIFFE id
 * (spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>).
 */
import type { PeerCertificate } from 'node:tls';
import type { NodeSnapshot } from './snapshot.ts';
import type { Authorizer, PeerCall } from './stream.ts';

export interface SpiffeId {
  uri: string;
  trustDomain: string;
  namespace: string;
  serviceAccount: string;
}

const SPIFFE_WORKLOAD = /^spiffe:\/\/([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/;

export function parseSpiffeId(uri: string): SpiffeId | null {
  const m = SPIFFE_WORKLOAD.exec(uri);
  if (!m) return null;
  return { uri, trustDomain: m[1]!.toLowerCase(), namespace: m[2]!, serviceAccount: m[3]! };
}

/** URI SANs of a peer certificate (Node renders them as `URI:...` entries, quoting ones with special characters). */
export function uriSans(cert: PeerCertificate | undefined): string[] {
  const text = cert?.subjectaltname;
  if (!text) return [];
  const out: string[] = [];
  const re = /URI:("(?:[^"\\]|\\.)*"|[^,]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[1]!.trim();
    out.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
  }
  return out;
}

export function peerSpiffeIds(call: PeerCall): SpiffeId[] {
  const cert = call.getAuthContext()?.sslPeerCertificate;
  return uriSans(cert).map(parseSpiffeId).filter((id): id is SpiffeId => id !== null);
}

export function identityAllows(ids: readonly SpiffeId[], node: NodeSnapshot, trustDomain: string | null): boolean {
  if (!node.serviceAccount) return false;
  return ids.some((id) => (!trustDomain || id.trustDomain === trustDomain) && `${id.namespace}/${id.serviceAccount}` === node.serviceAccount);
}

export function spiffeAuthorizer(trustDomain: string | null): Authorizer {
  const td = trustDomain?.toLowerCase() ?? null;
  return (call, node) => {
    const ids = peerSpiffeIds(call);
    if (ids.length === 0) return 'the client certificate carries no SPIFFE id (URI SAN spiffe://<trust-domain>/ns/<ns>/sa/<sa>)';
    if (identityAllows(ids, node, td)) return null;
    const who = ids.map((i) => i.uri).join(', ');
    if (!node.serviceAccount) return `node '${node.id}' has no service account in manifest.json; ${who} may not read it`;
    return `${who} may not read node '${node.id}' (service account ${node.serviceAccount}${td ? `, trust domain ${td}` : ''})`;
  };
}
