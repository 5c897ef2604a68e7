/**
 * gRPC service definitions, written out by hand: requests arrive as raw bytes
 * (decoded in the stream handlers, so a malformed message gets a precise
 * INVALID_ARGUMENT) and responses leave as the bytes the handlers built around
 * the pre-encoded resources. Paths match envoy/service/.../v3/*.proto and
 * grpc/health/v1/health.proto.
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { CLUSTER, ENDPOINT, LISTENER, ROUTE } from './resource-types.ts';

const identity = (b: Buffer): Buffer => b;
const toBuffer = (b: Buffer | Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function method(path: string, requestStream: boolean, responseStream: boolean): MethodDefinition<Buffer, Buffer> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    path,
    requestStream,
    responseStream,
    requestSerialize: toBuffer,
    requestDeserialize: identity,
    responseSerialize: toBuffer,
    responseDeserialize: identity,
    originalName: name.charAt(0).toLowerCase() + name.slice(1),
  };
}

export const ADS_SERVICE = 'envoy.service.discovery.v3.AggregatedDiscoveryService';

export const adsService: ServiceDefinition = {
  StreamAggregatedResources: method(`/${ADS_SERVICE}/StreamAggregatedResources`, true, true),
  DeltaAggregatedResources: method(`/${ADS_SERVICE}/DeltaAggregatedResources`, true, true),
};

/** The per-type discovery services; each call of them may only ask for its own type. */
export const perTypeServices: { name: string; typeUrl: string; sotw: string; delta: string; fetch: string; definition: ServiceDefinition }[] = [
  { name: 'envoy.service.cluster.v3.ClusterDiscoveryService', typeUrl: CLUSTER, sotw: 'StreamClusters', delta: 'DeltaClusters', fetch: 'FetchClusters' },
  { name: 'envoy.service.endpoint.v3.EndpointDiscoveryService', typeUrl: ENDPOINT, sotw: 'StreamEndpoints', delta: 'DeltaEndpoints', fetch: 'FetchEndpoints' },
  { name: 'envoy.service.listener.v3.ListenerDiscoveryService', typeUrl: LISTENER, sotw: 'StreamListeners', delta: 'DeltaListeners', fetch: 'FetchListeners' },
  { name: 'envoy.service.route.v3.RouteDiscoveryService', typeUrl: ROUTE, sotw: 'StreamRoutes', delta: 'DeltaRoutes', fetch: 'FetchRoutes' },
].map((s) => ({
  ...s,
  definition: {
    [s.sotw]: method(`/${s.name}/${s.sotw}`, true, true),
    [s.delta]: method(`/${s.name}/${s.delta}`, true, true),
    [s.fetch]: method(`/${s.name}/${s.fetch}`, false, false),
  },
}));

export const HEALTH_SERVICE = 'grpc.health.v1.Health';

export const healthService: ServiceDefinition = {
  Check: method(`/${HEALTH_SERVICE}/Check`, false, false),
  Watch: method(`/${HEALTH_SERVICE}/Watch`, false, true),
};
