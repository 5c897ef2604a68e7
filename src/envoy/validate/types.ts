/** One finding of Envoy self-validation. */
export interface Violation {
  /**
   * Where, with proto field names and indexes, looking through Any:
   * `filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].domains`.
   * Map entries: `typed_per_filter_config["envoy.filters.http.rbac"]`. '' = the message itself.
   */
  path: string;
  /**
   * Stable rule id: a PGV rule (`string.min_len`, `repeated.min_items`,
   * `message.required`, `oneof.required`, `enum.defined_only`, …), a JSON/wire
   * error (`json.unknown_field`, `any.unknown_type`, …), an Envoy C++ check
   * (`envoy.duration`, `envoy.regex`, `deprecated`), or an invariant
   * (`invariant.*`, `grpc.*`).
   */
  rule: string;
  /** Envoy's wording where there is one ("value length must be at least 1 characters"). */
  message: string;
  /** 'warning' only for deprecated fields and enum values; everything else makes Envoy reject the resource. */
  severity: 'error' | 'warning';
  /** For snapshot invariants: the resource the path belongs to. */
  resource?: { typeUrl: string; name: string };
}
