/**
 * State-of-the-world xDS on one stream (xds-protocol.md sections 2 and 5).
 *
 * Per type the stream remembers the subscription, the latest nonce sent and
 * what it sent (name -> content hash). A response is due when that differs
 * from what the snapshot offers for the subscription; it is never due merely
 * because the client's version differs, so a NACKed version is not resent
 * (go-control-plane's NACK loop, section 6.6) - only a new snapshot or a new
 * subscription produces the next response. At most one response per type is
 * in flight (sent, not yet ACKed/NACKed); updates coalesce to the latest
 * snapshot meanwhile, which bounds what a slow client can make us buffer.
 */
import { status as Status } from '@grpc/grpc-js';
import { decodeDiscoveryRequest, encodeDiscoveryResponseBody, withNonce, SOTW_NONCE_FIELD, type DiscoveryRequest } from './messages.ts';
import { CLUSTER, ENDPOINT, isFullState, isServedType, shortType } from './resource-types.ts';
import { typeVersion, type ServedResource, type TypeSnapshot } from './snapshot.ts';
import { EMPTY_VERSION, XdsStream, type StreamContext, type StreamTypeState, type XdsCall } from './stream.ts';
import { WireError } from './wire.ts';

interface TypeState extends StreamTypeState {
  wildcard: boolean;
  /** The stream has named resources of this type at least once (legacy wildcard is then over). */
  namedEver: boolean;
  names: Set<string>;
  /** name -> what this stream last sent for it (the client holds it). */
  sent: Map<string, ServedResource>;
  responded: boolean;
  /** Resend every subscribed resource on the next pass (EDS after a cluster changed). */
  resendAll: boolean;
  /**
   * The type snapshot this stream is up to date with: the last response was planned from it (not a
   * make-before-break hold) and the subscription has not changed since, so planning again finds nothing.
   */
  upToDateWith: TypeSnapshot | undefined | typeof STALE;
}

/** upToDateWith before the first response and after a subscription change. */
const STALE = Symbol('stale');

interface Plan {
  resources: ServedResource[];
  full: boolean;
  /** A CDS response that still carries clusters the new output deleted (make-before-break): its own version. */
  holding: boolean;
}

const byName = (a: ServedResource, b: ServedResource): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Encoded response bodies, shared by every stream that receives the same resources of the same snapshot. */
const bodyCache = new WeakMap<TypeSnapshot, Map<string, Buffer>>();
const BODY_CACHE_PER_TYPE = 64;

function responseBody(ts: TypeSnapshot | undefined, typeUrl: string, resources: ServedResource[]): Buffer {
  const version = ts?.version ?? EMPTY_VERSION;
  if (!ts) return encodeDiscoveryResponseBody(version, [], typeUrl);
  let perType = bodyCache.get(ts);
  if (!perType) bodyCache.set(ts, (perType = new Map()));
  const key = resources.length === ts.list.length ? '*' : resources.map((r) => r.name).join('\n');
  let body = perType.get(key);
  if (!body) {
    body = encodeDiscoveryResponseBody(version, resources.map((r) => r.any), typeUrl);
    if (perType.size >= BODY_CACHE_PER_TYPE) perType.delete(perType.keys().next().value!);
    perType.set(key, body);
  }
  return body;
}

export class SotwStream extends XdsStream<TypeState, Plan> {
  constructor(ctx: StreamContext, call: XdsCall, fixedType: string | null = null) {
    super(ctx, call, 'sotw', fixedType);
  }

  protected onMessage(msg: Buffer): void {
    let req: DiscoveryRequest;
    try {
      req = decodeDiscoveryRequest(msg);
    } catch (err) {
      this.fail({ code: Status.INVALID_ARGUMENT, details: `malformed DiscoveryRequest: ${(err as WireError).message}` });
      return;
    }
    if (!this.bindNode(req.node)) return;
    const type = this.checkType(req.typeUrl);
    if (!type) return;
    const { st } = this.typeState(type, () => ({
      typeUrl: type, wildcard: false, namedEver: false, names: new Set(), sent: new Map(), responded: false, nonce: null, inFlight: false, sentVersion: '', resendAll: false, upToDateWith: STALE,
    }));
    // Only the first request of a type may come without our latest nonce; anything else is stale and superseded.
    if (st.nonce !== null && req.responseNonce !== st.nonce) {
      this.ctx.stats.staleNonces++;
      this.ctx.log.log('debug', 'stale-nonce', 'ignoring request with a stale nonce', { stream: this.id, node: this.nodeId, type: shortType(type), nonce: req.responseNonce, latest: st.nonce });
      return;
    }
    if (st.nonce !== null && st.inFlight) this.settle(st, req.errorDetail, req.versionInfo);
    if (!this.checkNameCount(type, req.resourceNames.length)) return;
    this.updateSubscription(st, req.resourceNames);
    this.pump();
  }

