/**
 * The unary `Fetch*` methods of the per-type services (FetchClusters,
 * FetchEndpoints, FetchListeners, FetchRoutes): one DiscoveryRequest, one
 * DiscoveryResponse with the node's resources of that type, as the REST-JSON
 * xDS transport polls (xds-protocol.md section 4). There is no stream, so
 * there is no nonce, no subscription and nothing to push: each call is
 * answered from the snapshot being served at that moment, with the same
 * version_info and pre-encoded bytes a stream would get. Node binding and mTLS
 * identity rules are those of the streams (resolveNode).
 */
import { status as Status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { decodeDiscoveryRequest, encodeDiscoveryResponseBody, type DiscoveryRequest } from './messages.ts';
import { shortType } from './resource-types.ts';
import { resolveNode, type StreamContext } from './stream.ts';
import { WireError } from './wire.ts';

export function fetchHandler(ctx: StreamContext, typeUrl: string) {
  return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    let req: DiscoveryRequest;
    try {
      req = decodeDiscoveryRequest(call.request);
    } catch (err) {
      callback({ code: Status.INVALID_ARGUMENT, details: `malformed DiscoveryRequest: ${(err as WireError).message}` });
      return;
    }
    if (req.typeUrl !== '' && req.typeUrl !== typeUrl) {
      callback({ code: Status.INVALID_ARGUMENT, details: `this service serves ${typeUrl}, not '${req.typeUrl.slice(0, 200)}'` });
      return;
    }
    if (!req.node || req.node.id === '') {
      callback({ code: Status.INVALID_ARGUMENT, details: 'a fetch request must carry node.id' });
      return;
    }
    const fields = { mode: 'fetch', type: shortType(typeUrl) };
    const snap = resolveNode(ctx, call, req.node.id, fields);
    if ('code' in snap) {
      callback(snap);
      return;
    }
    const ts = snap.types.get(typeUrl)!;
    if (req.errorDetail) {
      // A polling client reports the previous response it could not apply on its next poll.
      ctx.stats.nacks++;
      ctx.log.log('warn', 'nack', 'proxy rejected config', {
        ...fields, node: snap.id, client_version: req.versionInfo, code: req.errorDetail.code, error: req.errorDetail.message,
      });
    }
    // No names (or "*") fetches every resource of the type; otherwise the named ones that exist.
    const all = req.resourceNames.length === 0 || req.resourceNames.includes('*');
    const wanted = new Set(req.resourceNames);
    const resources = all ? ts.list : ts.list.filter((r) => wanted.has(r.name));
    ctx.stats.responses++;
    ctx.log.log('debug', 'fetch', 'answered a fetch', { ...fields, node: snap.id, version: ts.version, resources: resources.length });
    callback(null, encodeDiscoveryResponseBody(ts.version, resources.map((r) => r.any), typeUrl));
  };
}
