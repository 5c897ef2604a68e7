import type { CatalogEntry } from './types.ts';

/** MESH0500–MESH0599: Services, workloads and ports. */
export const topologyCatalog = <const>[
  {
    code: 'MESH0501', name: 'selector-matches-no-workload', severity: 'warning', area: 'rules/topology',
    message: 'selector {selector} matches no workload in namespace {namespace}',
    doc: 'A Service routes to the pods its selector matches (every label equal). No workload in the given files carries these pod labels, so the Service has no endpoints: callers get 503 (or connection failures), and no identity backs it for access control. '
      + 'Checked only when the input contains workloads; namespaces whose workloads are declared in `assumeExternal` are skipped. '
      + 'Fix: align the selector with the pod template labels (not the Deployment\'s own metadata labels), or add the workload. Anchor: IST0127; Kiali KIA0004.',
  },
  {
    code: 'MESH0502', name: 'workload-without-service-account', severity: 'warning', area: 'rules/topology',
    message: '{kind} {name} sets no serviceAccountName: its pods run as {namespace}/default',
    doc: 'In SMI the ServiceAccount is the identity that TrafficTargets grant access to and from. Pods without `serviceAccountName` run as the namespace\'s `default` ServiceAccount, which every other such workload shares: a TrafficTarget for one of them grants all of them. '
      + 'Fix: create a ServiceAccount per workload and set `spec.template.spec.serviceAccountName` (or `spec.serviceAccountName` on a Pod).',
  },
  {
    code: 'MESH0503', name: 'named-target-port-unresolved', severity: 'error', area: 'rules/topology',
    message: 'targetPort "{port}" ({protocol}) is not the name of a container port of {workloads}',
    doc: 'A named `targetPort` resolves, pod by pod, to the container port with that name and protocol. A pod that has no such port is left out of the Service\'s endpoints for this port, so its traffic has nowhere to go. '
      + 'Fix: name the container port (`ports: [{name: http, containerPort: 8080}]`) in every selected workload, or use the port number.',
  },
  {
    code: 'MESH0504', name: 'target-port-not-declared', severity: 'warning', area: 'rules/topology',
    message: 'targetPort {port} ({protocol}) is not declared as a container port of {workloads}',
    doc: 'The Service sends traffic to this port of the selected pods, but the workload declares other container ports and not this one. Kubernetes does not require declared ports, so this works only if the process listens there anyway; usually it is a typo or a port changed on one side (503s or connection refused). '
      + 'Checked only for workloads that declare container ports. Fix: align the Service `targetPort` with the container port the application listens on.',
  },
  {
    code: 'MESH0505', name: 'workload-service-account-not-declared', severity: 'warning', area: 'rules/topology',
    message: '{kind} {name} runs as ServiceAccount {namespace}/{account}, which the input does not declare in {namespace}{hint}',
    doc: 'Kubernetes\' ServiceAccount admission refuses a pod whose `serviceAccountName` names no ServiceAccount of its namespace, so the workload\'s pods are never created; and the TrafficTargets that name the declared ServiceAccounts do not cover it (the identity is the ServiceAccount). Usually a ServiceAccount was renamed on one side only. '
      + 'Checked only in namespaces where the input declares ServiceAccounts (it manages them there); `default` and ServiceAccounts in `assumeExternal` count as declared. Fix: set `serviceAccountName` to the declared ServiceAccount, or add the ServiceAccount.',
  },
  {
    code: 'MESH0506', name: 'service-port-duplicate', severity: 'error', area: 'rules/topology',
    message: 'port {port}/{protocol} is already ports[{first}] of this Service: the API server rejects the Service',
    doc: 'Kubernetes requires each port and protocol of a Service once (`spec.ports[1]: Duplicate value`): `kubectl apply` and a GitOps sync fail, and the Service (with every policy that names it) does not exist in the cluster. '
      + 'meshc models the Service as written, so its other findings and its compiled output assume a Service the cluster never gets. Fix: remove the repeated port, or give it another port number.',
  },
  {
    code: 'MESH0507', name: 'service-port-unnamed', severity: 'error', area: 'rules/topology',
    message: 'port {port}/{protocol} has no name, but a Service with more than one port names each one: the API server rejects the Service',
    doc: 'Kubernetes requires a name on every port of a Service that has more than one (`spec.ports[1].name: Required value`). The Service is refused (`kubectl apply` and a GitOps sync fail), so it and every policy that names it are missing in the cluster. '
      + 'OSM and meshc also read a port\'s protocol from its name (`http-…`, `tcp-…`, `grpc-…`). Fix: name every port, in lowercase (`http`, `grpc-api`).',
  },
  {
    code: 'MESH0508', name: 'service-port-name-invalid', severity: 'error', area: 'rules/topology',
    message: 'port name {name} is not a DNS-1123 label ({fault}): the API server rejects the Service',
    doc: 'A Service port name must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters. The API server refuses the Service otherwise, so it and every policy that names it are missing in the cluster. '
      + 'Fix: rename the port (`http_api` → `http-api`, `HTTP` → `http`); rename the `targetPort` references to it only if they named this Service port (they name container ports).',
  },
  {
    code: 'MESH0509', name: 'service-port-name-duplicate', severity: 'error', area: 'rules/topology',
    message: 'port name {name} is already the name of ports[{first}]: the API server rejects the Service',
    doc: 'Each port of a Service needs a name of its own (`spec.ports[1].name: Duplicate value`). The API server refuses the Service otherwise, so it and every policy that names it are missing in the cluster. Fix: give each port its own name.',
  },
];
