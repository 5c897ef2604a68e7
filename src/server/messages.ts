/**
 * The xDS envelope messages (envoy.service.discovery.v3) and the gRPC health
 * messages, decoded and encoded by hand on top of wire.ts. Field numbers follow
 * discovery.proto; unknown fields are skipped as protobuf requires.
 */
import { WIRE, WireReader, WireWriter, WireError } from './wire.ts';

export interface NodeInfo {
  id: string;
  cluster: string;
  userAgentName: string;
  userAgentVersion: string;
}

export interface RpcStatus {
  code: number;
  message: string;
}

export interface DiscoveryRequest {
  versionInfo: string;
  node: NodeInfo | null;
  resourceNames: string[];
  typeUrl: string;
  responseNonce: string;
  errorDetail: RpcStatus | null;
}

export interface DeltaDiscoveryRequest {
  node: NodeInfo | null;
  typeUrl: string;
  subscribe: string[];
  unsubscribe: string[];
  initialResourceVersions: Map<string, string>;
  responseNonce: string;
  errorDetail: RpcStatus | null;
}

function decodeNode(r: WireReader): NodeInfo {
  const node: NodeInfo = { id: '', cluster: '', userAgentName: '', userAgentVersion: '' };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE.LEN) node.id = r.string();
    else if (field === 2 && wire === WIRE.LEN) node.cluster = r.string();
    else if (field === 6 && wire === WIRE.LEN) node.userAgentName = r.string();
    else if (field === 7 && wire === WIRE.LEN) node.userAgentVersion = r.string();
    else r.skip(wire);
  }
  return node;
}

function decodeStatus(r: WireReader): RpcStatus {
  const status: RpcStatus = { code: 0, message: '' };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE.VARINT) status.code = r.varint() | 0;
    else if (field === 2 && wire === WIRE.LEN) status.message = r.string();
    else r.skip(wire);
  }
  return status;
}

function decodeMapEntry(r: WireReader): [string, string] {
  let key = '';
  let value = '';
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE.LEN) key = r.string();
    else if (field === 2 && wire === WIRE.LEN) value = r.string();
    else r.skip(wire);
  }
  return [key, value];
}

function lenField(wire: number, name: string): void {
  if (wire !== WIRE.LEN) throw new WireError(`field ${name} has wire type ${wire}, expected 2`);
}

export function decodeDiscoveryRequest(buf: Uint8Array): DiscoveryRequest {
  const req: DiscoveryRequest = { versionInfo: '', node: null, resourceNames: [], typeUrl: '', responseNonce: '', errorDetail: null };
  const r = new WireReader(buf);
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: lenField(wire, 'version_info'); req.versionInfo = r.string(); break;
      case 2: lenField(wire, 'node'); req.node = decodeNode(r.sub()); break;
      case 3: lenField(wire, 'resource_names'); req.resourceNames.push(r.string()); break;
      case 4: lenField(wire, 'type_url'); req.typeUrl = r.string(); break;
      case 5: lenField(wire, 'response_nonce'); req.responseNonce = r.string(); break;
      case 6: lenField(wire, 'error_detail'); req.errorDetail = decodeStatus(r.sub()); break;
      default: r.skip(wire);
    }
  }
  return req;
}

export function decodeDeltaDiscoveryRequest(buf: Uint8Array): DeltaDiscoveryRequest {
  const req: DeltaDiscoveryRequest = {
    node: null, typeUrl: '', subscribe: [], unsubscribe: [], initialResourceVersions: new Map(), responseNonce: '', errorDetail: null,
  };
  const r = new WireReader(buf);
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: lenField(wire, 'node'); req.node = decodeNode(r.sub()); break;
      case 2: lenField(wire, 'type_url'); req.typeUrl = r.string(); break;
      case 3: lenField(wire, 'resource_names_subscribe'); req.subscribe.push(r.string()); break;
      case 4: lenField(wire, 'resource_names_unsubscribe'); req.unsubscribe.push(r.string()); break;
      case 5: {
        lenField(wire, 'initial_resource_versions');
        const [k, v] = decodeMapEntry(r.sub());
        req.initialResourceVersions.set(k, v);
        break;
      }
      case 6: lenField(wire, 'response_nonce'); req.responseNonce = r.string(); break;
      case 7: lenField(wire, 'error_detail'); req.errorDetail = decodeStatus(r.sub()); break;
      default: r.skip(wire);
    }
  }
  return req;
}

/** Identifies this control plane in every response (DiscoveryResponse.control_plane). */
const CONTROL_PLANE = new WireWriter().stringField(1, 'meshc').finish();

/**
 * The nonce-independent part of a DiscoveryResponse: version_info (1),
 * resources (2, the pre-encoded Any bytes as they are), type_url (4) and
 * control_plane (6). Fields may appear in any order on the wire, so the
 * per-stream nonce (5) is appended by `withNonce` without copying the body twice.
 */
export function encodeDiscoveryResponseBody(versionInfo: string, anys: readonly Uint8Array[], typeUrl: string): Buffer {
  const w = new WireWriter().stringField(1, versionInfo);
  for (const any of anys) w.bytesField(2, any);
  return w.stringField(4, typeUrl).bytesField(6, CONTROL_PLANE).finish();
}

/** The body with the nonce field appended (an empty nonce is the proto3 default: not written). */
export function withNonce(body: Buffer, nonceField: number, nonce: string): Buffer {
  if (nonce === '') return body;
  return new WireWriter().raw(body).stringField(nonceField, nonce).finish();
}

export const SOTW_NONCE_FIELD = 5;

export interface DeltaResourceOut {
  name: string;
  version: string;
  any: Uint8Array;
}

export function encodeDeltaDiscoveryResponse(
  systemVersionInfo: string, resources: readonly DeltaResourceOut[], typeUrl: string, removed: readonly string[], nonce: string,
): Buffer {
  const w = new WireWriter().stringField(1, systemVersionInfo);
  for (const res of resources) {
    // envoy.service.discovery.v3.Resource: version (1), resource (2), name (3)
    const inner = new WireWriter().stringField(1, res.version).bytesField(2, res.any).stringField(3, res.name);
    w.bytesField(2, inner.finish());
  }
  w.stringField(4, typeUrl).stringField(5, nonce);
  for (const name of removed) w.bytesField(6, Buffer.from(name, 'utf8'));
  return w.bytesField(7, CONTROL_PLANE).finish();
}

// grpc.health.v1

export const HEALTH_STATUS = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;

export function decodeHealthCheckRequest(buf: Uint8Array): { service: string } {
  let service = '';
  const r = new WireReader(buf);
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE.LEN) service = r.string();
    else r.skip(wire);
  }
  return { service };
}

export function encodeHealthCheckResponse(status: number): Buffer {
  return new WireWriter().varintField(1, status).finish();
}
