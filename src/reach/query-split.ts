/**
 * `why` for a split root: which rule takes the request (an SMI TrafficSplit is one rule, its unmatched requests go
 * to the root's own pods; Gateway API mesh routes are many rules in precedence order, and a request that matches
 * none gets 404), and what each backend of that rule says to the caller.
 */
import { splitLabel, type TrafficSplit } from '../model/types.ts';
import { describeRequest, matchMismatch, type HttpRequest } from './request.ts';
import { deniedBy, MAX_LISTED, pct, step, type Denial, type SplitStep, type Verdict, type WhyAnswer, type WhyQuery } from './query-answer.ts';
import type { ReachQuery } from './query.ts';
import type { ReachPort, ReachRule, ReachSplit } from './types.ts';
import { splitRouteSteps } from './route-steps.ts';
import { isHttpLike, portProtocol } from '../model/port-protocol.ts';
import { GRPC_NO_ADDRESSES, grpcDropsMatch, grpcLeavesOut } from './query-grpc.ts';

/** The answer when the split decides it; undefined when the request goes to the root's own pods (SMI, unmatched). */
export function splitAnswer(rq: ReachQuery, q: WhyQuery, port: ReachPort, split: ReachSplit): WhyAnswer | undefined {
  if (split.unmatched === 'root') {
    const rule = split.rules[0]!;
    if (!rq.index.trafficSplits.get(rule.split) || !ruleApplies(rq, rule, q.request)) return undefined;
    return ruleAnswer(rq, q, port, split, 0);
  }
  // A TCP port carries no HTTP attributes: only a rule without matches takes its connections (the first), as compile routes it.
  if (!isHttpLike(portProtocol(port))) return tcpAnswer(rq, q, port, split);
  if (q.request) {
    const i = split.rules.findIndex((r) => ruleApplies(rq, r, q.request));
    if (i >= 0) return ruleAnswer(rq, q, port, split, i);
    const routes = routesOf(rq, split);
    return {
      allowed: false, denial: 'no-matching-rule', port: port.port,
      reason: `${q.from} → ${q.to}: no rule of ${routes} matches ${describeRequest(q.request)}, so it gets 404 (once a Gateway API route is attached to a Service, requests no rule matches are rejected)`,
      via: [rq.serviceStep(q.to, port, `parent of ${routes}: ${split.rules.length} rule match(es), no catch-all`)],
    };
  }
  // No request: every rule may take some of the caller's traffic; the first rule that denies it explains the answer.
  const taking = split.rules.map((r, i) => (ruleApplies(rq, r, undefined) ? i : -1)).filter((i) => i >= 0);
  if (taking.length === 0) return grpcNoRule(rq, q, port, split);
  const answers = taking.map((i) => ruleAnswer(rq, q, port, split, i));
  const denied = answers.find((a) => !a.allowed);
  if (denied || answers.length <= 1) return denied ?? answers[0];
  return { ...answers[0]!, reason: `${q.from} → ${q.to}: each of its ${answers.length} route rules sends the caller's requests only to backends that allow ${q.from}` };
}

/** Only for gRPC clients can no rule take traffic: every rule of the routes matches on query parameters (MESH1214). */
function grpcNoRule(rq: ReachQuery, q: WhyQuery, port: ReachPort, split: ReachSplit): WhyAnswer {
  const routes = routesOf(rq, split);
  return {
    allowed: false, denial: 'no-matching-rule', port: port.port,
    reason: `${q.from} → ${q.to}: every rule of ${routes} matches on query parameters, which gRPC calls do not carry, so compile gives proxyless gRPC clients no route to it (MESH1214)`,
    via: [rq.serviceStep(q.to, port, `parent of ${routes}: ${split.rules.length} rule match(es), each on query parameters`)],
  };
}

