/**
 * What a reachability question (query.ts ReachQuery) asks and answers: the
 * question, the verdict with the chain of resources that decided it, the
 * split it went through, and the problems of a question that names no
 * identity, service or port of the mesh. Data only, so that the split
 * answers (query-split.ts) and the commands share it without the engine.
 */
import type { Origin, Path } from '../core/types.ts';
import type { ObjectMeta } from '../model/types.ts';
import type { HttpRequest } from './request.ts';
import type { IdentityKey, ServiceKey } from './types.ts';
import { sharePercent } from './suggest.ts';

/** One resource in the chain that decided an answer; `path` is canonical inside the object. */
export interface ViaStep {
  kind: string;
  namespace: string;
  name: string;
  origin: Origin;
  path: Path;
  /** What this resource contributed, in words. */
  note: string;
}

/**
 * Why an answer is a denial, as data (`reason` says it in words for people):
 * - 'no-matching-rule': Gateway API mesh routes are attached to the Service and no rule matches the request (404);
 * - 'no-workloads': the Service selects no pod, nobody serves it;
 * - 'request-not-admitted': grants admit the caller on this port, but none of their routes matches the request;
 * - 'http-rule-on-tcp-port': the caller's TrafficTargets have only HTTP rules, and the port is plain TCP;
 * - 'no-rule-for-port': TrafficTargets list the caller, but no rule of theirs covers this port;
 * - 'not-a-source': no TrafficTarget for the destination identity lists the caller;
 * - 'excluded-backend': a split backend that takes no traffic on this port (no Service, no such port, no pod; for
 *   proxyless gRPC clients, no known endpoint address);
 * - 'split-routes-nothing': every backend of the split has weight 0, or none can take traffic on this port;
 * - 'split-backend-denies': some share of the split goes to backends that deny the caller;
 * - 'pods-deny-caller': the caller's traffic reaches pods of the Service whose identity does not admit it
 *   (their endpoints cannot be told apart, MESH0630);
 * - 'not-delivered': allowed by policy, but the caller's outbound listener cannot carry the port (MESH0631), or
 *   (proxyless gRPC clients) the port is TCP (MESH0863) or its endpoint addresses are unknown (MESH0855).
 */
export type Denial =
  | 'no-matching-rule' | 'no-workloads' | 'request-not-admitted' | 'http-rule-on-tcp-port' | 'no-rule-for-port' | 'not-a-source'
  | 'excluded-backend' | 'split-routes-nothing' | 'split-backend-denies' | 'pods-deny-caller' | 'not-delivered';

/** What the compiled configuration does with this edge beyond the policy (src/reach/delivery.ts), with its check code. */
export interface DeliveryNote {
  code: 'MESH0630' | 'MESH0631' | 'MESH0632' | 'MESH0633' | 'MESH0634' | 'MESH0855' | 'MESH0863';
  note: string;
}

export interface SplitStep {
  backend: ServiceKey;
  weight: number;
  allowed: boolean;
  /** Set when the backend denies the caller. */
  denial?: Denial;
  /** The backend takes no traffic on this port (no such port, no Service, no pod; for gRPC clients, no known address): the others share its requests. */
  excluded?: boolean;
  reason: string;
  via: ViaStep[];
}

export interface WhyAnswer {
  allowed: boolean;
  reason: string;
  /** Set when the answer is a denial. */
  denial?: Denial;
  /** Service port the answer is about. */
  port: number;
  via: ViaStep[];
  /** Present when a TrafficSplit decided where the traffic goes. */
  split?: SplitStep[];
  /** The rule (index in the root's `ReachSplit.rules`) whose backends `split` lists, when the root has several (Gateway API routes). */
  rule?: number;
  /** Present when the compiled configuration does not deliver the edge as the policy says (or delivers more). */
  delivery?: DeliveryNote;
}

export interface WhyQuery {
  from: IdentityKey;
  to: ServiceKey;
  port?: number;
  /** An HTTP request; undefined asks whether any traffic at all is admitted. */
  request?: HttpRequest;
}

/**
 * One thing wrong with a question, by the part of it that is wrong (so a test
 * case can point at its field): `kind` and its data let a caller report it
 * under a code of its own; `message` says it in one line.
 */
export type QueryProblem = { field: 'from' | 'to' | 'port'; message: string } & QueryProblemKind;
export type QueryProblemKind =
  /** `what`: the part that is wrong (ServiceAccount name, namespace); `fault`: why it is no such name; `wildcard`: it looks like `*`. */
  | { kind: 'invalid-identity'; from: string; value: string; what: string; fault: string; wildcard: boolean }
  | { kind: 'unknown-identity'; from: string; near: string[] }
  | { kind: 'unknown-service'; to: string; near: string[] }
  /** `ports`: the Service's ports, `port/protocol` comma-separated ('none' without any). */
  | { kind: 'unknown-port'; to: string; port: number; ports: string }
  | { kind: 'no-ports'; to: string };

/** `; did you mean 'a', 'b'?` for the near names, or ''. */
export const nearNamesHint = (near: string[]): string => (near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '');

/** `error` is every problem's message, one per line. */
export type WhyResult = { ok: true; answer: WhyAnswer } | { ok: false; error: string; problems: QueryProblem[] };

export interface Verdict { allowed: boolean; reason: string; via: ViaStep[]; denial?: Denial; delivery?: DeliveryNote }

export const deniedBy = (kind: Denial, reason: string, via: ViaStep[]): Verdict => ({ allowed: false, reason, via, denial: kind });


export const step = (meta: ObjectMeta, path: Path, note: string): ViaStep =>
  ({ kind: meta.kind, namespace: meta.namespace, name: meta.name, origin: meta.origin, path, note });

export const pct = (w: number, total: number) => `${sharePercent(w, total)}%`;
/** Denied backends listed one by one in a reason; beyond that they are summarised. */
export const MAX_LISTED = 3;
