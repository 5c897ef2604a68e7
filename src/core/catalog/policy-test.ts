import type { CatalogEntry } from './types.ts';

/** MESH0700–MESH0799: policy tests (meshc test). */
export const policyTestCatalog = <const>[
  {
    code: 'MESH0701', name: 'reachability-expectation-failed', severity: 'error', area: 'policy-test',
    message: '{case}: expected {from} → {to} ({request}) to be {expected}, but it is {actual}: {reason}',
    doc: 'A case of a `ReachabilityTest` (apiVersion `meshc.dev/v1alpha1`) states whether a source identity may reach a Service port with a request; meshc computed the opposite from the TrafficTargets, routes and TrafficSplits of the input. '
      + 'The message gives meshc\'s reason and the related locations the chain of resources that decided it (the same as `meshc why`). '
      + 'A case expecting `allow` fails when any weighted backend of a TrafficSplit on the way would deny the request. '
      + 'Fix the policy, or the expectation if the policy changed on purpose.',
  },
  {
    code: 'MESH0702', name: 'reachability-test-invalid', severity: 'error', area: 'policy-test',
    message: 'invalid ReachabilityTest: {field} must be {expected}, not {actual}',
    doc: 'A field of a `ReachabilityTest` document holds a value of the wrong type or form, so the case (or the whole document) cannot run. The shape: '
      + '`apiVersion: meshc.dev/v1alpha1`, `kind: ReachabilityTest`, `metadata.name`, and `spec.cases`: a non-empty list of '
      + '`{name?, from: NAMESPACE/SERVICEACCOUNT, to: NAMESPACE/SERVICE[:PORT], port?, request?: {method?, path?, headers?: {NAME: VALUE}}, expect: allow|deny}`. '
      + 'Names without a namespace use the document\'s namespace. Fix the field the message names; invalid cases count as failed, the valid cases of the document still run. '
      + 'The other ways a document can be malformed: MESH0715 (unknown field), MESH0716 (missing field), MESH0717 to MESH0719 (ports), MESH0720 (apiVersion), MESH0721 (a near miss of the kind).',
  },
  {
    code: 'MESH0703', name: 'reachability-test-unknown-name', severity: 'error', area: 'policy-test',
    message: '{case}: unknown service \'{to}\'{hint}',
    doc: 'A ReachabilityTest case names a Service (`to`) that is not in the input, so there is nothing to check (a test that passes vacuously would hide a renamed service). '
      + 'It is reported at `to`, with the nearest names. Fix the case, or include the files declaring the Service. '
      + 'The other names a case can get wrong: MESH0710 (unknown identity), MESH0711 (a name no ServiceAccount can have), MESH0713 (no such port), MESH0714 (a Service without ports).',
  },
  {
    code: 'MESH0704', name: 'no-reachability-tests', severity: 'error', area: 'policy-test',
    message: 'no ReachabilityTest documents found in {paths}',
    doc: '`meshc test` found no document of kind `ReachabilityTest` (apiVersion `meshc.dev/v1alpha1`) in the given paths, so it checked nothing. '
      + 'Pass the directory or files that contain the tests (for example `meshc test fixtures/bookstore`).',
  },
  {
    code: 'MESH0710', name: 'reachability-test-unknown-identity', severity: 'error', area: 'policy-test',
    message: '{case}: unknown identity \'{from}\' (no workload, ServiceAccount or TrafficTarget names it){hint}',
    doc: 'A ReachabilityTest case asks about a caller (`from`) that no workload, ServiceAccount or TrafficTarget of the input names, so its answer would say nothing about the mesh. '
      + 'It is reported at `from`, with the nearest identities. Fix the case, or include the files declaring the ServiceAccount.',
  },
  {
    code: 'MESH0711', name: 'reachability-test-invalid-identity', severity: 'error', area: 'policy-test',
    message: '{case}: \'{from}\' names no identity: {value} is no {what} ({fault})',
    doc: 'A ReachabilityTest case asks about a caller (`from`) whose name no ServiceAccount can have: ServiceAccount names are DNS-1123 subdomains and namespaces DNS-1123 labels. '
      + 'No workload can run as it, so there is nothing to check. Fix the name.',
  },
  {
    code: 'MESH0713', name: 'reachability-test-unknown-port', severity: 'error', area: 'policy-test',
    message: '{case}: service \'{to}\' has no port {port}; its ports: {ports}',
    doc: 'A ReachabilityTest case asks about a port (`port`, or `:PORT` in `to`) that its Service does not declare, so no request can reach it. It is reported at the field holding the port, with the ports the Service has. Fix the port.',
  },
  {
    code: 'MESH0714', name: 'reachability-test-service-without-ports', severity: 'error', area: 'policy-test',
    message: '{case}: service \'{to}\' declares no ports',
    doc: 'A ReachabilityTest case asks about a Service that declares no ports, so no request can reach it and there is nothing to check. Add the ports to the Service (or fix the case\'s `to`).',
  },
  {
    code: 'MESH0715', name: 'reachability-test-unknown-field', severity: 'error', area: 'policy-test',
    message: 'invalid ReachabilityTest: unknown field {field} (expected one of: {allowed})',
    doc: 'A ReachabilityTest document (or one of its cases, or a case\'s request) has a field meshc does not know: usually a typo, which would otherwise silently leave the case unrestricted. The case does not run (it counts as failed). Fix: remove or rename the field (the message lists the fields meshc knows there).',
  },
  {
    code: 'MESH0716', name: 'reachability-test-missing-field', severity: 'error', area: 'policy-test',
    message: 'invalid ReachabilityTest: {owner} has no {field}',
    doc: 'A ReachabilityTest document lacks `metadata.name` or `spec.cases`, a case lacks `from`, `to` or `expect`, or an outside destination (`to: {host, port}`) lacks its host or port. The case (or the document) cannot run and counts as failed. Fix: add the field the message names.',
  },
  {
    code: 'MESH0717', name: 'reachability-test-port-conflict', severity: 'error', area: 'policy-test',
    message: 'invalid ReachabilityTest: {field} is {port}, which contradicts the port in to ({toPort})',
    doc: 'A case gives its port twice, as `to: NAMESPACE/SERVICE:PORT` and as `port`, with two different numbers, so it is unclear which port the case is about. Fix: keep one of the two, with the port you mean.',
  },
  {
    code: 'MESH0718', name: 'reachability-test-port-out-of-range', severity: 'error', area: 'policy-test',
    message: 'invalid ReachabilityTest: {field} names port {port}, outside 1..65535',
    doc: 'A case names a port no Service can have (ports are 1 to 65535), in `to: NAMESPACE/SERVICE:PORT` or in `port`. The case cannot run and counts as failed; fix the number.',
  },
  {
    code: 'MESH0719', name: 'reachability-test-port-with-external', severity: 'error', area: 'policy-test',
    message: 'invalid ReachabilityTest: {field}: the port goes inside to: {host, port} for a destination outside the mesh',
    doc: 'A case about a destination outside the mesh (`to: {host, port}`) also has a `port` field: the port of an outside destination is written inside `to`, so the case is ambiguous. Fix: remove `port` and keep the port in `to`.',
  },
  {
    code: 'MESH0720', name: 'reachability-test-api-version', severity: 'error', area: 'policy-test',
    message: 'invalid ReachabilityTest: apiVersion {apiVersion} is not supported (use {supported})',
    doc: 'meshc reads ReachabilityTest documents of one apiVersion, `meshc.dev/v1alpha1`. A document of another version is not run (its cases count as failed). Fix: change its apiVersion to meshc.dev/v1alpha1.',
  },
  {
    code: 'MESH0721', name: 'reachability-test-kind-near-miss', severity: 'error', area: 'policy-test',
    message: 'invalid ReachabilityTest: unknown kind {kind} in {apiVersion}; did you mean ReachabilityTest? (its cases do not run)',
    doc: 'A meshc.dev document has a kind close to `ReachabilityTest` (a typo such as `ReachabilityTests`): without this error its cases would silently not run, and `meshc test` could pass having checked nothing. Fix the kind to `ReachabilityTest`.',
  },
];
