/**
 * Raw documents → the canonical mesh model. Per document: classify its
 * apiVersion/kind, validate it against the schema of its kind and version,
 * and upgrade it into the one model shape (src/model/types.ts). Objects that
 * fail validation stay out of the model but are recorded in `mesh.rejected`,
 * so that rules do not report them as "not found".
 */
import { catalogEntry } from '../core/catalog/index.ts';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { Origin, ResourceRef } from '../core/types.ts';
import type { MeshcConfig } from '../config/types.ts';
import type { RawDocument } from '../load/index.ts';
import type { SourceSet } from '../source/source-set.ts';
import { classify } from '../schema/classify.ts';
import type { SchemaIssue } from '../schema/issues.ts';
import type { KindInfo } from '../schema/kinds.ts';
import { validateObject } from '../schema/validate.ts';
import { buildIdentityBinding, buildTrafficTarget } from './access.ts';
import { asObj, asString, type ModelContext } from './context.ts';
import {
  buildEndpointSlice, buildEndpoints, buildNamespace, buildService, buildServiceAccount, buildWorkload,
} from './kubernetes.ts';
import { buildHTTPRouteGroup, buildTCPRoute, buildUDPRoute } from './specs.ts';
import { buildTrafficSplit } from './split.ts';
import { buildEgress, buildIngressBackend, buildMeshConfig, buildRetry, buildUpstreamTrafficSetting } from './osm.ts';
import { buildGammaRoute, buildReferenceGrant } from './gamma.ts';
import { lowerGammaRoutes } from './gamma-lower.ts';
import { emptyMesh, type Mesh } from './types.ts';
import type { DocumentMemo, ModelledObjects, ValidatedDocument } from './document-memo.ts';

/** Adds the modelled object(s) of one valid document to the mesh. */
function addToMesh(mesh: Mesh, ctx: ModelContext): void {
  switch (ctx.target.kind) {
    case 'TrafficTarget': {
      const { target, route } = buildTrafficTarget(ctx);
      mesh.trafficTargets.push(target);
      if (route) mesh.tcpRoutes.push(route);
      return;
    }
    case 'IdentityBinding': mesh.identityBindings.push(buildIdentityBinding(ctx)); return;
    case 'HTTPRouteGroup': mesh.httpRouteGroups.push(buildHTTPRouteGroup(ctx)); return;
    case 'TCPRoute': mesh.tcpRoutes.push(buildTCPRoute(ctx)); return;
    case 'UDPRoute': mesh.udpRoutes.push(buildUDPRoute(ctx)); return;
    case 'TrafficSplit': mesh.trafficSplits.push(buildTrafficSplit(ctx)); return;
    case 'MeshConfig': mesh.meshConfigs.push(buildMeshConfig(ctx)); return;
    case 'Egress': mesh.egresses.push(buildEgress(ctx)); return;
    case 'IngressBackend': mesh.ingressBackends.push(buildIngressBackend(ctx)); return;
    case 'UpstreamTrafficSetting': mesh.upstreamTrafficSettings.push(buildUpstreamTrafficSetting(ctx)); return;
    case 'Retry': mesh.retries.push(buildRetry(ctx)); return;
    case 'HTTPRoute':
    case 'GRPCRoute': mesh.gammaRoutes.push(buildGammaRoute(ctx)); return;
    case 'ReferenceGrant': mesh.referenceGrants.push(buildReferenceGrant(ctx)); return;
    case 'Namespace': mesh.namespaces.push(buildNamespace(ctx)); return;
    case 'ServiceAccount': mesh.serviceAccounts.push(buildServiceAccount(ctx)); return;
    case 'Service': mesh.services.push(buildService(ctx)); return;
    case 'Endpoints': mesh.endpoints.push(...buildEndpoints(ctx)); return;
    case 'EndpointSlice': {
      const set = buildEndpointSlice(ctx);
      if (set) mesh.endpoints.push(set);
      return;
    }
    default: mesh.workloads.push(buildWorkload(ctx));
  }
}

