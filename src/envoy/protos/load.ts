// Builds the protobufjs Root of the Envoy API, either from the .proto text
// (about 0.5 s) or from a prebuilt descriptor bundle (scripts/prebuild-protos.mjs).
// The bundle keeps the PGV annotations in structured form, because protobufjs'
// JSON descriptors only carry the lossy flattened options (see pgv-options.ts).
import protobuf from 'protobufjs';
import { locateProtos, makeResolver, type ProtoSources } from './locate.ts';
import { fieldRules, oneofRequired, parsedOption, setParsedOptions } from './pgv-options.ts';

/** Bump when the bundle layout or the annotation extraction changes. */
export const BUNDLE_FORMAT = 1;

export interface ProtoBundle {
  format: number;
  versions: ProtoSources['versions'];
  files: string[];
  descriptor: protobuf.INamespace;
  /** PGV annotations per message type: field rules, required oneofs, message-level flags. */
  annotations: Record<string, { fields?: Record<string, unknown>; oneofs?: string[]; message?: Record<string, unknown> }>;
}

/** Every message type under a namespace, depth first in declaration order. */
export function* allTypes(ns: protobuf.NamespaceBase): Generator<protobuf.Type> {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) yield nested;
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) yield* allTypes(nested as protobuf.NamespaceBase);
  }
}

export function loadRootFromProtos(sources: ProtoSources = locateProtos()): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = makeResolver(sources.includeDirs);
  root.loadSync(sources.files, { keepCase: true });
  root.resolveAll();
  return root;
}

const DROPPED_OPTION_PREFIXES = ['(validate.', '(udpa.annotations.', '(xds.annotations.'];

function stripOptions(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) stripOptions(item);
    return;
  }
  const obj = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'options' && value && typeof value === 'object') {
      const opts = value as Record<string, unknown>;
      for (const k of Object.keys(opts)) if (DROPPED_OPTION_PREFIXES.some((p) => k.startsWith(p))) delete opts[k];
      if (Object.keys(opts).length === 0) delete obj[key];
    } else {
      stripOptions(value);
    }
  }
}

export function makeBundle(root: protobuf.Root, sources: Pick<ProtoSources, 'files' | 'versions'>): ProtoBundle {
  const annotations: ProtoBundle['annotations'] = {};
  for (const type of allTypes(root)) {
    const entry: ProtoBundle['annotations'][string] = {};
    for (const field of type.fieldsArray) {
      const rules = fieldRules(field);
      if (rules) (entry.fields ??= {})[field.name] = rules;
    }
    for (const oneof of type.oneofsArray) if (oneofRequired(oneof)) (entry.oneofs ??= []).push(oneof.name);
    for (const name of ['(validate.disabled)', '(validate.ignored)']) {
      const value = parsedOption(type, name);
      if (value !== undefined) (entry.message ??= {})[name] = value;
    }
    if (entry.fields || entry.oneofs || entry.message) annotations[type.fullName.slice(1)] = entry;
  }
  const descriptor = root.toJSON({ keepComments: false }) as protobuf.INamespace;
  stripOptions(descriptor);
  return { format: BUNDLE_FORMAT, versions: sources.versions, files: sources.files, descriptor, annotations };
}

export function rootFromBundle(bundle: ProtoBundle): protobuf.Root {
  const root = protobuf.Root.fromJSON(bundle.descriptor);
  root.resolveAll();
  for (const [name, entry] of Object.entries(bundle.annotations)) {
    const type = root.lookupType(name);
    for (const [field, rules] of Object.entries(entry.fields ?? {})) {
      const f = type.fields[field];
      if (!f) throw new Error(`bundle: ${name} has no field ${field}`);
      setParsedOptions(f, [{ '(validate.rules)': rules }]);
    }
    for (const oneof of entry.oneofs ?? []) {
      const o = type.oneofs[oneof];
      if (!o) throw new Error(`bundle: ${name} has no oneof ${oneof}`);
      setParsedOptions(o, [{ '(validate.required)': true }]);
    }
    if (entry.message) setParsedOptions(type, Object.entries(entry.message).map(([k, v]) => ({ [k]: v })));
  }
  return root;
}