/** A Gateway API route on a TCP port of its Service: the first rule without matches takes every connection. */
function tcpAnswer(rq: ReachQuery, q: WhyQuery, port: ReachPort, split: ReachSplit): WhyAnswer {
  const i = split.rules.findIndex((r) => r.matches.length === 0);
  if (i >= 0) return ruleAnswer(rq, q, port, split, i);
  const routes = routesOf(rq, split);
  return {
    allowed: false, denial: 'no-matching-rule', port: port.port,
    reason: `${q.from} → ${q.to}: port ${port.port} is ${portProtocol(port).toUpperCase()} and every rule of ${routes} matches on HTTP attributes, which its connections do not carry, so no rule routes them`,
    via: [rq.serviceStep(q.to, port, `parent of ${routes}: ${split.rules.length} rule match(es), none without matches`)],
  };
}

const routeName = (s: TrafficSplit | undefined) => splitLabel(s, s ? `${s.meta.namespace}/${s.meta.name}` : '?');

/** The routes (or TrafficSplits) whose rules route a Service, as messages list them. */
const routesOf = (rq: ReachQuery, split: ReachSplit) => [...new Set(split.rules.map((r) => routeName(rq.index.trafficSplits.get(r.split))))].join(', ');

/** How messages name a rule: the TrafficSplit, or for a lowered GAMMA rule its route, rule and match. */
function ruleLabel(rq: ReachQuery, split: ReachSplit, rule: ReachRule): string {
  const obj = rq.index.trafficSplits.get(rule.split);
  // A split-shaped Gateway API route (lowered as a TrafficSplit) is named as the user wrote it: its one rule, or the
  // rule with matches whose other requests go to the Service's own pods.
  if (!obj?.gamma || split.unmatched === 'root') {
    const name = splitLabel(obj, rule.split);
    return obj?.synthesizedFrom && rule.matches.length > 0 ? `the matching rule of ${name}` : name;
  }
  return `${routeName(obj)} rule ${obj.gamma.rule}${rule.matchIndex !== undefined ? ` (match ${rule.matchIndex})` : ''}`;
}

/**
 * Whether a rule takes the request (every request without one, or when the rule has no matches). For proxyless gRPC
 * clients a match on query parameters is no route at all (query-grpc.ts), so a rule takes only what its other
 * matches take, and without a request it takes traffic only if it has another match.
 */
function ruleApplies(rq: ReachQuery, rule: ReachRule, req: HttpRequest | undefined): boolean {
  if (rule.matches.length === 0 || (!req && rq.target !== 'grpc')) return true;
  for (const g of rule.matches) {
    const group = rq.index.httpRouteGroups.get(g);
    if (!group) continue;
    for (const [i, m] of group.matches.entries()) {
      if (rule.matchIndex !== undefined && i !== rule.matchIndex) continue;
      if (rq.target === 'grpc' && grpcDropsMatch(m)) continue;
      if (!req) return true;
      const admitted = { group: g, index: i, name: m.name, pathRegex: m.pathRegex, methods: m.methods, headers: m.headers, queryParams: m.queryParams };
      if (matchMismatch(admitted, req) === null) return true;
    }
  }
  return false;
}

