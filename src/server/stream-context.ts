/**
 * What a stream (and a unary Fetch) needs from the server: the snapshot
 * source, logger, counters, limits and the node look-up with its access check.
 */
import { clip, quoted } from './echo.ts';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { status as Status } from '@grpc/grpc-js';
import type { SnapshotSource } from './cache.ts';
import type { LogFields, Logger } from './log.ts';
import type { NodeSnapshot } from './snapshot.ts';

export type XdsCall = ServerDuplexStream<Buffer, Buffer>;

export interface ServerStats {
  activeStreams: number;
  totalStreams: number;
  responses: number;
  acks: number;
  nacks: number;
  staleNonces: number;
  /** Largest number of response bytes ever queued on one stream and not yet flushed. */
  maxPendingBytes: number;
}

/** What identifies the peer of any call (stream or unary): its address and TLS context. */
export type PeerCall = Pick<XdsCall, 'getPeer' | 'getAuthContext'>;

/** Decides whether the peer of `call` may read `node`'s config; returns a denial reason or null. */
export type Authorizer = (call: PeerCall, node: NodeSnapshot) => string | null;

export interface StreamContext {
  source: SnapshotSource;
  log: Logger;
  stats: ServerStats;
  authorize: Authorizer | null;
  /** Known node ids for the NOT_FOUND hint, filtered to what the caller may see. */
  knownIdsHint(call: PeerCall): string[];
  /** Open streams (ended on shutdown). */
  streams: Set<{ finish(err: StreamError | null, reason: string): void }>;
  nextStreamId(): number;
  /** Stop writing to a stream once this many response bytes wait to be flushed. */
  maxPendingBytes: number;
  /** At most this many distinct type URLs per stream. */
  maxTypesPerStream: number;
  /** At most this many subscribed resource names per type on one stream. */
  maxNamesPerType: number;
}

export interface StreamError {
  code: Status;
  details: string;
}

/** Version reported for a type meshc never compiles (answered with no resources). */
export const EMPTY_VERSION = 'empty';

/**
 * The snapshot of `nodeId` if the caller may read it, else the status to end
 * the call with (NOT_FOUND with the ids the caller may see, PERMISSION_DENIED
 * under mTLS), logged. Shared by the streams and the unary Fetch methods.
 */
export function resolveNode(ctx: StreamContext, call: PeerCall, nodeId: string, fields: LogFields): NodeSnapshot | StreamError {
  const peer = call.getPeer();
  const snap = ctx.source.node(nodeId);
  if (!snap) {
    const known = ctx.knownIdsHint(call);
    const shown = known.slice(0, 10).join(', ');
    const more = known.length > 10 ? ` and ${known.length - 10} more` : '';
    ctx.log.log('warn', 'unknown-node', 'request rejected: node id not in the compiled output', { ...fields, peer, node: clip(nodeId) });
    return {
      code: Status.NOT_FOUND,
      details: `node id ${quoted(nodeId)} is not in the compiled output; known ids: ${known.length ? `${shown}${more}` : '(none)'}`,
    };
  }
  const denied = ctx.authorize?.(call, snap) ?? null;
  if (denied) {
    ctx.log.log('warn', 'denied', 'request rejected: client identity may not read this node', { ...fields, peer, node: clip(nodeId), reason: denied });
    return { code: Status.PERMISSION_DENIED, details: denied };
  }
  return snap;
}
