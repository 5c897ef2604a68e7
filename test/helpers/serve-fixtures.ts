/**
 * Test helper for `meshc serve`: writes compiled output directories that follow
 * the contract in docs/architecture.md ("Compiled output"), with real Envoy
 * resources encoded by protobufjs from the protos shipped in
 * @grpc/grpc-js-xds, and decodes what the server sends back.
 */
import protobuf from 'protobufjs';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './cli.ts';

export const LISTENER = 'type.googleapis.com/envoy.config.listener.v3.Listener';
export const ROUTE = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
export const CLUSTER = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
export const ENDPOINT = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';
export const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const ROUTER = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
export const TYPES = [LISTENER, ROUTE, CLUSTER, ENDPOINT] as const;
const KIND: Record<string, string> = { [LISTENER]: 'listeners', [ROUTE]: 'routes', [CLUSTER]: 'clusters', [ENDPOINT]: 'endpoints' };

const DEPS = join(ROOT, 'node_modules/@grpc/grpc-js-xds/deps');
export const PROTO_INCLUDES = [
  ...['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(DEPS, d)),
  join(ROOT, 'node_modules/protobufjs'),
];

let root: protobuf.Root | null = null;

export function envoyRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => {
    for (const inc of PROTO_INCLUDES) {
      const p = join(inc, target);
      try {
        accessSync(p);
        return p;
      } catch { /* next include dir */ }
    }
    return target;
  };
  r.loadSync([
    'envoy/config/listener/v3/listener.proto',
    'envoy/config/route/v3/route.proto',
    'envoy/config/cluster/v3/cluster.proto',
    'envoy/config/endpoint/v3/endpoint.proto',
    'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
    'envoy/extensions/filters/http/router/v3/router.proto',
    'envoy/extensions/transport_sockets/tls/v3/secret.proto',
    'envoy/service/discovery/v3/ads.proto',
  ], { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

function typeOf(typeUrl: string): protobuf.Type {
  return envoyRoot().lookupType(typeUrl.slice(typeUrl.indexOf('/') + 1));
}

/** `{type_url, value}` for embedding an Any inside another message object. */
export function anyOf(typeUrl: string, obj: object): { type_url: string; value: Uint8Array } {
  const t = typeOf(typeUrl);
  return { type_url: typeUrl, value: t.encode(t.fromObject(obj)).finish() };
}

/** The encoded google.protobuf.Any bytes of a resource, as compile writes them into `.pb` files. */
export function encodeAny(typeUrl: string, obj: object): Buffer {
  const Any = envoyRoot().lookupType('google.protobuf.Any');
  return Buffer.from(Any.encode(Any.fromObject(anyOf(typeUrl, obj))).finish());
}

export function decodeAny(bytes: Uint8Array): { typeUrl: string; message: Record<string, any> } {
  const Any = envoyRoot().lookupType('google.protobuf.Any');
  const any = Any.decode(bytes) as unknown as { type_url: string; value: Uint8Array };
  const t = typeOf(any.type_url);
  return { typeUrl: any.type_url, message: t.toObject(t.decode(any.value), { enums: String, longs: Number }) };
}

export function resourceName(typeUrl: string, obj: Record<string, any>): string {
  return typeUrl === ENDPOINT ? obj.cluster_name : obj.name;
}

export interface FixtureNode {
  id: string;
  target?: 'envoy' | 'grpc';
  serviceAccount?: string | null;
  resources: Partial<Record<string, object[]>>;
}

function sha16(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** Writes DIR atomically (temp dir, then rename over it), like `meshc compile --out DIR`. */
export function writeCompiledOutput(dir: string, nodes: FixtureNode[], options: { atomic?: boolean } = {}): void {
  const atomic = options.atomic ?? true;
  const target = atomic ? `${dir}.tmp-${randomBytes(4).toString('hex')}` : dir;
  mkdirSync(dirname(dir), { recursive: true });
  if (!atomic) rmSync(dir, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const manifestNodes = [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1)).map((node) => {
    const nodeDir = node.id.split('/').join('_');
    mkdirSync(join(target, 'nodes', nodeDir), { recursive: true });
    const files: Record<string, string> = { bootstrap: `nodes/${nodeDir}/bootstrap.yaml` };
    writeFileSync(join(target, files.bootstrap!), `node: {id: ${JSON.stringify(node.id)}, cluster: test}\n`);
    const resources: Record<string, { name: string; hash: string }[]> = {};
    const nodeHash = createHash('sha256');
    for (const typeUrl of TYPES) {
      const kind = KIND[typeUrl]!;
      const objs = [...(node.resources[typeUrl] ?? [])].sort((a, b) => (resourceName(typeUrl, a) < resourceName(typeUrl, b) ? -1 : 1));
      const anys = objs.map((o) => encodeAny(typeUrl, o));
      const entries = objs.map((o, i) => ({ name: resourceName(typeUrl, o), hash: sha16(anys[i]!) }));
      resources[typeUrl] = entries;
      // compile's formula (docs/guide-compile.md): a type's version hashes its resources' names and hashes
      const version = sha16(entries.map((e) => `${e.name}\u0000${e.hash}\n`).join(''));
      nodeHash.update(`${typeUrl} ${version}\n`);
      const t = typeOf(typeUrl);
      const json = { version_info: version, resources: objs.map((o) => ({ '@type': typeUrl, ...t.toObject(t.fromObject(o), { enums: String, longs: String }) })) };
      files[kind] = `nodes/${nodeDir}/${kind}.json`;
      files[`${kind}Binary`] = `nodes/${nodeDir}/${kind}.pb`;
      writeFileSync(join(target, files[kind]!), `${JSON.stringify(json, null, 2)}\n`);
      writeFileSync(join(target, files[`${kind}Binary`]!), Buffer.concat(anys.flatMap((a) => [varint(a.length), a])));
    }
    const [ns, kind, name] = node.id.split('/');
    return {
      id: node.id,
      target: node.target ?? 'envoy',
      workload: { kind: kind ?? 'deployment', namespace: ns ?? '', name: name ?? node.id },
      ...(node.serviceAccount === null ? {} : { serviceAccount: node.serviceAccount ?? `${ns}/${name}` }),
      version: nodeHash.digest('hex').slice(0, 16),
      files,
      resources,
    };
  });
  writeFileSync(join(target, 'manifest.json'), `${JSON.stringify({ meshc: '0.1.0', target: 'envoy', nodes: manifestNodes }, null, 2)}\n`);
  if (!atomic) return;
  if (existsSync(dir)) {
    const old = `${dir}.old-${randomBytes(4).toString('hex')}`;
    renameSync(dir, old);
    renameSync(target, dir);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(target, dir);
  }
}

export interface Backend {
  cluster: string;
  port: number;
  weight: number;
  address?: string;
}

/**
 * The resources a proxyless gRPC client needs for `xds:///<service>`
 * (xds-protocol.md section 9): an api_listener Listener, a RouteConfiguration
 * with weighted_clusters, EDS clusters and their ClusterLoadAssignments.
 */
export function grpcSplitResources(service: string, backends: Backend[]): Partial<Record<string, object[]>> {
  const routeName = `${service}-route`;
  return {
    [LISTENER]: [{
      name: service,
      api_listener: {
        api_listener: anyOf(HCM, {
          stat_prefix: service,
          rds: { route_config_name: routeName, config_source: { ads: {}, resource_api_version: 'V3' } },
          http_filters: [{ name: 'envoy.filters.http.router', typed_config: anyOf(ROUTER, {}) }],
        }),
      },
    }],
    [ROUTE]: [{
      name: routeName,
      virtual_hosts: [{
        name: service,
        domains: ['*'],
        routes: [{
          match: { prefix: '' },
          route: backends.length === 1
            ? { cluster: backends[0]!.cluster }
            : { weighted_clusters: { clusters: backends.map((b) => ({ name: b.cluster, weight: { value: b.weight } })) } },
        }],
      }],
    }],
    [CLUSTER]: backends.map((b) => ({
      name: b.cluster,
      type: 'EDS',
      eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' }, service_name: b.cluster },
      lb_policy: 'ROUND_ROBIN',
      connect_timeout: { seconds: 1 },
    })),
    [ENDPOINT]: backends.map((b) => ({
      cluster_name: b.cluster,
      endpoints: [{
        locality: { region: 'r' },
        load_balancing_weight: { value: 1 },
        lb_endpoints: [{ endpoint: { address: { socket_address: { address: b.address ?? '127.0.0.1', port_value: b.port } } } }],
      }],
    })),
  };
}
