/**
 * Every name meshc gives an Envoy object, in one place. The scheme follows
 * Open Service Mesh where it has one (osm-translation.md section 4) so OSM's
 * verifier logic and config dumps stay usable as oracles:
 *
 *   node id          <namespace>/<kind-lowercase>/<workload>       bookstore/deployment/bookstore-v1
 *   node dir         <namespace>_<kind-lowercase>_<workload>       (over 255 bytes: its first 238, `_`, 16 hex digits of its sha256)
 *   upstream cluster <namespace>/<service>|<port>                  bookstore/bookstore-v1|14001
 *     of some pods   <namespace>/<service>|<port>|<sa>,<sa>…        shop/api|8080|api (the identities it holds)
 *   local cluster    local|<targetPort>
 *   route configs    rds-inbound.<targetPort>, rds-outbound.<port>
 *   gRPC listener    <service>.<namespace>.svc.<clusterDomain>:<port>
 *   SPIFFE id        spiffe://<trustDomain>/ns/<namespace>/sa/<serviceaccount>
 *
 * `/` and `|` never occur in Kubernetes names, so the structural names above
 * cannot collide for valid input. Names that are squeezed into a smaller
 * alphabet (stat prefixes, directory names, DNS names) can; `NameRegistry`
 * detects that instead of silently merging two objects.
 */
import { createHash } from 'node:crypto';
import type { WorkloadKind } from '../../model/types.ts';

/** The longest file name common file systems allow (bytes). */
const MAX_DIR_NAME = 255;

export const LISTENER_INBOUND = 'inbound-listener';
export const LISTENER_OUTBOUND = 'outbound-listener';
export const LISTENER_STATS = 'stats-listener';
export const CLUSTER_ADMIN = 'envoy-admin';
export const CLUSTER_XDS = 'meshc-xds';

export function nodeId(namespace: string, kind: WorkloadKind, name: string): string {
  return `${namespace}/${kind.toLowerCase()}/${name}`;
}

/**
 * A node's directory under nodes/. Kubernetes allows a 63-character namespace and a 253-character workload name, more
 * than a file name can hold: a longer one keeps its first 238 bytes (both `_` separators among them) and ends in `_`
 * and 16 hex digits of the sha256 of the whole, so it stays unique, and a third `_` tells it from every unshortened
 * one. manifest.json lists each node's files, which is how meshc serve finds them.
 */
export function nodeDir(namespace: string, kind: WorkloadKind, name: string): string {
  const full = `${namespace}_${kind.toLowerCase()}_${name}`;
  if (full.length <= MAX_DIR_NAME) return full; // Kubernetes names are ASCII: characters are bytes
  const digest = createHash('sha256').update(full).digest('hex').slice(0, 16);
  return `${full.slice(0, MAX_DIR_NAME - 17)}_${digest}`;
}

/** `namespace/name` → [namespace, name]. */
export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/**
 * A Service port's cluster; `identities` (of the Service's namespace, as its pods are) names the cluster of only
 * the pods running as them, for callers the other pods refuse. Sorted, so every caller admitted alike shares it.
 */
export function upstreamClusterName(serviceKey: string, port: number, identities?: string[]): string {
  if (!identities) return `${serviceKey}|${port}`;
  return `${serviceKey}|${port}|${identities.map((id) => splitKey(id)[1]).sort().join(',')}`;
}

export function localClusterName(targetPort: number): string {
  return `local|${targetPort}`;
}

export function inboundRouteName(targetPort: number): string {
  return `rds-inbound.${targetPort}`;
}

export function outboundRouteName(port: number): string {
  return `rds-outbound.${port}`;
}

export function spiffeId(trustDomain: string, identityKey: string): string {
  const [ns, sa] = splitKey(identityKey);
  return `spiffe://${trustDomain}/ns/${ns}/sa/${sa}`;
}

/** `<service>.<namespace>.svc.<clusterDomain>`. */
export function serviceFqdn(serviceKey: string, clusterDomain: string): string {
  const [ns, name] = splitKey(serviceKey);
  return `${name}.${ns}.svc.${clusterDomain}`;
}

export function grpcListenerName(serviceKey: string, port: number, clusterDomain: string): string {
  return `${serviceFqdn(serviceKey, clusterDomain)}:${port}`;
}

/**
 * Host names a client may use for a Service (OSM `GetHostnamesForService`):
 * `svc.ns`, `svc.ns.svc`, `svc.ns.svc.<each prefix of the cluster domain>`,
 * the ClusterIP when known, and the short `svc` only for clients in the same
 * namespace; each with and without `:port`. Sorted.
 */
export function serviceHostnames(serviceKey: string, port: number, clusterDomain: string, clientNamespace: string, clusterIP?: string): string[] {
  const [ns, name] = splitKey(serviceKey);
  const hosts = [`${name}.${ns}`, `${name}.${ns}.svc`];
  const labels = clusterDomain.split('.').filter((l) => l !== '');
  for (let i = 1; i <= labels.length; i++) hosts.push(`${name}.${ns}.svc.${labels.slice(0, i).join('.')}`);
  if (ns === clientNamespace) hosts.push(name);
  if (clusterIP && clusterIP !== 'None') hosts.push(clusterIP);
  const out = new Set<string>();
  for (const h of hosts) {
    out.add(h.toLowerCase());
    out.add(`${h.toLowerCase()}:${port}`);
  }
  return [...out].sort();
}

/** Stat names use `.` as a separator; keep each name one token. */
export function statToken(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Remembers which object each generated name stands for and reports when two
 * different objects are given the same name (after mangling). Scoped: one
 * registry per (node, name space), e.g. the virtual-host domains of one
 * RouteConfiguration.
 */
export class NameRegistry {
  private readonly owners = new Map<string, string>();

  /** Returns the owner already holding `name` when it is not `owner`, else undefined (and records it). */
  claim(name: string, owner: string): string | undefined {
    const prev = this.owners.get(name);
    if (prev === undefined) {
      this.owners.set(name, owner);
      return undefined;
    }
    return prev === owner ? undefined : prev;
  }
}
