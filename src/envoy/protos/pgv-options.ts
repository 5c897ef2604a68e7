// Reads protoc-gen-validate annotations from protobufjs reflection objects.
//
// protobufjs keeps custom options twice: flattened in `options`
// ("(validate.rules).string.min_len": 1) and structured in `parsedOptions`.
// The flattened form is lossy for Envoy's annotations: empty messages vanish
// (`duration = {gt {}}` on Cluster.connect_timeout leaves no key at all) and
// repeated values keep only the last element (`in: "a" in: "b"`). Only
// `parsedOptions` is used here; entries with the same option name are merged.
import type protobuf from 'protobufjs';

export type PgvRules = Record<string, unknown>;

type WithParsed = { parsedOptions?: Record<string, unknown>[] | null };

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const prev = target[key];
    if (prev && typeof prev === 'object' && !Array.isArray(prev) && value && typeof value === 'object' && !Array.isArray(value)) {
      mergeInto(prev as Record<string, unknown>, value as Record<string, unknown>);
    } else if (prev !== undefined && (Array.isArray(prev) || Array.isArray(value))) {
      target[key] = [...(Array.isArray(prev) ? prev : [prev]), ...(Array.isArray(value) ? value : [value])];
    } else {
      target[key] = value;
    }
  }
}

/** The merged value of one custom option, e.g. `(validate.rules)`, or undefined. */
export function parsedOption(obj: protobuf.ReflectionObject | protobuf.OneOf, name: string): unknown {
  const list = (obj as unknown as WithParsed).parsedOptions;
  if (!list) return undefined;
  let merged: unknown;
  for (const entry of list) {
    if (!Object.prototype.hasOwnProperty.call(entry, name)) continue;
    const value = entry[name];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (!merged || typeof merged !== 'object') merged = {};
      mergeInto(merged as Record<string, unknown>, structuredClone(value) as Record<string, unknown>);
    } else {
      merged = value;
    }
  }
  return merged;
}

// Results are cached per reflection object (the evaluator asks for every field of every message).
const ruleCache = new WeakMap<object, PgvRules | null>();
const flagCache = new WeakMap<object, boolean>();

/** `(validate.rules)` of a field: `{string: {min_len: 1}}`, `{message: {required: true}}`, … */
export function fieldRules(field: protobuf.Field): PgvRules | undefined {
  let rules = ruleCache.get(field);
  if (rules === undefined) {
    const value = parsedOption(field, '(validate.rules)');
    rules = value && typeof value === 'object' ? (value as PgvRules) : null;
    ruleCache.set(field, rules);
  }
  return rules ?? undefined;
}

function flag(obj: protobuf.ReflectionObject | protobuf.OneOf, compute: () => boolean): boolean {
  let value = flagCache.get(obj);
  if (value === undefined) flagCache.set(obj, (value = compute()));
  return value;
}

/** `option (validate.required) = true` on a oneof. */
export function oneofRequired(oneof: protobuf.OneOf): boolean {
  return flag(oneof, () => parsedOption(oneof, '(validate.required)') === true);
}

/** Message options `(validate.disabled)` / `(validate.ignored)`: skip all rules of the message. */
export function messageDisabled(type: protobuf.Type): boolean {
  return flag(type, () => parsedOption(type, '(validate.disabled)') === true || parsedOption(type, '(validate.ignored)') === true);
}

/** Replaces the parsed options of an object by the given ones (used when loading a bundle). */
export function setParsedOptions(obj: protobuf.ReflectionObject | protobuf.OneOf, entries: Record<string, unknown>[]): void {
  (obj as unknown as WithParsed).parsedOptions = entries;
  ruleCache.delete(obj);
  flagCache.delete(obj);
}
