import type { CatalogEntry } from './types.ts';

/** MESH0200–MESH0299: TrafficTarget rules. */
export const accessCatalog = <const>[
  {
    code: 'MESH0201', name: 'subject-kind-unsupported', severity: 'error', area: 'rules/access',
    message: '{role} kind "{kind}" is not supported: SMI identities are ServiceAccounts',
    doc: 'A TrafficTarget destination or source names an identity kind other than ServiceAccount (for example `Group`, `User` or `Service`). '
      + 'SMI access control only defines ServiceAccount subjects (plus IdentityBinding in the unreleased access v1alpha4 draft). '
      + 'Open Service Mesh skips the whole TrafficTarget (error codes E2010 for the destination, E2011 for a source), so the callers it was meant to allow get 403. '
      + 'Fix: use `kind: ServiceAccount` and the name of the ServiceAccount the pods run as. Anchor: smi.md 2.1; OSM E2010/E2011.',
  },
  {
    code: 'MESH0202', name: 'identity-binding-needs-draft', severity: 'error', area: 'rules/access',
    message: '{role} kind IdentityBinding exists only in the access v1alpha4 draft; {apiVersion} knows only ServiceAccount',
    doc: 'IdentityBinding subjects come from the unreleased `access.smi-spec.io/v1alpha4` draft; released versions (v1alpha1–v1alpha3) and implementations such as OSM only accept ServiceAccount. '
      + 'Fix: declare the TrafficTarget as `access.smi-spec.io/v1alpha4` and enable draft APIs (`draft: true` in .meshc.yaml), or use a ServiceAccount subject. Anchor: smi.md 2.2.',
  },
  {
    code: 'MESH0203', name: 'traffic-target-without-rules', severity: 'error', area: 'rules/access',
    message: 'TrafficTarget has no rules: it allows no traffic',
    doc: 'A valid TrafficTarget has at least one rule (smi-spec#188, fixed by smi-spec#192). With no rules nothing is granted, and OSM drops the object. '
      + 'Fix: add a rule naming an HTTPRouteGroup, TCPRoute or UDPRoute (for example a TCPRoute with `ports: []` for all ports), or delete the TrafficTarget.',
  },
  {
    code: 'MESH0204', name: 'traffic-target-without-sources', severity: 'error', area: 'rules/access',
    message: 'TrafficTarget has no sources: it allows no caller',
    doc: 'A valid TrafficTarget has at least one source (smi-spec#188, smi-spec#192). SMI has no wildcard source (smi-spec#51): every calling identity must be listed. '
      + 'Fix: list the ServiceAccounts allowed to call the destination, or delete the TrafficTarget.',
  },
  {
    code: 'MESH0205', name: 'destination-namespace-mismatch', severity: 'error', area: 'rules/access',
    message: 'destination namespace {destination} differs from the TrafficTarget namespace {namespace}{defaulted}',
    doc: 'OSM requires `spec.destination.namespace` to equal the TrafficTarget\'s own `metadata.namespace`: its admission webhook rejects other objects, and when the webhook is off they are silently ignored (osm#4116, osm#4151, osm#4177), so every caller gets 403. '
      + 'Fix: create the TrafficTarget in the destination\'s namespace. If the TrafficTarget has no `metadata.namespace`, the namespace came from `--namespace` (default `default`): set it explicitly.',
  },
  {
    code: 'MESH0206', name: 'subject-namespace-omitted', severity: 'warning', area: 'rules/access',
    message: '{role} namespace is not set: meshc assumes {namespace}, but {consequence}',
    doc: 'The SMI spec does not say what an empty `namespace` on a destination or source means (smi-spec#162, smi-spec#103). meshc, like Traefik Mesh, reads it as the TrafficTarget\'s own namespace. '
      + 'Other implementations disagree: OSM rejects a TrafficTarget whose destination namespace is not exactly its own namespace, and builds a source principal with an empty namespace, which no caller has (403). '
      + 'Fix: always write `namespace:` on the destination and on every source.',
  },
  {
    code: 'MESH0207', name: 'rule-target-not-found', severity: 'error', area: 'rules/access',
    message: '{kind} "{name}" not found in namespace {namespace}{hint}',
    doc: 'A TrafficTarget rule names a traffic spec (HTTPRouteGroup, TCPRoute or UDPRoute) that is not among the given files. Rules have no namespace field: the object must be in the TrafficTarget\'s namespace. '
      + 'OSM ignores the rule (E2005 for a missing HTTPRouteGroup), so the traffic it was meant to allow is denied. '
      + 'Fix: correct the name, create the object in this namespace, or — when it is managed elsewhere — declare it in `assumeExternal` (for example `HTTPRouteGroup/shop/*`). Anchor: smi-spec#216; OSM E2005.',
  },
  {
    code: 'MESH0208', name: 'rule-target-kind-mismatch', severity: 'error', area: 'rules/access',
    message: 'rule names {kind} "{name}", but {namespace}/{name} is of kind {actual}',
    doc: 'An object with the rule\'s name exists in the namespace, but with another kind: the rule resolves to nothing. A common slip is `kind: HTTPRouteGroup` for a TCPRoute or the reverse. '
      + 'Fix: set the rule\'s `kind` to the object\'s kind (and drop `matches` if it is a TCPRoute or UDPRoute).',
  },
  {
    code: 'MESH0209', name: 'rule-match-not-found', severity: 'error', area: 'rules/access',
    message: 'HTTPRouteGroup {group} has no match named "{match}"{hint}',
    doc: 'Names in `rules[].matches` select entries of the HTTPRouteGroup by their `name`. A name that is not in the group grants nothing, and OSM only writes a debug log about it, so the route returns 403 in production. '
      + 'Fix: use one of the group\'s match names (the hint suggests the closest), or add the match to the group. Anchor: smi.md 2.1; OSM `routesFromRules`.',
  },
  {
    code: 'MESH0210', name: 'matches-on-l4-rule', severity: 'error', area: 'rules/access',
    message: '`matches` has no meaning on a {kind} rule: it selects HTTPRouteGroup matches',
    doc: '`rules[].matches` names HTTP matches of an HTTPRouteGroup. TCPRoute and UDPRoute have no named matches (their `matches` is a port list), so the names select nothing and implementations disagree on whether the rule still grants all ports. '
      + 'Fix: remove `matches` from the rule; to restrict ports, list them in the TCPRoute/UDPRoute `spec.matches.ports`.',
  },
  {
    code: 'MESH0211', name: 'rule-kind-unknown', severity: 'error', area: 'rules/access', retired: true,
    message: 'rule kind "{kind}" is not a traffic spec: use HTTPRouteGroup, TCPRoute or UDPRoute',
    doc: 'Retired: the TrafficTarget schema of every version allows only these kinds, so an unknown rule kind is reported as MESH0112 invalid-value at `kind` ("expected HTTPRouteGroup, TCPRoute or UDPRoute", with a did-you-mean), which says the same. '
      + 'TrafficTarget rules reference traffic specs. Any other kind is rejected by the access CRD (v1alpha3) and dropped by OSM, so the rule grants nothing. Fix: reference an HTTPRouteGroup, TCPRoute or UDPRoute.',
  },
  {
    code: 'MESH0212', name: 'subject-not-found', severity: 'error', area: 'rules/access',
    message: '{role} {kind} {namespace}/{name} is not declared{hint}',
    doc: 'The given files are the whole world: a destination or source identity must be declared (a ServiceAccount manifest, or for draft subjects an IdentityBinding). '
      + 'A misspelt source means the real caller gets 403; a misspelt destination grants access to nobody. '
      + 'meshc also accepts a ServiceAccount that a declared workload runs as, and `default`, which Kubernetes creates in every namespace. '
      + 'A subject no ServiceAccount can be (a name that is no DNS-1123 subdomain or a namespace that is no DNS-1123 label, such as `"*"`: SMI has no wildcard subjects, smi-spec#51) is always reported, even when an `assumeExternal` glob matches it. '
      + 'Fix: correct the name or namespace, add the ServiceAccount manifest, or — for identities managed elsewhere — declare them in `assumeExternal` (for example `ServiceAccount/monitoring/*`). Anchor: IST0101; Kiali KIA0106.',
  },
  {
    code: 'MESH0213', name: 'http-rule-without-matches', severity: 'warning', area: 'rules/access',
    message: 'HTTPRouteGroup rule {name} {how}: the SMI spec grants every match of the group, OSM grants none',
    doc: 'The SMI spec says an HTTPRouteGroup rule without `matches` allows every match of the group. OSM reads only the listed names, so the same rule grants no route there (403). The two readings of one manifest differ. '
      + 'Fix: list the match names explicitly (`matches: [a, b]`), which both readings agree on. Anchor: smi.md 4.8; OSM `routesFromRules`.',
  },
  {
    code: 'MESH0214', name: 'udp-route-unsupported-by-osm', severity: 'info', area: 'rules/access',
    message: 'UDPRoute rule {name}: Open Service Mesh does not support UDPRoute and drops this TrafficTarget',
    doc: 'UDPRoute is part of specs v1alpha4 and access v1alpha3, but OSM ignores TrafficTargets with a rule kind other than HTTPRouteGroup or TCPRoute (`hasValidRules`), including the other rules of the same TrafficTarget. meshc compiles the rule. '
      + 'Fix (if the mesh also runs on OSM): keep UDP grants in a TrafficTarget of their own, so that the TCP and HTTP grants survive there.',
  },
];
