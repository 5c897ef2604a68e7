/**
 * A resource that cannot be represented as the Envoy message it claims to be:
 * an unknown field, an unknown `@type`, a value of the wrong JSON type, a
 * number out of range, two members of one oneof, undecodable bytes.
 * `path` uses proto field names (`virtual_hosts[0].routes[1].match`), and
 * looks through `Any` (`typed_config.route_config`), like Violation paths.
 */
export class EnvoyJsonError extends Error {
  override readonly name = 'EnvoyJsonError';
  constructor(
    /** Where the problem is; '' for the resource itself. */
    readonly path: string,
    /** Stable id of the problem: json.unknown_field, json.type, json.range, json.oneof, any.unknown_type, any.missing_type, wire.decode. */
    readonly rule: string,
    message: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
  /** The message without the path prefix. */
  get detail(): string {
    return this.path ? this.message.slice(this.path.length + 2) : this.message;
  }
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/** Map keys in paths: `typed_per_filter_config["envoy.filters.http.rbac"]`. */
export function joinMapKey(base: string, key: string): string {
  return `${base}[${JSON.stringify(key)}]`;
}