function refOfRaw(raw: RawDocument, config: MeshcConfig, kind: string, info?: KindInfo): ResourceRef {
  const metadata = asObj(raw.value.metadata) ?? {};
  return {
    apiVersion: asString(raw.value.apiVersion) ?? '',
    kind,
    namespace: info?.clusterScoped ? '' : asString(metadata.namespace) || config.namespace,
    name: asString(metadata.name) ?? '',
  };
}

const isError = (i: SchemaIssue) => catalogEntry(i.code).severity === 'error';

/**
 * What a run knows of documents' schema validation from earlier runs
 * (src/pipeline/clean-files.ts): skip(raw) when validating the object is known
 * to find nothing; flagged(raw) is told of each object validation found
 * something in.
 */
export interface SchemaHints {
  skip(raw: RawDocument): boolean;
  flagged(raw: RawDocument): void;
}

/**
 * Builds the mesh one document at a time, in input order (the loader hands
 * each file's documents over as soon as they are parsed, so modelling runs
 * while parse workers are still busy), then finish() adds what needs them
 * all. Exactly what buildMesh does with the whole list.
 */
export class MeshBuilder {
  readonly mesh = emptyMesh();
  private readonly skipped = new Map<string, { apiVersion: string; kind: string; count: number; first: Origin }>();
  private readonly defined = new Map<string, Origin>();
  // One scratch mesh for every document: its objects move to the mesh only when modelling it found no error.
  private readonly scratch = emptyMesh();
  private readonly collections = Object.keys(this.scratch) as (keyof Mesh)[];

  /** The configuration as a memo entry's settings (set when there is a memo). */
  private readonly settings: string;

  /**
   * `memo`: documents modelled by earlier loads of the session (check --watch), reused while unchanged;
   * `hints`: documents known to validate without a finding (not with a memo, which skips validation its own way).
   */
  constructor(
    private readonly sources: SourceSet, private readonly sink: DiagnosticSink, private readonly config: MeshcConfig,
    private readonly memo?: DocumentMemo, private readonly hints?: SchemaHints,
  ) {
    this.settings = memo ? JSON.stringify(config) : '';
  }

  /** Classifies, validates and models one document. */
  add(raw: RawDocument): void {
    const origin: Origin = { doc: raw.doc, path: raw.path };
    const report = (i: SchemaIssue, ref: ResourceRef | null) => {
      const written = i.valueArg ? this.sources.textAt(origin, i.path) : undefined;
      const args = written === undefined ? i.args : { ...i.args, [i.valueArg!]: written };
      this.sink.report(i.code, args, this.sources.locate(origin, i.path, { key: i.key }), ref);
    };
    const remembered = this.memo?.get(raw, this.settings);
    const validated = remembered ?? this.validate(raw, origin, report);
    if (!validated) return;
    if (!remembered) this.memo?.set(raw, this.settings, validated);
    const { ref } = validated;
    for (const i of validated.issues) report(i, ref);
    if (this.isDuplicate(validated, origin)) return;
    if (validated.invalid) {
      this.mesh.rejected.push({ ref, origin });
      return;
    }
    const model = (validated.model ??= this.model(raw, validated));
    for (const i of model.issues) report(i, ref);
    if (model.rejected) this.mesh.rejected.push({ ref, origin });
    else for (const [k, item] of model.objects) (this.mesh[k] as unknown[]).push(item);
  }

