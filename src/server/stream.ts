/**
 * What SotW and Delta streams share: binding the stream to a node snapshot
 * (first request's node id, mTLS identity check), type checks, the send loop
 * in make-before-break order, ACK/NACK bookkeeping, nonces, bounded writes
 * with back-pressure, snapshot-change subscription and clean teardown.
 */
import { MAX_STATUS_DETAILS, clip } from './echo.ts';
import { status as Status } from '@grpc/grpc-js';
import type { NodeInfo, RpcStatus } from './messages.ts';
import { PUSH_ORDER, isFullState, isServedType, isWellFormedTypeUrl, shortType, typesAfter } from './resource-types.ts';
import type { NodeSnapshot, Snapshot, TypeSnapshot } from './snapshot.ts';
import { resolveNode, type StreamContext, type StreamError, type XdsCall } from './stream-context.ts';

export { EMPTY_VERSION, resolveNode } from './stream-context.ts';
export type { Authorizer, PeerCall, ServerStats, StreamContext, StreamError, XdsCall } from './stream-context.ts';

/** What SotW and Delta both remember per type on a stream. */
export interface StreamTypeState {
  typeUrl: string;
  /** Nonce of the latest response of this type. */
  nonce: string | null;
  /** A response was sent and not yet ACKed/NACKed (at most one per type). */
  inFlight: boolean;
  sentVersion: string;
}

/**
 * One xDS stream. Subclasses decode requests, keep per-type state `S` and
 * decide what to send (`plan`) and how (`send`); the loop that sends it in
 * make-before-break order, the ACK/NACK bookkeeping and the type checks are here.
 */
export abstract class XdsStream<S extends StreamTypeState = StreamTypeState, P = unknown> {
  readonly id: number;
  readonly peer: string;
  node: NodeInfo | null = null;
  protected snap: NodeSnapshot | null = null;
  private nonceCounter = 0;
  private pendingWrites = 0;
  private pendingBytes = 0;
  private waitingForDrain = false;
  /** pump() stopped because too many response bytes were buffered; a completed write resumes it. */
  private blockedOnBuffer = false;
  private unsubscribe: (() => void) | null = null;
  closed = false;
  protected readonly types = new Map<string, S>();

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
  /** What is due for this type now, or null when nothing is. */
  protected abstract plan(st: S): P | null;
  protected abstract send(st: S, plan: P): void;

  /** Sends whatever is due, in make-before-break order; called after requests and snapshot changes. */
  protected pump(): void {
    if (this.closed || !this.snap) return;
    const order = [...PUSH_ORDER, ...[...this.types.keys()].filter((t) => !isServedType(t)).sort()];
    for (const type of order) {
      const st = this.types.get(type);
      if (!st) continue;
      const plan = this.plan(st);
      if (!plan) continue;
      // Keep make-before-break order: a later type waits while an earlier one waits for its ACK.
      if (st.inFlight) return;
      if (!this.writable) {
        this.blockedOnBuffer = true;
        return;
      }
      this.send(st, plan);
    }
  }

  /** A type pushed after `typeUrl` has something to send or awaits an answer on this stream. */
  protected laterTypesBusy(typeUrl: string): boolean {
    return typesAfter(typeUrl).some((type) => {
      const st = this.types.get(type);
      return !!st && (st.inFlight || this.plan(st) !== null);
    });
  }

  /** The state of a type the request passed checkType() for, created (and a type meshc never compiles logged) on its first request. */
  protected typeState(type: string, create: () => S): { st: S; first: boolean } {
    const existing = this.types.get(type);
    if (existing) return { st: existing, first: false };
    const st = create();
    this.types.set(type, st);
    if (!isServedType(type)) {
      this.ctx.log.log('warn', 'unknown-type', 'type not produced by meshc compile; answering with no resources', { stream: this.id, node: this.nodeId, type });
    }
    return { st, first: true };
  }

  /** The in-flight response of this type was answered: an ACK, or a NACK (`errorDetail`), counted and logged; a NACKed version is not resent. */
  protected settle(st: S, errorDetail: RpcStatus | null, clientVersion?: string): void {
    st.inFlight = false;
    const fields = { stream: this.id, node: this.nodeId, type: shortType(st.typeUrl), version: st.sentVersion, nonce: st.nonce };
    if (errorDetail) {
      this.ctx.stats.nacks++;
      this.ctx.log.log('warn', 'nack', 'proxy rejected config (will not resend this version)', {
        ...fields, client_version: clientVersion, code: errorDetail.code, error: errorDetail.message,
      });
    } else {
      this.ctx.stats.acks++;
      this.ctx.log.log('info', 'ack', 'proxy applied config', fields);
    }
  }

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
  protected checkType(typeUrl: string): string | null {
    const type = typeUrl === '' && this.fixedType ? this.fixedType : typeUrl;
    if (this.fixedType && type !== this.fixedType) {
      this.fail({ code: Status.INVALID_ARGUMENT, details: `this service serves ${this.fixedType}, not '${typeUrl}'` });
      return null;
    }
    if (type === '') {
      this.fail({ code: Status.INVALID_ARGUMENT, details: 'type_url is required on the aggregated discovery service' });
      return null;
    }
    if (this.types.has(type)) return type; // checked on its first request
    if (!isWellFormedTypeUrl(type)) {
      this.fail({ code: Status.INVALID_ARGUMENT, details: `malformed type_url '${type.slice(0, 200)}'` });
      return null;
    }
    if (this.types.size >= this.ctx.maxTypesPerStream) {
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
      // Only a pump that stopped for buffered bytes has anything to resume; ACKs and snapshots drive the rest.
      if (this.blockedOnBuffer && !this.waitingForDrain && !this.closed && this.pendingWrites === 0) {
        this.blockedOnBuffer = false;
        this.pump();
      }
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