  private updateSubscription(st: TypeState, requested: string[]): void {
    const named = requested.filter((n) => n !== '*');
    const wasWildcard = st.wildcard;
    if (requested.includes('*')) st.wildcard = true;
    else if (named.length === 0 && !st.namedEver && this.legacyWildcardAllowed(st.typeUrl)) st.wildcard = true;
    else st.wildcard = false;
    if (named.length > 0) st.namedEver = true;
    const names = new Set(named);
    // An ACK repeats the subscription: nothing to forget, and the stream stays up to date.
    if (st.wildcard === wasWildcard && names.size === st.names.size && named.every((n) => st.names.has(n))) return;
    st.names = names;
    st.upToDateWith = STALE;
    if (!st.wildcard) for (const name of [...st.sent.keys()]) if (!st.names.has(name)) st.sent.delete(name);
  }

  protected plan(st: TypeState): Plan | null {
    const ts = this.typeSnapshot(st.typeUrl);
    if (st.upToDateWith === ts && !st.resendAll) return null;
    const available = ts?.list ?? [];
    const desired = st.wildcard ? [...available] : available.filter((r) => st.names.has(r.name));
    if (isFullState(st.typeUrl) || !isServedType(st.typeUrl)) {
      let resources = desired;
      // Make-before-break: a cluster the new output deleted stays in CDS until the endpoints, listeners and
      // routes of that output are sent and answered (they stop referencing it); then a last CDS drops it.
      if (st.typeUrl === CLUSTER && st.sent.size > 0) {
        const kept = new Set(desired.map((r) => r.name));
        const held = [...st.sent.values()].filter((r) => !kept.has(r.name));
        if (held.length > 0 && this.laterTypesBusy(CLUSTER)) resources = [...desired, ...held].sort(byName);
      }
      const same = st.responded && resources.length === st.sent.size && resources.every((r) => st.sent.get(r.name)?.hash === r.hash);
      return same ? null : { resources, full: true, holding: resources !== desired };
    }
    const changed = st.resendAll ? desired : desired.filter((r) => st.sent.get(r.name)?.hash !== r.hash);
    if (changed.length > 0) return { resources: changed, full: false, holding: false };
    // A wildcard subscription gets an answer even when the type is empty, so the client does not wait for a timeout.
    if (!st.responded && st.wildcard) return { resources: [], full: false, holding: false };
    return null;
  }

  protected send(st: TypeState, plan: Plan): void {
    const ts = this.typeSnapshot(st.typeUrl);
    const nonce = this.nextNonce();
    // A holding response mixes two outputs: its version is the content hash of exactly what it carries.
    const version = plan.holding ? typeVersion(plan.resources) : ts?.version ?? EMPTY_VERSION;
    const body = plan.holding
      ? encodeDiscoveryResponseBody(version, plan.resources.map((r) => r.any), st.typeUrl)
      : responseBody(ts, st.typeUrl, plan.resources);
    const clustersChanged = st.typeUrl === CLUSTER && st.responded && plan.resources.some((r) => st.sent.has(r.name) && st.sent.get(r.name)!.hash !== r.hash);
    if (plan.full) st.sent = new Map(plan.resources.map((r) => [r.name, r]));
    else for (const r of plan.resources) st.sent.set(r.name, r);
    st.responded = true;
    st.resendAll = false;
    st.upToDateWith = plan.holding ? STALE : ts;
    st.nonce = nonce;
    st.inFlight = true;
    st.sentVersion = version;
    // A changed cluster re-warms and waits for its ClusterLoadAssignment again (xds-protocol.md section 4).
    if (clustersChanged) {
      const eds = this.types.get(ENDPOINT);
      if (eds) eds.resendAll = true;
    }
    this.ctx.log.log('debug', 'response', 'sent', { stream: this.id, node: this.nodeId, type: shortType(st.typeUrl), version: st.sentVersion, nonce, resources: plan.resources.length });
    this.write(withNonce(body, SOTW_NONCE_FIELD, nonce));
  }
}
