/**
 * What SotW and Delta streams share: binding the stream to a node snapshot
 * (first request's node id, mTLS identity check), nonces, bounded writes with
 * back-pressure, snapshot-change subscription and clean teardown.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { status as Status } from '@grpc/grpc-js';
import type { SnapshotSource } from './cache.ts';
import type { LogFields, Logger } from './log.ts';
import type { NodeInfo } from './messages.ts';
import type { NodeSnapshot, Snapshot, TypeSnapshot } from './snapshot.ts';
import { isFullState, isWellFormedTypeUrl, shortType } from './resource-types.ts';
import { MAX_STATUS_DETAILS, clip, quoted } from './echo.ts';

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
  streams: Set<XdsStream>;
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

export abstract class XdsStream {
  readonly id: number;
  readonly peer: string;
  node: NodeInfo | null = null;
  protected snap: NodeSnapshot | null = null;
  private nonceCounter = 0;
  private pendingWrites = 0;
  private pendingBytes = 0;
  private waitingForDrain = false;
  private unsubscribe: (() => void) | null = null;
  closed = false;

  constructor(
    protected readonly ctx: StreamContext,
    protected readonly call: XdsCall,
    readonly mode: 'sotw' | 'delta',
    /** Set for the per-type services (CDS, LDS, ...): the only type the stream may ask for. */
    protected readonly fixedType: string | null,
  ) {
    this.id = ctx.nextStreamId();
    this.peer = call.getPeer();
    ctx.streams.add(this);
    ctx.stats.activeStreams++;
    ctx.stats.totalStreams++;
    call.on('data', (msg: Buffer) => {
      if (this.closed) return;
      try {
        this.onMessage(msg);
      } catch (err) {
        // A bug must not take the process down; the stream ends with INTERNAL.
        ctx.log.log('error', 'internal-error', 'request handling failed', { stream: this.id, error: (err as Error).stack ?? String(err) });
        this.fail({ code: Status.INTERNAL, details: 'meshc serve: internal error while handling the request' });
      }
    });
    call.on('end', () => this.finish(null, 'client closed its side'));
    call.on('cancelled', () => this.cleanup('cancelled'));
    call.on('close', () => this.cleanup('closed'));
    call.on('finish', () => this.cleanup('finished'));
    call.on('error', () => this.cleanup('error'));
  }

  protected abstract onMessage(msg: Buffer): void;
  /** Sends whatever is due, in make-before-break order; called after requests and snapshot changes. */
  protected abstract pump(): void;

  get nodeId(): string {
    return this.node?.id ?? '';
  }

  /** Binds the stream to the node named by its first request; false when the stream was ended. */
  protected bindNode(node: NodeInfo | null): boolean {
    if (this.node) return true;
    if (!node || node.id === '') {
      this.fail({ code: Status.INVALID_ARGUMENT, details: 'the first request of a stream must carry node.id' });
      return false;
    }
    const snap = resolveNode(this.ctx, this.call, node.id, { stream: this.id });
    if ('code' in snap) {
      this.fail(snap);
      return false;
    }
    this.node = node;
    this.snap = snap;
    this.unsubscribe = this.ctx.source.subscribe((next) => this.onSnapshot(next));
    this.ctx.log.log('info', 'stream-open', 'proxy connected', {
      stream: this.id, peer: this.peer, node: node.id, mode: this.mode, user_agent: node.userAgentName ? clip(node.userAgentName) : undefined,
      service: this.fixedType ? shortType(this.fixedType) : 'ADS',
    });
    return true;
  }

  private onSnapshot(next: Snapshot): void {
    if (this.closed || !this.node) return;
    const snap = next.nodes.get(this.node.id);
    if (!snap) {
      this.ctx.log.log('warn', 'node-removed', 'node no longer in the compiled output; ending its stream', { stream: this.id, node: this.node.id });
      this.fail({ code: Status.NOT_FOUND, details: `node id '${this.node.id}' is no longer in the compiled output` });
      return;
    }
    const denied = this.ctx.authorize?.(this.call, snap) ?? null;
    if (denied) {
      this.fail({ code: Status.PERMISSION_DENIED, details: denied });
      return;
    }
    this.snap = snap;
    this.pump();
  }

  /** The type URL a request is about, or null after ending the stream for a bad one. */
  protected checkType(typeUrl: string, knownTypes: number): string | null {
    const type = typeUrl === '' && this.fixedType ? this.fixedType : typeUrl;
    if (this.fixedType && type !== this.fixedType) {
      this.fail({ code: Status.INVALID_ARGUMENT, details: `this service serves ${this.fixedType}, not '${typeUrl}'` });
      return null;
    }
    if (type === '') {
      this.fail({ code: Status.INVALID_ARGUMENT, details: 'type_url is required on the aggregated discovery service' });
      return null;
    }
    if (!isWellFormedTypeUrl(type)) {
      this.fail({ code: Status.INVALID_ARGUMENT, details: `malformed type_url '${type.slice(0, 200)}'` });
      return null;
    }
    if (knownTypes >= this.ctx.maxTypesPerStream) {
      this.fail({ code: Status.RESOURCE_EXHAUSTED, details: `more than ${this.ctx.maxTypesPerStream} resource types on one stream` });
      return null;
    }
    return type;
  }

  /**
   * Ends the stream when a subscription names more resources than any proxy
   * needs: every request re-plans over the whole subscription, so a client
   * piling up millions of (mostly unknown) names in legal-sized requests would
   * otherwise stall the event loop for every proxy and grow memory without bound.
   */
  protected checkNameCount(typeUrl: string, count: number): boolean {
    if (count <= this.ctx.maxNamesPerType) return true;
    this.ctx.log.log('warn', 'too-many-names', 'stream ended: subscription names too many resources', {
      stream: this.id, node: this.nodeId, type: shortType(typeUrl), names: count, limit: this.ctx.maxNamesPerType,
    });
    this.fail({
      code: Status.RESOURCE_EXHAUSTED,
      details: `more than ${this.ctx.maxNamesPerType} resource names of ${typeUrl} subscribed on one stream (${count})`,
    });
    return false;
  }

  protected typeSnapshot(typeUrl: string): TypeSnapshot | undefined {
    return this.snap?.types.get(typeUrl);
  }

  /** Legacy wildcard (empty names on the first request) applies to LDS/CDS and never to gRPC clients, which mean "nothing". */
  protected legacyWildcardAllowed(typeUrl: string): boolean {
    if (!isFullState(typeUrl)) return false;
    const ua = this.node?.userAgentName ?? '';
    return !/^grpc/i.test(ua) && this.snap?.target !== 'grpc';
  }

  protected nextNonce(): string {
    this.nonceCounter++;
    return String(this.nonceCounter);
  }

  /** True when the stream may take another response now (bounded per-stream buffering). */
  protected get writable(): boolean {
    if (this.closed) return false;
    if (this.waitingForDrain) return false;
    return !(this.pendingWrites > 0 && this.pendingBytes >= this.ctx.maxPendingBytes);
  }

  protected write(buf: Buffer): void {
    this.pendingWrites++;
    this.pendingBytes += buf.length;
    if (this.pendingBytes > this.ctx.stats.maxPendingBytes) this.ctx.stats.maxPendingBytes = this.pendingBytes;
    this.ctx.stats.responses++;
    const ok = this.call.write(buf, () => {
      this.pendingWrites--;
      this.pendingBytes -= buf.length;
      if (!this.waitingForDrain && !this.closed && this.pendingWrites === 0) this.pump();
    });
    if (!ok) {
      this.waitingForDrain = true;
      this.call.once('drain', () => {
        this.waitingForDrain = false;
        if (!this.closed) this.pump();
      });
    }
  }

  /** Ends the stream with an error status. */
  fail(err: StreamError): void {
    this.finish(err, err.details);
  }

  /** Ends the stream (OK when err is null), e.g. on shutdown or when the client half-closes. */
  finish(err: StreamError | null, reason: string): void {
    if (this.closed) return;
    this.release(reason, err ? Status[err.code] : 'OK');
    // Bounded whatever it repeats: an oversized trailer would never reach the client.
    if (err) this.call.emit('error', { code: err.code, details: clip(err.details, MAX_STATUS_DETAILS) });
    else this.call.end();
  }

  private cleanup(reason: string): void {
    if (this.closed) return;
    this.release(reason, null);
  }

  private release(reason: string, status: string | null): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.ctx.streams.delete(this);
    this.ctx.stats.activeStreams--;
    if (this.node) {
      this.ctx.log.log('info', 'stream-close', 'proxy disconnected', { stream: this.id, node: this.node.id, reason, status: status ?? undefined });
    }
  }
}
