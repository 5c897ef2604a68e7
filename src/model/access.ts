/**
 * TrafficTarget (v1alpha1–v1alpha4) and IdentityBinding → the canonical
 * access v1alpha3 shape. v1alpha1 is flat (`destination`, `specs`, `sources`
 * at the top level); v1alpha1/v1alpha2 `destination.port` becomes a
 * synthesised TCPRoute plus a rule naming it (the upstream converters drop it).
 */
import type { Path } from '../core/types.ts';
import { asList, asObj, asString, buildMeta, stringMap, type ModelContext, type Obj } from './context.ts';
import { refOf, type IdentityBinding, type IdentitySubject, type TCPRoute, type TrafficTarget, type TrafficTargetRule } from './types.ts';

/** Name of the TCPRoute synthesised for a TrafficTarget's destination.port. `:` never occurs in Kubernetes names, so it cannot collide. */
export function synthesizedRouteName(trafficTarget: string, port: number): string {
  return `${trafficTarget}:port-${port}`;
}

function subject(v: unknown, ownNamespace: string): IdentitySubject {
  const s = asObj(v) ?? {};
  const written = asString(s.namespace);
  return {
    kind: asString(s.kind) ?? '',
    name: asString(s.name) ?? '',
    namespace: written || ownNamespace,
    namespaceExplicit: Boolean(written),
  };
}

function rule(v: unknown): TrafficTargetRule {
  const r = asObj(v) ?? {};
  const out: TrafficTargetRule = { kind: asString(r.kind) ?? '', name: asString(r.name) ?? '' };
  if (Array.isArray(r.matches)) out.matches = r.matches.filter((m): m is string => typeof m === 'string');
  return out;
}

export function buildTrafficTarget(ctx: ModelContext): { target: TrafficTarget; route?: TCPRoute } {
  const value = ctx.raw.value;
  const flat = ctx.target.version === 'v1alpha1';
  const spec: Obj = flat ? value : (asObj(value.spec) ?? {});
  const base: Path = flat ? [] : ['spec'];
  const rulesKey = flat ? 'specs' : 'rules';
  const rewrites: [Path, Path][] = flat
    ? [[['spec', 'destination'], ['destination']], [['spec', 'rules'], ['specs']], [['spec', 'sources'], ['sources']], [['spec'], []]]
    : [];
  const rules = asList(spec[rulesKey]).map(rule);
  const destination = asObj(spec.destination) ?? {};
  const port = typeof destination.port === 'number' ? destination.port : undefined;
  const portPath: Path = [...base, 'destination', 'port'];
  if (port !== undefined) rewrites.push([['spec', 'rules', rules.length], portPath]);

  const meta = buildMeta(ctx, rewrites);
  const target: TrafficTarget = {
    meta,
    destination: subject(destination, meta.namespace),
    rules,
    sources: asList(spec.sources).map((s) => subject(s, meta.namespace)),
  };
  if (port === undefined) return { target };

  const name = synthesizedRouteName(meta.name, port);
  target.rules.push({ kind: 'TCPRoute', name });
  const route: TCPRoute = {
    meta: {
      apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', namespace: meta.namespace, name, labels: {}, annotations: {},
      // Every canonical path of this route lands on the `port` field it came from.
      origin: { doc: ctx.raw.doc, path: [...ctx.raw.path, ...portPath] },
      ...(meta.namespaceDefaulted ? { namespaceDefaulted: true } : {}),
    },
    ports: [port],
    synthesizedFrom: refOf(meta),
  };
  return { target, route };
}

export function buildIdentityBinding(ctx: ModelContext): IdentityBinding {
  const schemes = asObj(asObj(ctx.raw.value.spec)?.schemes) ?? {};
  const out: IdentityBinding = { meta: buildMeta(ctx) };
  const selector = asObj(schemes.podLabelSelector);
  if (selector && asObj(selector.matchLabels)) out.podLabelSelector = stringMap(selector.matchLabels);
  if (typeof schemes.serviceAccount === 'string') out.serviceAccount = schemes.serviceAccount;
  if (Array.isArray(schemes.spiffeIdentities)) out.spiffeIdentities = schemes.spiffeIdentities.filter((s): s is string => typeof s === 'string');
  return out;
}