  /**
   * Classifies and validates one document. Kinds meshc does not model,
   * unreadable headers and metrics are handled here (undefined); an object
   * of a modelled kind is returned, with the schema findings to report.
   */
  private validate(raw: RawDocument, origin: Origin, report: (i: SchemaIssue, ref: ResourceRef | null) => void): ValidatedDocument | undefined {
    const { mesh, skipped, config } = this;
    const c = classify(raw.value);
    if (c.type === 'extra') {
      mesh.extra.push({ apiVersion: c.apiVersion, kind: c.kind, value: raw.value, origin });
      return undefined;
    }
    if (c.type === 'skip') {
      const k = JSON.stringify([c.apiVersion, c.kind]);
      const entry = skipped.get(k);
      if (entry) entry.count++;
      else skipped.set(k, { apiVersion: c.apiVersion, kind: c.kind, count: 1, first: origin });
      return undefined;
    }
    if (c.type === 'metrics') {
      report(c.issue, null);
      return undefined;
    }
    if (c.type === 'invalid') {
      const kind = c.info?.kind ?? asString(raw.value.kind) ?? '';
      const ref = refOfRaw(raw, config, kind, c.info);
      report(c.issue, kind ? ref : null);
      if (c.info) mesh.rejected.push({ ref, origin });
      return undefined;
    }
    const issues: SchemaIssue[] = [];
    if (c.draft && c.info.family === 'osm') {
      issues.push({ code: 'MESH1101', args: { kind: c.target.kind, apiVersion: c.target.apiVersion }, path: ['apiVersion'] });
    } else if (c.draft && !config.draft) {
      const hint = c.target.kind === 'IdentityBinding'
        ? ': it exists only in the access v1alpha4 draft (--draft, or `draft: true` in the configuration, accepts drafts without this warning)'
        : ': the latest released version is access.smi-spec.io/v1alpha3 (--draft, or `draft: true` in the configuration, accepts drafts without this warning)';
      issues.push({ code: 'MESH0106', args: { kind: c.target.kind, apiVersion: c.target.apiVersion, hint }, path: ['apiVersion'] });
    }
    const found = this.hints?.skip(raw) ? [] : validateObject(c.target, raw.value);
    if (found.length > 0) this.hints?.flagged(raw);
    for (const i of found) issues.push(i);
    return {
      info: c.info, target: c.target, ref: refOfRaw(raw, config, c.target.kind, c.info), named: typeof asObj(raw.value.metadata)?.name === 'string',
      issues, invalid: found.some(isError),
    };
  }

  /** Duplicates: the first definition wins (as in MeshIndex); the later one is reported and left out. */
  private isDuplicate(v: ValidatedDocument, origin: Origin): boolean {
    if (!v.named) return false;
    const { ref } = v;
    const { kind } = v.target;
    const key = `${kind}/${ref.namespace}/${ref.name}`;
    const first = this.defined.get(key);
    if (!first) {
      this.defined.set(key, origin);
      return false;
    }
    const { sources } = this;
    this.sink.report('MESH0012', {
      kind, namespace: ref.namespace || '(cluster-scoped)', name: ref.name, first: sources.where(first, ['metadata', 'name']),
    }, sources.locate(origin, ['metadata', 'name']), ref, { related: [{ message: 'first definition', range: sources.locate(first, ['metadata', 'name']) }] });
    return true;
  }

  /** Models a valid object that is not a duplicate. */
  private model(raw: RawDocument, v: ValidatedDocument): ModelledObjects {
    const ctx: ModelContext = { raw, info: v.info, target: v.target, config: this.config, issues: [] };
    addToMesh(this.scratch, ctx);
    const rejected = ctx.issues.some(isError);
    const objects: [keyof Mesh, unknown][] = [];
    for (const k of this.collections) {
      const items = this.scratch[k] as unknown[];
      if (items.length === 0) continue;
      if (!rejected) for (const item of items) objects.push([k, item]);
      items.length = 0;
    }
    const model = { objects, issues: ctx.issues, rejected };
    this.memo?.modelled(model);
    return model;
  }

  /** The mesh, once every document was added. */
  finish(): Mesh {
    const { mesh, sources, sink, config } = this;
    for (const s of this.skipped.values()) {
      sink.report('MESH0010', { count: s.count, kind: s.kind, apiVersion: s.apiVersion }, sources.locate(s.first, ['kind']));
    }
    // The second front end meets the first here: mesh routes become the splits reach and compile read.
    if (mesh.gammaRoutes.length > 0) lowerGammaRoutes(mesh, sources, sink, config);
    return mesh;
  }
}

export function buildMesh(documents: RawDocument[], sources: SourceSet, sink: DiagnosticSink, config: MeshcConfig, memo?: DocumentMemo): Mesh {
  const builder = new MeshBuilder(sources, sink, config, memo);
  for (const raw of documents) builder.add(raw);
  return builder.finish();
}
