import type { Code, MessageArgs } from '../core/catalog/index.ts';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic, Origin, Path, ResourceRef } from '../core/types.ts';
import type { MeshIndex } from '../model/index-lookup.ts';
import type { Mesh, ObjectMeta } from '../model/types.ts';
import type { SourceSet } from '../source/source-set.ts';
import type { MeshcConfig } from '../config/types.ts';

/** What a rule reports against: an object (its meta) and a canonical path inside it. */
export interface At {
  meta: ObjectMeta;
  path?: Path;
  /** Point at the key of the last path segment (e.g. an unknown field) instead of its value. */
  key?: boolean;
}

export interface RuleContext {
  mesh: Mesh;
  index: MeshIndex;
  sources: SourceSet;
  config: MeshcConfig;
  report<C extends Code>(code: C, args: MessageArgs<C>, at: At, related?: { message: string; at: At }[]): Diagnostic;
}

/**
 * A lint rule (ESLint-style): one module per rule, named by its id.
 * `inputs` are the mesh collections it reads; a rule whose inputs are all
 * empty is skipped (istioctl's RemoveSkipped).
 */
export interface Rule {
  id: string;
  description: string;
  codes: Code[];
  inputs: (keyof Mesh)[];
  run(ctx: RuleContext): void;
}

export function makeRuleContext(mesh: Mesh, index: MeshIndex, sources: SourceSet, config: MeshcConfig, sink: DiagnosticSink): RuleContext {
  return { mesh, index, sources, config, report: makeRuleReport(sources, sink) };
}

/** RuleContext.report: places the finding against `sources` and reports it to `sink`. */
export function makeRuleReport(sources: SourceSet, sink: DiagnosticSink): RuleContext['report'] {
  const rangeOf = (at: At) => sources.locate(at.meta.origin, at.path ?? [], { key: at.key });
  const ref = (meta: ObjectMeta): ResourceRef => ({ apiVersion: meta.apiVersion, kind: meta.kind, namespace: meta.namespace, name: meta.name });
  return (code, args, at, related) => sink.report(code, args, rangeOf(at), ref(at.meta), {
    related: related?.map((r) => ({ message: r.message, range: rangeOf(r.at) })),
  });
}

export type { Origin };
