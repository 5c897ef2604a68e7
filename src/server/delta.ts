/**
 * Incremental (Delta) xDS on one stream (xds-protocol.md sections 3 and 5.10).
 *
 * Subscriptions apply whatever the nonce says. Per type the stream tracks what
 * the client holds (name -> version, null = told it does not exist) and sends
 * only differences: changed resources with their content hash as version, and
 * removed_resources for deleted, unknown or unsubscribed-from-wildcard names.
 * As in SotW, one response per type is in flight at a time and a NACKed
 * version is recorded as sent, so it is not resent until it changes.
 */
import { status as Status } from '@grpc/grpc-js';
import { decodeDeltaDiscoveryRequest, encodeDeltaDiscoveryResponse, type DeltaDiscoveryRequest } from './messages.ts';
import { CLUSTER, ENDPOINT, shortType } from './resource-types.ts';
import type { ServedResource } from './snapshot.ts';
import { EMPTY_VERSION, XdsStream, type StreamContext, type StreamTypeState, type XdsCall } from './stream.ts';
import { WireError } from './wire.ts';

interface TypeState extends StreamTypeState {
  wildcard: boolean;
  names: Set<string>;
  /** What the client holds: name -> version, or null when we told it the name does not exist. */
  known: Map<string, string | null>;
  /** Names that must be answered on the next response even if the client seems to have them. */
  forced: Set<string>;
  /** A wildcard subscription is answered once even when empty. */
  mustReply: boolean;
}

interface Plan {
  resources: ServedResource[];
  removed: string[];
}

export class DeltaStream extends XdsStream<TypeState, Plan> {
  constructor(ctx: StreamContext, call: XdsCall, fixedType: string | null = null) {
    super(ctx, call, 'delta', fixedType);
  }

  protected onMessage(msg: Buffer): void {
    let req: DeltaDiscoveryRequest;
    try {
      req = decodeDeltaDiscoveryRequest(msg);
    } catch (err) {
      this.fail({ code: Status.INVALID_ARGUMENT, details: `malformed DeltaDiscoveryRequest: ${(err as WireError).message}` });
      return;
    }
    if (!this.bindNode(req.node)) return;
    const type = this.checkType(req.typeUrl);
    if (!type) return;
    const { st, first } = this.typeState(type, () => ({
      typeUrl: type, wildcard: false, names: new Set(), known: new Map(), forced: new Set(), nonce: null, inFlight: false, sentVersion: '', mustReply: false,
    }));
    if (first) {
      // A reconnecting client tells us what it already holds.
      for (const [name, version] of req.initialResourceVersions) st.known.set(name, version);
      if (req.subscribe.length === 0 && req.unsubscribe.length === 0 && this.legacyWildcardAllowed(type)) {
        st.wildcard = true;
        st.mustReply = true;
      }
    }
    if (req.responseNonce !== '') {
      if (req.responseNonce === st.nonce && st.inFlight) this.settle(st, req.errorDetail);
      else if (req.responseNonce !== st.nonce) {
        this.ctx.stats.staleNonces++; // subscriptions below still apply (Delta never rejects on the nonce)
      }
    }
    for (const name of req.subscribe) {
      if (name === '*') {
        if (!st.wildcard) st.mustReply = true;
        st.wildcard = true;
        continue;
      }
      st.names.add(name);
      // Answer every subscribed name, unless the first request says the client already holds its version.
      if (!(first && req.initialResourceVersions.has(name))) st.forced.add(name);
    }
    for (const name of req.unsubscribe) {
      if (name === '*') {
        st.wildcard = false;
        for (const known of [...st.known.keys()]) if (!st.names.has(known)) st.known.delete(known);
        continue;
      }
      st.names.delete(name);
      if (st.wildcard) st.forced.add(name); // still covered by the wildcard: say whether it exists
      else {
        st.forced.delete(name);
        st.known.delete(name);
      }
    }
    if (!this.checkNameCount(type, Math.max(st.names.size, st.known.size))) return;
    this.pump();
  }

  protected plan(st: TypeState): Plan | null {
    const ts = this.typeSnapshot(st.typeUrl);
    const available = ts?.byName ?? new Map<string, ServedResource>();
    const scope = new Set<string>(st.names);
    for (const name of st.forced) scope.add(name);
    if (st.wildcard) {
      for (const name of available.keys()) scope.add(name);
      for (const name of st.known.keys()) scope.add(name);
    }
    const resources: ServedResource[] = [];
    const removed: string[] = [];
    // Make-before-break: a cluster (or ClusterLoadAssignment) the new output deleted is removed only once the
    // types after it (endpoints, listeners, routes) are sent and answered, so nothing in use disappears first;
    // unless the client itself asks about the name.
    let hold: boolean | null = null;
    const holdRemovals = (): boolean => (hold ??= (st.typeUrl === CLUSTER || st.typeUrl === ENDPOINT) && this.laterTypesBusy(st.typeUrl));
    for (const name of [...scope].sort()) {
      const res = available.get(name);
      const known = st.known.get(name);
      if (res) {
        if (known !== res.hash || st.forced.has(name)) resources.push(res);
      } else if (typeof known === 'string' && !st.forced.has(name) && holdRemovals()) {
        continue;
      } else if (known !== null || st.forced.has(name)) {
        // undefined (never answered) or a version the client holds: tell it the name does not exist
        if (known !== undefined || st.names.has(name) || st.forced.has(name)) removed.push(name);
      }
    }
    if (resources.length === 0 && removed.length === 0 && !st.mustReply) return null;
    return { resources, removed };
  }

  protected send(st: TypeState, plan: Plan): void {
    const ts = this.typeSnapshot(st.typeUrl);
    const nonce = this.nextNonce();
    const version = ts?.version ?? EMPTY_VERSION;
    const clustersChanged = st.typeUrl === CLUSTER && plan.resources.some((r) => typeof st.known.get(r.name) === 'string' && st.known.get(r.name) !== r.hash);
    for (const r of plan.resources) {
      st.known.set(r.name, r.hash);
      st.forced.delete(r.name);
    }
    for (const name of plan.removed) {
      st.forced.delete(name);
      if (st.names.has(name)) st.known.set(name, null); // remembered: pushed when it appears
      else st.known.delete(name);
    }
    st.nonce = nonce;
    st.inFlight = true;
    st.mustReply = false;
    st.sentVersion = version;
    if (clustersChanged) {
      // A changed cluster re-warms and needs its ClusterLoadAssignment again.
      const eds = this.types.get(ENDPOINT);
      if (eds) for (const name of eds.known.keys()) if (eds.names.has(name) || eds.wildcard) eds.forced.add(name);
    }
    this.ctx.log.log('debug', 'response', 'sent', {
      stream: this.id, node: this.nodeId, type: shortType(st.typeUrl), version, nonce, resources: plan.resources.length, removed: plan.removed.length,
    });
    this.write(encodeDeltaDiscoveryResponse(
      version,
      plan.resources.map((r) => ({ name: r.name, version: r.hash, any: r.any })),
      st.typeUrl,
      plan.removed,
      nonce,
    ));
  }
}