/** The verdict of one rule's backends for the caller. */
function ruleAnswer(rq: ReachQuery, q: WhyQuery, port: ReachPort, split: ReachSplit, ruleIndex: number): WhyAnswer {
  const rule = split.rules[ruleIndex]!;
  const splitObj = rq.index.trafficSplits.get(rule.split)!;
  const label = ruleLabel(rq, split, rule);
  const steps: SplitStep[] = [];
  let allowedWeight = 0;
  // Shares are out of the backends that take traffic on this port: an excluded one's requests go to the others.
  let totalWeight = 0;
  const denied: SplitStep[] = [];
  const excluded: { step: SplitStep; why: string }[] = [];
  rule.backends.forEach((b, i) => {
    const svc = rq.reach.services[b.service];
    const bport = svc?.ports.find((p) => p.port === port.port && p.protocol === port.protocol);
    let why: string | undefined;
    if (!svc) why = 'its Service does not exist';
    else if (!bport) why = `it has no port ${port.port}/${port.protocol}`;
    else if (svc.identities.length === 0) why = 'its selector matches no pod';
    const direct = why === undefined ? rq.direct(q.from, b.service, bport!, q.request) : undefined;
    if (direct && rq.target === 'grpc' && grpcLeavesOut(rq.delivery, b.service, bport!.port, direct)) why = GRPC_NO_ADDRESSES;
    const v: Verdict = why === undefined ? direct! : deniedBy('excluded-backend', `excluded from the split: ${why}, so it gets no traffic`, []);
    const s: SplitStep = { backend: b.service, weight: b.weight, allowed: v.allowed, reason: v.reason, via: [step(splitObj.meta, ['spec', 'backends', i], `backend ${b.service}, weight ${b.weight}`), ...v.via] };
    if (v.denial) s.denial = v.denial;
    if (why !== undefined) {
      s.excluded = true;
      if (b.weight > 0) excluded.push({ step: s, why });
    } else {
      totalWeight += b.weight;
      if (v.allowed) allowedWeight += b.weight;
      else if (b.weight > 0) denied.push(s);
    }
    steps.push(s);
  });
  const via = [
    rq.serviceStep(q.to, port, `root of ${label}`), step(splitObj.meta, ['spec', 'service'], `splits ${q.to} over ${rule.backends.length} backend(s)`),
    ...splitRouteSteps(rq.index, splitObj, rule.matches),
  ];
  const left = excluded.map((e) => `${e.step.backend} (${e.why})`).join(', ');
  const leftOut = excluded.length === 0 ? '' : `; ${left} ${excluded.length === 1 ? 'is' : 'are'} excluded and get${excluded.length === 1 ? 's' : ''} no traffic, so the shares are over the other backends`;
  let allowed: boolean;
  let reason: string;
  let denial: Denial | undefined;
  if (rule.totalWeight <= 0) {
    allowed = false;
    denial = 'split-routes-nothing';
    reason = rule.backends.length === 0
      ? `${q.from} → ${q.to}: ${label} has no backends, so it routes nothing`
      : `${q.from} → ${q.to}: every backend of ${label} has weight 0, so it routes nothing`;
  } else if (totalWeight <= 0) {
    allowed = false;
    denial = 'split-routes-nothing';
    reason = `${q.from} → ${q.to}: no backend of ${label} can take traffic on port ${port.port}: ${left}`;
  } else if (denied.length === 0) {
    allowed = true;
    reason = `${q.from} → ${q.to}: ${label} sends ${q.request ? 'this request' : 'its traffic'} to ${rule.backends.filter((b, i) => b.weight > 0 && !steps[i]!.excluded).length} backend(s), and every one allows ${q.from}${leftOut}`;
  } else {
    allowed = false;
    denial = 'split-backend-denies';
    let parts: string[];
    if (denied.length <= MAX_LISTED) {
      parts = denied.map((d) => `${pct(d.weight, totalWeight)} of requests go to ${d.backend}, ${rq.deniedClause(d, q.from)}`);
    } else {
      const weight = denied.reduce((sum, d) => sum + d.weight, 0);
      const names = denied.slice(0, MAX_LISTED).map((d) => d.backend).join(', ');
      parts = [`${pct(weight, totalWeight)} of requests go to ${denied.length} backends (${names} and ${denied.length - MAX_LISTED} more) that do not admit ${q.from}`];
    }
    reason = `${q.from} → ${q.to}: ${parts.join('; ')}` + (allowedWeight > 0 ? ` (the other ${pct(allowedWeight, totalWeight)} are allowed)` : '') + leftOut;
  }
  return { allowed, reason, ...(denial ? { denial } : {}), port: port.port, via, split: steps, ...(split.unmatched === 'none' ? { rule: ruleIndex } : {}) };
}
