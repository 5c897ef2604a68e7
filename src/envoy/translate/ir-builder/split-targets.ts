/**
 * TrafficSplit roots: the weighted backends one client identity's route names, with their exact relative weights
 * (reduced by the GCD). A backend the client may not use is either kept and denied at the backend (its share fails,
 * as `why` and `meshc test` say) or dropped with a finding (MESH0856).
 */
import type { BackendVerdict, PortAccess, ReachRule, ServiceKey } from '../../../reach/types.ts';
import type { WeightedTarget } from '../ir.ts';
import { reduceWeights, UINT32_MAX } from '../matches.ts';
import { clusterFor, deniedCluster, usableCluster } from './clusters.ts';
import { at, type BuildContext } from './context.ts';
import { effectiveGrants } from './grants.ts';

type Backend = ReachRule['backends'][number];

/** A backend's weighted cluster, or why the backend is left out of the route (undefined: no reason known). */
type BackendOutcome = { cluster: string; weight: number } | { reason: string | undefined };

/**
 * The route targets of one rule (index in `ReachSplit.rules`) of a split root's port, [] when no backend is usable,
 * null when the weights overflow (MESH0861).
 */
export function splitTargets(ctx: BuildContext, rootKey: ServiceKey, port: number, pa: PortAccess | undefined, ruleIndex = 0): WeightedTarget[] | null {
  const split = ctx.reach.splits[rootKey].rules[ruleIndex]!;
  const verdict = pa?.split?.rules[ruleIndex];
  const chosen: { cluster: string; weight: number }[] = [];
  split.backends.forEach((b, i) => {
    if (b.weight <= 0) return;
    const outcome = ctx.permissive ? permissiveBackend(ctx, rootKey, port, b) : grantedBackend(ctx, port, b, verdict?.backends[i]);
    if ('cluster' in outcome) chosen.push(outcome);
    else ctx.findings.dropped.add(`${split.split}|${b.service}|${outcome.reason}`, { split: split.split, backend: b.service, reason: outcome.reason ?? 'unknown' });
  });
  if (chosen.length === 0) return [];
  const reduced = reduceWeights(chosen.map((c) => c.weight));
  const sum = reduced.reduce((s, w) => s + w, 0);
  if (sum > UINT32_MAX) {
    if (!ctx.findings.overflowReported.has(split.split)) {
      ctx.findings.overflowReported.add(split.split);
      ctx.reporter.report('MESH0861', { split: split.split, sum }, at(ctx.metaOfKey('TrafficSplit', split.split), ['spec', 'backends']));
    }
    return null;
  }
  return chosen.map((c, i) => ({ cluster: c.cluster, weight: reduced[i] }));
}

/** Permissive mode: every backend that exists, has the root's port with its protocol and a workload serving it. */
function permissiveBackend(ctx: BuildContext, rootKey: ServiceKey, port: number, b: Backend): BackendOutcome {
  const rootPort = ctx.reach.services[rootKey].ports.find((p) => p.port === port)!;
  const bs = ctx.reach.services[b.service];
  const bport = bs?.ports.find((p) => p.port === port && p.protocol === rootPort.protocol)?.port ?? null;
  let reason: string | undefined;
  if (!bs) reason = 'its Service does not exist';
  else if (bport === null) reason = `it has no port ${port}`;
  else if (bs.identities.length === 0) reason = 'no workload serves it';
  return usable(ctx, b, bport, reason);
}

/** Access-controlled mode: the backends reachability lets this identity reach, and the denied ones it keeps. */
function grantedBackend(ctx: BuildContext, port: number, b: Backend, v: BackendVerdict | undefined): BackendOutcome {
  const bport = v?.port ?? null;
  // HTTP grants at pods whose inbound chain for the port is TCP admit nothing (src/reach/delivery.ts, MESH0633): such a
  // backend denies these clients like one without a grant.
  const refused = v !== undefined && v.allowed && bport !== null && !v.grants.some((id) => ctx.delivery.grantTakesEffect(id, b.service, bport));
  if (v && (!v.allowed || refused) && !v.excluded && bport !== null) {
    // The backend's identity does not admit these clients: its share keeps its weight and is denied at the
    // backend (inbound RBAC; a cluster without endpoints for proxyless gRPC clients, which get no server-side
    // RBAC from meshc), so that share fails as `why` and `meshc test` say (MESH0606), instead of being
    // silently moved onto the backends they may reach.
    const c = ctx.grpc ? deniedCluster(ctx, b.service, bport) : clusterFor(ctx, b.service, bport);
    if (c) return { cluster: c.name, weight: b.weight };
  }
  let reason: string | undefined;
  if (!v || !v.allowed) {
    reason = {
      'no-grant': 'no TrafficTarget admits these clients to it',
      'no-port': `it has no port ${port}`,
      'no-workloads': 'no workload serves it',
      'missing-service': 'its Service does not exist',
    }[v?.denied ?? 'no-grant'];
  } else {
    const bproto = ctx.protoOf(b.service, bport!);
    if (!bproto || effectiveGrants(ctx, v.grants, bproto, b.service, bport!).length === 0) reason = 'only HTTP rules admit these clients, but the port is TCP';
  }
  return usable(ctx, b, bport, reason, v?.grants);
}

/** The backend's cluster (of the pods that admit the client, for `grants`) if nothing speaks against it and the client can use it. */
function usable(ctx: BuildContext, b: Backend, bport: number | null, reason: string | undefined, grants?: number[]): BackendOutcome {
  if (reason || bport === null) return { reason };
  const c = usableCluster(ctx, b.service, bport, grants);
  if (!c) return { reason: 'its endpoint addresses are unknown (gRPC clients need IP addresses)' };
  return { cluster: c.name, weight: b.weight };
}
