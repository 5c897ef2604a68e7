// Cached lookups over the Envoy API root: by full name or type URL, and the
// accepted JSON keys of each message (proto name and lowerCamelCase JSON name).
import protobuf from 'protobufjs';


import { typeNameOf, jsonNameOf } from './type-urls.ts';

export { typeNameOf, typeUrlOf, jsonNameOf } from './type-urls.ts';

export class TypeIndex {
  private readonly types = new Map<string, protobuf.Type | null>();
  private readonly names = new Map<protobuf.Type, Map<string, protobuf.Field>>();
  private readonly twins = new Map<protobuf.Type, Map<string, string>>();

  constructor(readonly root: protobuf.Root) {}

  /** The message type for a full name or type URL, or null. */
  find(nameOrUrl: string): protobuf.Type | null {
    const name = typeNameOf(nameOrUrl);
    let type = this.types.get(name);
    if (type === undefined) {
      // protobufjs' lookup also searches nested namespaces for partial names; accept exact full names only.
      const found = name ? this.root.lookup(name) : null;
      type = found instanceof protobuf.Type && found.fullName === `.${name}` ? found : null;
      this.types.set(name, type);
    }
    return type;
  }

  /** Like find, but only for a type URL with a host part (`…/pkg.Msg`). */
  byUrl(url: string): protobuf.Type | null {
    return url.includes('/') && !url.endsWith('/') ? this.find(url) : null;
  }

  type(nameOrUrl: string): protobuf.Type {
    const type = this.find(nameOrUrl);
    if (!type) throw new Error(`unknown message type ${nameOrUrl}`);
    return type;
  }

  jsonNames(type: protobuf.Type): Map<string, protobuf.Field> {
    let map = this.names.get(type);
    if (!map) {
      map = new Map();
      const twins = new Map<string, string>();
      for (const field of type.fieldsArray) {
        map.set(field.name, field);
        const json = jsonNameOf(field.name);
        if (!map.has(json)) {
          map.set(json, field);
          twins.set(field.name, json).set(json, field.name);
        }
      }
      this.names.set(type, map);
      this.twins.set(type, twins);
    }
    return map;
  }

  /** For each key of jsonNames(type) whose field has two spellings (proto name and JSON name): the other one. */
  twinNames(type: protobuf.Type): Map<string, string> {
    if (!this.twins.has(type)) this.jsonNames(type);
    return this.twins.get(type)!;
  }
}

const names = new WeakMap<object, string>();
/** `type.fullName` (with the leading dot), cached: protobufjs recomputes it from the parents on every access. */
export function fullNameOf(obj: protobuf.ReflectionObject): string {
  let name = names.get(obj);
  if (name === undefined) names.set(obj, (name = obj.fullName));
  return name;
}
