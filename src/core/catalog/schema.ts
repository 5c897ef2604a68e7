import type { CatalogEntry } from './types.ts';

/** MESH0100–MESH0199: schema validation, API versions, model building. */
export const schemaCatalog = <const>[
  {
    code: 'MESH0100', name: 'missing-api-version', severity: 'error', area: 'schema',
    message: 'document has no apiVersion{hint}',
    doc: 'Every Kubernetes object names its API group and version in `apiVersion`. meshc does not guess it: the SMI versions differ in layout and meaning (for example TrafficSplit v1alpha1 weights are Quantities, later ones integers), and many examples in the SMI documents leave `apiVersion` out. Add it, for example `apiVersion: access.smi-spec.io/v1alpha3`.',
  },
  {
    code: 'MESH0101', name: 'missing-kind', severity: 'error', area: 'schema',
    message: 'document has no kind{hint}',
    doc: 'Every Kubernetes object names its type in `kind`. Without it meshc cannot tell what the document is. Add the kind (TrafficTarget, HTTPRouteGroup, Service, …) or remove the document from the checked paths.',
  },
  {
    code: 'MESH0102', name: 'unknown-api-version', severity: 'error', area: 'schema',
    message: '{kind} does not exist in {apiVersion}: meshc accepts {accepted}',
    doc: 'The API group is right but the version is not one meshc knows for this kind (a typo, or a version that was never published). An API server would refuse the object. Use one of the listed versions; for SMI the latest released ones are access.smi-spec.io/v1alpha3, specs.smi-spec.io/v1alpha4 and split.smi-spec.io/v1alpha4.',
  },
  {
    code: 'MESH0103', name: 'wrong-api-group', severity: 'error', area: 'schema',
    message: '{kind} is not part of {given}: it belongs to {group} (write `apiVersion: {suggestion}`)',
    doc: 'The kind exists, but in another API group than the one `apiVersion` names (for example `apiVersion: v1alpha1` without a group, or an HTTPRouteGroup under access.smi-spec.io). An API server would not find the type. Fix the group in `apiVersion`.',
  },
  {
    code: 'MESH0104', name: 'unknown-smi-kind', severity: 'error', area: 'schema',
    message: '{group} has no kind {kind}: its kinds are {kinds}{hint}',
    doc: 'The document uses an SMI API group, but a kind that group does not define, usually a typo. Fix the kind.',
  },
  {
    code: 'MESH0105', name: 'unknown-smi-group', severity: 'error', area: 'schema',
    message: 'unknown SMI API group {group}{hint}',
    doc: 'The API group looks like an SMI group but is not one: it ends in smi-spec.io, or it is a typo away from an SMI group (`split.smi-specs.io`, `acess.smi-spec.io`). '
      + 'SMI defines access.smi-spec.io, specs.smi-spec.io, split.smi-spec.io and metrics.smi-spec.io. An API server would not find the type, so the object never takes effect; '
      + 'it is an error rather than a skipped kind (MESH0010) because such an object is meant to configure the mesh.',
  },
  {
    code: 'MESH0106', name: 'draft-api', severity: 'warning', area: 'schema',
    message: '{kind} {apiVersion} is an unreleased SMI draft{hint}',
    doc: 'access.smi-spec.io/v1alpha4 (TrafficTarget with IdentityBinding subjects) and IdentityBinding were written in 2022 but never released: the last SMI release (v0.6.0) has access v1alpha3, and only the smi-controller-sdk CRDs serve the draft. meshc accepts them, so that a mesh built on the draft can be checked. Pass `--draft` (or set `draft: true` in the configuration) to accept drafts without this warning.',
  },
  {
    code: 'MESH0107', name: 'traffic-metrics-ignored', severity: 'info', area: 'schema',
    message: '{kind} ({apiVersion}) is read-only metrics API output, not configuration: ignored',
    doc: 'metrics.smi-spec.io objects (TrafficMetrics, TrafficMetricsList) are produced by an aggregated metrics API; nothing in them configures the mesh. meshc skips them.',
  },
  {
    code: 'MESH0108', name: 'layout-mismatch', severity: 'error', area: 'schema',
    message: 'top-level `matches` is the specs.smi-spec.io/v1alpha1/v1alpha2 layout: in HTTPRouteGroup {apiVersion} it belongs under `spec.matches`; an API server would silently drop it and leave the group without routes',
    doc: 'An HTTPRouteGroup declaring specs.smi-spec.io/v1alpha3 or v1alpha4 has `matches` at the top level, the v1alpha1/v1alpha2 layout. An API server silently drops the misplaced field, leaving a group without routes, so a TrafficTarget naming it allows nothing. '
      + 'Move `matches` under `spec`, or change `apiVersion` to the version whose layout you wrote. The other layout mix-ups are MESH0130 (TrafficTarget fields at the top level), MESH0131 (TrafficTarget v1alpha1 with `spec`) and MESH0132 (HTTPRouteGroup v1alpha1/v1alpha2 with `spec`).',
  },
  {
    code: 'MESH0109', name: 'unknown-field', severity: 'error', area: 'schema',
    message: 'unknown field `{field}` {where}: {owner} has no such field, an API server would silently drop it{hint}',
    doc: 'The field is not part of this kind and version. A Kubernetes API server prunes unknown fields of custom resources without an error, so the object that takes effect differs from the one you wrote: a typo, a field of another version (`destination.port` exists only up to access v1alpha2) or a field at the wrong level. Remove or move it.',
  },
  {
    code: 'MESH0110', name: 'missing-field', severity: 'error', area: 'schema',
    message: 'missing required field `{field}` {where} ({owner}){hint}',
    doc: 'The SMI CRDs (or Kubernetes) require this field. meshc takes the stricter requirements of the two upstream SMI CRD sets (smi-sdk-go and smi-controller-sdk).',
  },
  {
    code: 'MESH0111', name: 'wrong-type', severity: 'error', area: 'schema',
    message: '{path} must be {expected}, not {actual}{hint}',
    doc: 'The value has the wrong type, for example a port written as a string ("9091") or a header value written as a number. meshc converts nothing: an API server rejects such objects, and a silent conversion would hide the mistake. Quote strings and leave numbers unquoted.',
  },
  {
    code: 'MESH0112', name: 'invalid-value', severity: 'error', area: 'schema',
    message: '{path} is {value}: {reason}',
    doc: 'The value has the right type but is not allowed: an HTTP method outside the SMI list, a port outside 1–65535, a negative weight, an empty list where one entry is required, …',
  },
  {
    code: 'MESH0113', name: 'invalid-name', severity: 'error', area: 'schema',
    message: 'metadata.name {name} is not a valid {kind} name ({fault}): it must be {rule}',
    doc: 'The API server checks names by kind, and rejects any other: most kinds (ServiceAccount, workloads, SMI resources) take a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters); '
      + 'a Namespace a DNS-1123 label (no "."; at most 63 characters); a Service a DNS-1035 label (no ".", starting with a letter, at most 63 characters), since its name becomes a DNS label such as `reviews.shop.svc.cluster.local`. '
      + 'meshc relies on it too (names of objects it synthesises contain a character real names cannot have). Fix: rename the object (and the references to it).',
  },
  {
    code: 'MESH0114', name: 'invalid-quantity', severity: 'error', area: 'schema',
    message: 'weight {value} in {path} is not a valid weight: {reason}',
    doc: 'split.smi-spec.io/v1alpha1 weights are Kubernetes Quantities: a non-negative integer (1 = 1000m) or a string such as "500m", "1.5", "1k", "1Ki" or "1e3". Negative weights are rejected.',
  },
  {
    code: 'MESH0115', name: 'quantity-out-of-range', severity: 'error', area: 'schema',
    message: 'weight {value} of backend {service} cannot be compared exactly with the other weights of this TrafficSplit: {reason}',
    doc: 'meshc turns v1alpha1 Quantity weights into whole milli-units, scaling the whole split by a power of ten when a weight is finer than 1m (never rounding one weight alone). When that needs numbers larger than 2^53 the weights cannot be compared exactly. '
      + 'The position points at the weight that needs the most digits (or that is more than 10^40 times the finest one). Use weights of similar magnitude with fewer digits.',
  },
  {
    code: 'MESH0116', name: 'header-list-item', severity: 'error', area: 'schema',
    message: 'header list item {path} has {count}: {reason}',
    doc: 'In the list form of HTTPRouteGroup headers (`headers: [{user-agent: ".*Android.*"}]`) every item is a map with exactly one header. The smi-sdk-go decoder fails on an item with several keys ("incorrect length of keyval"). Write one header per item, or use the map form.',
  },
  {
    code: 'MESH0117', name: 'duplicate-header', severity: 'error', area: 'schema',
    message: 'header {name} is matched twice in {path} (header names are case-insensitive)',
    doc: 'One match lists the same header twice. The two forms of `headers` normalise to one map, so one value would silently win. Combine the two regular expressions into one.',
  },
  {
    code: 'MESH0118', name: 'route-without-ports', severity: 'warning', area: 'schema',
    message: '{kind} has no spec.matches.ports: meshc reads it as every port; write `spec: {matches: {ports: []}}` to say so',
    doc: 'The SMI prose says a TCPRoute or UDPRoute without ports matches every port, and older TCPRoutes had no `spec` at all. A v1alpha4 route without `spec` is accepted by an API server and read as every port, with this warning; `ports: []` is the portable way to say "every port". '
      + 'Why `spec: {}` and `spec: {matches: {}}` are errors (MESH0110) instead, although the prose reads them alike: the smi-sdk-go CRD requires `matches`, and `ports` in it, as soon as `spec` is written, so an API server rejects those objects outright, and meshc reports what `kubectl apply` would refuse.',
  },
  {
    code: 'MESH0119', name: 'endpointslice-without-service', severity: 'warning', area: 'schema',
    message: 'EndpointSlice has no kubernetes.io/service-name label: it belongs to no Service and is ignored',
    doc: 'Kubernetes ties an EndpointSlice to its Service with the label `kubernetes.io/service-name`. Without it meshc cannot tell whose endpoints these are.',
  },
  {
    code: 'MESH0120', name: 'invalid-namespace', severity: 'error', area: 'schema',
    message: 'metadata.namespace {name} is not a valid namespace name ({fault}): it must be {rule}',
    doc: 'The API server rejects an object whose metadata.namespace is not a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters), '
      + 'as it rejects the same string as a Namespace name or in a TrafficTarget subject. A template placeholder left in (`namespace: <NAMESPACE>`, `${NS}`) is the usual cause: '
      + 'fill it in before checking (e.g. with `sed` or `envsubst`), or leave metadata.namespace out and pass `--namespace`.',
  },
  {
    code: 'MESH0121', name: 'invalid-reference-name', severity: 'error', area: 'schema',
    message: '{path} {name} is not a valid {what} name ({fault}): it must be {rule}',
    doc: 'A field that names another object holds a name no such object can have, and the API server rejects it as it would reject the object itself: '
      + 'a pod\'s `serviceAccountName` (or its deprecated alias `serviceAccount`) must be a DNS-1123 subdomain, like every ServiceAccount name. '
      + 'Usually a typo or an unfilled template placeholder; fix the name.',
  },
  {
    code: 'MESH0130', name: 'traffic-target-flat-layout', severity: 'error', area: 'schema',
    message: 'TrafficTarget {apiVersion} has {fields} at the top level, the access.smi-spec.io/v1alpha1 layout: since v1alpha2 they belong under `spec` (`specs` is called `rules` there), and an API server would silently drop them',
    doc: 'A TrafficTarget declaring access.smi-spec.io/v1alpha2 or later keeps `destination`, `specs` or `sources` at the top level, as v1alpha1 did. An API server silently drops the misplaced fields, leaving a TrafficTarget that allows nothing. '
      + 'Move them under `spec` (renaming `specs` to `rules`), or change `apiVersion` to access.smi-spec.io/v1alpha1 if that is the version you wrote.',
  },
  {
    code: 'MESH0131', name: 'traffic-target-spec-in-v1alpha1', severity: 'error', area: 'schema',
    message: '`spec` is the layout of access.smi-spec.io/v1alpha2 and later: TrafficTarget {apiVersion} keeps `destination`, `specs` and `sources` at the top level; change apiVersion to access.smi-spec.io/v1alpha3 (ports then move to a TCPRoute) or move the fields up',
    doc: 'A TrafficTarget declaring access.smi-spec.io/v1alpha1 has a `spec`, which that version does not have: v1alpha1 keeps `destination`, `specs` and `sources` at the top level. An API server silently drops `spec`, leaving a TrafficTarget that allows nothing. '
      + 'Change `apiVersion` to access.smi-spec.io/v1alpha3 (destination ports then move to a TCPRoute), or move the fields to the top level.',
  },
  {
    code: 'MESH0133', name: 'gateway-api-validation-rule', severity: 'error', area: 'schema',
    message: '{path}: {rule}',
    doc: 'An HTTPRoute or GRPCRoute breaks a validation rule (CEL, `x-kubernetes-validations`) of the Gateway API CRDs, quoted in their own words: '
      + 'a filter type without its configuration field or with another type\'s, a filter repeated that may appear once, RequestRedirect together with URLRewrite '
      + 'or with backendRefs, a ReplacePrefixMatch without exactly one PathPrefix match, a backendRef to a Service without `port`, two parentRefs to the same '
      + 'parent with the same sectionName and port, a header or query parameter matched twice by one name, two rules of one name, more than 128 matches in a route, '
      + 'a gRPC method match naming neither service nor method. An API server rejects such a route (`kubectl apply` fails), so meshc does not model it either. '
      + 'Path values the rules refuse (not starting with `/`, containing `//`, `/./`, `%2F` or `#`, …) and gRPC service or method names outside their patterns are MESH0112.',
  },
  {
    code: 'MESH0132', name: 'route-group-spec-in-old-version', severity: 'error', area: 'schema',
    message: '`spec.matches` is the layout of specs.smi-spec.io/v1alpha3 and later: HTTPRouteGroup {apiVersion} keeps `matches` at the top level; change apiVersion to specs.smi-spec.io/v1alpha4 or move `matches` up',
    doc: 'An HTTPRouteGroup declaring specs.smi-spec.io/v1alpha1 or v1alpha2 has a `spec`, which those versions do not have: they keep `matches` at the top level. An API server silently drops `spec`, leaving a group without routes. '
      + 'Change `apiVersion` to specs.smi-spec.io/v1alpha4, or move `matches` to the top level.',
  },
];
