/** What every model builder gets: the document, its kind and version, and a way to report. */
import { catalogMessage, type Code, type MessageArgs } from '../core/catalog/index.ts';
import type { MeshcConfig } from '../config/types.ts';
import type { Path } from '../core/types.ts';
import type { RawDocument } from '../load/index.ts';
import type { SchemaIssue, SchemaTarget } from '../schema/issues.ts';
import type { KindInfo } from '../schema/kinds.ts';
import type { ObjectMeta } from './types.ts';

export interface ModelContext {
  raw: RawDocument;
  info: KindInfo;
  target: SchemaTarget;
  config: MeshcConfig;
  /** Findings of model building (paths in the source layout). An error rejects the object. */
  issues: SchemaIssue[];
}

export type Obj = Record<string, unknown>;

export const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A string map, copied so that keys such as `__proto__` stay plain data. */
export function stringMap(v: unknown): Record<string, string> {
  const o = asObj(v);
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** ObjectMeta of the document; `rewrites` map canonical paths to the source layout. */
export function buildMeta(ctx: ModelContext, rewrites: [Path, Path][] = []): ObjectMeta {
  const metadata = asObj(ctx.raw.value.metadata) ?? {};
  const written = asString(metadata.namespace);
  const defaulted = !ctx.info.clusterScoped && !written;
  const meta: ObjectMeta = {
    apiVersion: ctx.target.apiVersion,
    kind: ctx.target.kind,
    namespace: ctx.info.clusterScoped ? '' : written || ctx.config.namespace,
    name: asString(metadata.name) ?? '',
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    origin: rewrites.length > 0 ? { doc: ctx.raw.doc, path: ctx.raw.path, rewrites } : { doc: ctx.raw.doc, path: ctx.raw.path },
  };
  if (defaulted) meta.namespaceDefaulted = true;
  return meta;
}

export function issue<C extends Code>(ctx: ModelContext, code: C, args: MessageArgs<C>, path: Path, key?: boolean): void {
  const message = catalogMessage(code, args);
  ctx.issues.push(key ? { ...message, path, key } : { ...message, path });
}
