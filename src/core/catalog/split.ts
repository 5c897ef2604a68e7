import type { CatalogEntry } from './types.ts';

/** MESH0400–MESH0499: TrafficSplit rules. */
export const splitCatalog = <const>[
  {
    code: 'MESH0401', name: 'split-root-not-found', severity: 'error', area: 'rules/split',
    message: 'root service "{service}" is not a Service in namespace {namespace}{hint}',
    doc: '`spec.service` is the root (apex) Service clients call; the split takes effect only for traffic to that Service, which must exist in the split\'s namespace (smi-spec#160). '
      + 'Without it clients have nothing to call and the split does nothing. '
      + 'Fix: correct the name, add the Service manifest, or — if the Service is managed elsewhere — declare it in `assumeExternal` (for example `Service/shop/*`).',
  },
  {
    code: 'MESH0402', name: 'split-root-dotted-name', severity: 'warning', area: 'rules/split',
    message: 'root service "{service}" is a qualified name; write the Service name "{short}"',
    doc: 'The released spec defines `spec.service` as a Service name in the split\'s namespace. Qualified forms (`name.namespace`, `name.namespace.svc.cluster.local`) come from the unreleased v1alpha5 draft (smi-spec#215, smi-spec#223); OSM resolves some of them (osm#2768, osm#2794, osm#2797), other implementations do not. '
      + 'meshc resolves the qualified name to the Service in the split\'s namespace. Fix: write the plain Service name.',
  },
  {
    code: 'MESH0403', name: 'split-root-without-selector', severity: 'warning', area: 'rules/split',
    message: 'root Service {service} has no selector: OSM never offers it to clients',
    doc: 'In the spec\'s workflow the root Service selects the pods of all backends. OSM (SMI mode) only programs clients for Services whose selector matches pods (osm#1979, osm#1983): a root without selector is not routable, and callers of it fail while the split looks correct. '
      + 'Fix: give the root Service a selector that matches the backends\' pods (for example the shared `app` label).',
  },
  {
    code: 'MESH0404', name: 'split-without-backends', severity: 'error', area: 'rules/split',
    message: 'TrafficSplit has no backends: traffic to {service} cannot be split anywhere',
    doc: 'A split needs at least one backend; Envoy\'s weighted clusters require one (`clusters min_items: 1`). Fix: list the backend Services with their weights, or delete the TrafficSplit.',
  },
  {
    code: 'MESH0405', name: 'split-backend-not-found', severity: 'error', area: 'rules/split',
    message: 'backend "{service}" is not a Service in namespace {namespace}{hint}',
    doc: 'Backends are Services in the split\'s namespace (backends in other namespaces are not defined by the spec; OSM assumes the apex namespace). A missing backend receives its share of the traffic and fails it: clients see 503s for that share. '
      + 'Fix: correct the name, add the Service, or declare a Service managed elsewhere in `assumeExternal`. Anchor: IST0101; Kiali KIA1101.',
  },
  {
    code: 'MESH0406', name: 'duplicate-split-backend', severity: 'warning', area: 'rules/split',
    message: 'backend {service} is listed more than once',
    doc: 'The spec does not say what a repeated backend means: whether its weights add up or one entry wins depends on the implementation, so the traffic share is not what either entry says. Fix: list each backend once with the weight you mean. Anchor: Kiali KIA1105.',
  },
  {
    code: 'MESH0407', name: 'split-backend-is-root', severity: 'warning', area: 'rules/split',
    message: 'backend {service} is the root service itself',
    doc: 'The spec discourages a backend equal to `spec.service` as hard to reason about, although it is not invalid (smi-spec#244 shows why people want it, and OSM has tests for it). The root\'s own endpoints then get this share, and the root Service usually selects the pods of every backend too. '
      + 'Fix: create a dedicated Service for the version that should receive this share.',
  },
  {
    code: 'MESH0408', name: 'split-weight-invalid', severity: 'error', area: 'rules/split',
    message: 'weight {weight} of backend {service} is not a whole number ≥ 0',
    doc: 'Weights are relative, whole, non-negative numbers (the prose; smi-controller-sdk#20). Envoy weights are uint32. The smi-sdk-go CRD types the weight as a plain number, so 1.5 and -200 pass an API server and break at runtime (osm#3615). '
      + 'A whole weight that is too large is MESH0420. Fix: use whole numbers ≥ 0. Weights are relative: 1 and 3 give 25 % and 75 %.',
  },
  {
    code: 'MESH0409', name: 'split-weights-zero', severity: 'error', area: 'rules/split',
    message: 'every backend weight is 0: no traffic to {service} can flow',
    doc: 'With a weight sum of 0 there is nothing to split: OSM builds no route (osm#2121, osm#2320), Envoy rejects a zero total, and gRPC clients NACK the route (gRFC A28). '
      + 'Fix: give at least one backend a weight above 0. (Weights do not have to sum to 100: they are relative, smi-spec#235.)',
  },
  {
    code: 'MESH0410', name: 'split-weights-overflow', severity: 'error', area: 'rules/split',
    message: 'weights sum to {sum}{unit}, more than 4294967295 (2^32−1)',
    doc: 'Envoy and gRPC clients take weighted-cluster weights and their total as uint32; a sum above 2^32−1 is rejected. v1alpha1 Quantity weights are counted in milli-units (`1` = 1000). '
      + '`meshc compile` divides the weights by their greatest common divisor first (the ratio is the same), so the sum is judged after that division: 3000000000/3000000000 is a 1:1 split and fine. '
      + 'Fix: scale all weights down by the same factor; only their ratios matter.',
  },
  {
    code: 'MESH0411', name: 'nested-split', severity: 'error', area: 'rules/split',
    message: 'backend {service} is the root of TrafficSplit {other}: splits are not hierarchical',
    doc: 'The spec forbids nesting: a backend must not be the root of another split. Implementations do not chain splits, so the inner split is either ignored for this traffic or applied unpredictably. '
      + 'Fix: flatten the splits — list the inner split\'s backends here with multiplied weights — or split a Service that is not itself split. Anchor: smi.md 2.5; traefik/mesh#619.',
  },
  {
    code: 'MESH0412', name: 'split-cycle', severity: 'error', area: 'rules/split',
    message: 'TrafficSplits form a cycle: {cycle}',
    doc: 'Following backends from root to root comes back to the start, so the splits route traffic in a circle (Traefik Mesh reports a circular reference, traefik/mesh#619). The spec forbids nested splits to prevent exactly this. '
      + 'Fix: break the cycle: every backend should be a Service whose pods serve the traffic, not the root of another split.',
  },
  {
    code: 'MESH0413', name: 'multiple-splits-for-root', severity: 'error', area: 'rules/split',
    message: 'service {service} is already the root of TrafficSplit {first}; implementations use only one split per root',
    doc: 'Several TrafficSplits for one root are undefined by the spec (smi-spec#59, smi-spec#227). OSM uses the first and ignores the rest (E2007, osm#2759), so the weights of this split — for example a canary — never take effect. '
      + 'Fix: merge the splits into one TrafficSplit per root.',
  },
  {
    code: 'MESH0414', name: 'split-backend-missing-port', severity: 'error', area: 'rules/split',
    message: 'backend {service} has no {ports} of root Service {root}: it gets no traffic there',
    doc: 'Every port of the root Service must exist on every backend Service (matched by port number and protocol; targetPorts may differ). The spec excludes a backend lacking a port from the split for that port, and OSM drops it, so the canary silently gets no traffic. '
      + 'Fix: add the missing port to the backend Service (with the targetPort its pods listen on). Anchor: smi.md 2.5 Ports; smi-spec#146.',
  },
  {
    code: 'MESH0415', name: 'split-match-not-found', severity: 'error', area: 'rules/split',
    message: 'HTTPRouteGroup "{name}" not found in namespace {namespace}{hint}',
    doc: 'A TrafficSplit `matches` entry names an HTTPRouteGroup in the split\'s namespace whose matches select the requests to split. A missing group selects nothing, so the split applies to no request. '
      + 'Fix: correct the name, add the HTTPRouteGroup, or declare it in `assumeExternal`.',
  },
  {
    code: 'MESH0416', name: 'split-match-kind', severity: 'error', area: 'rules/split',
    message: '{kind} is not allowed in TrafficSplit matches; only HTTPRouteGroup{hint}',
    doc: 'TrafficSplit `matches` selects which HTTP requests are split, so it accepts only HTTPRouteGroup references (the CRD enum; the schema leaves this case to the rule, so that the message can say why); a TCPRoute or any other kind selects nothing and the split applies to no request. '
      + 'Fix: reference an HTTPRouteGroup whose matches describe the requests to split, or remove `matches` to split all traffic.',
  },
  {
    code: 'MESH0417', name: 'split-weights-mixed-scale', severity: 'info', area: 'rules/split',
    message: 'weight {weight} of backend {service} next to {other} of {otherService}: {service} gets {share} of the traffic; if the weights were converted from v1alpha1 quantities ({weight} = {milli}m), write {milli}',
    doc: 'From split.smi-spec.io/v1alpha2 on, weights are plain integers; in v1alpha1 they were Kubernetes quantities, where `1` means 1000m and `500m` half of it. '
      + 'A weight of a few units (1–9) next to weights in the hundreds that are multiples of 50 looks half-converted: `500m` became `500` but `1` stayed `1`, so the backend meant to take two thirds of the traffic takes 0.2%. '
      + 'The SMI Istio adapter\'s own rollout example has this mistake (a "1000-500" split whose expected output is 67/33, written as 1 and 500). '
      + 'It is an info, not a warning, because a deliberate canary of well under 1% can look the same. '
      + 'Fix: if the weights came from v1alpha1, multiply the whole-unit weights by 1000 (1 → 1000); if the small share is intended, write it so (for example 999 and 1), or suppress the finding on this split (`meshc.dev/ignore: MESH0417`).',
  },
  {
    code: 'MESH0420', name: 'split-weight-too-large', severity: 'error', area: 'rules/split',
    message: 'weight {weight} of backend {service} is too large: Envoy and gRPC clients take weights and their sum as 32-bit numbers, at most {max} (weights are relative: scale them all down)',
    doc: 'A weight above 4294967295 (2^32−1) is too large: Envoy and gRPC clients take each weight and their sum as uint32 (a weight beyond 2^53 cannot even be read exactly; the message shows it as written). '
      + 'Fix: scale every weight of the split down by the same factor (weights are relative: 1 and 3 give 25 % and 75 %). Earlier meshc versions reported it as MESH0408.',
  },
];
