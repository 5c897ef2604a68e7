import type { CatalogEntry } from './types.ts';

/** MESH0800–MESH0899: compile and Envoy self-validation. */
export const compileCatalog = <const>[
  // ---- MESH0800–MESH0849: Envoy API self-validation (src/envoy/protos, src/envoy/validate).
  {
    code: 'MESH0800', name: 'envoy-rule-violation', severity: 'error', area: 'envoy', incomplete: true,
    message: 'internal error: the compiled {type} "{resource}" of node {node} breaks an Envoy API rule at {field}: {reason} [{rule}]; nothing was written',
    doc: 'Before writing anything, meshc checks every resource it produced against the protoc-gen-validate rules annotated on the Envoy API (the checks Envoy runs when it loads a resource: required fields and oneofs, string lengths and patterns, number ranges, list sizes, defined enum values), recursing into every typed_config, and against the checks Envoy makes in code for every message (durations must not be negative; regexes must compile in RE2). A violation means Envoy would reject the resource (a NACK, or a failed start): it is a bug in meshc, not in your manifests. Please report it with the input that triggers it. Nothing is written, so proxies keep their previous configuration; the exit code is 2.',
  },
  {
    code: 'MESH0801', name: 'envoy-unencodable-resource', severity: 'error', area: 'envoy', incomplete: true,
    message: 'internal error: the compiled {type} "{resource}" of node {node} is not a valid {type} at {field}: {reason} [{rule}]; nothing was written',
    doc: 'meshc encodes every resource strictly: an unknown field, a typed_config whose "@type" names a message the Envoy API does not have, a value of the wrong type or out of range, or two members of one oneof are errors rather than being dropped silently (Envoy rejects unknown fields in static configuration, and a silently dropped field could drop a policy). This is a bug in meshc: please report it with the input that triggers it. Nothing is written; the exit code is 2.',
  },
  {
    code: 'MESH0802', name: 'envoy-inconsistent-snapshot', severity: 'error', area: 'envoy', incomplete: true,
    message: 'internal error: the compiled snapshot of node {node} is inconsistent: {type} "{resource}" at {field}: {reason} [{rule}]; nothing was written',
    doc: 'Some rules span several resources and are checked by Envoy only in code, or by control planes before they serve a snapshot: unique listener, route configuration and cluster names; every route, weighted cluster and TCP proxy names an existing cluster; virtual-host domains unique within a route configuration; weighted-cluster weights summing to more than 0 and at most 4294967295; the router filter present, last and with a typed_config; typed_per_filter_config keys naming a filter of the connection manager; every EDS cluster with its ClusterLoadAssignment, every RDS name with its RouteConfiguration and nothing left unreferenced (go-control-plane Consistent()); every listener with an address and filter chains, each chain ending in a terminal filter; each resource in the list of its own type; and, for the bootstrap, node id and cluster with xDS, the xDS cluster defined statically, and static routes naming static clusters. meshc produced a snapshot that breaks one: a bug in meshc; please report it. Nothing is written; the exit code is 2.',
  },
  {
    code: 'MESH0803', name: 'grpc-client-would-reject', severity: 'error', area: 'envoy', incomplete: true,
    message: 'internal error: gRPC clients would reject the compiled {type} "{resource}" of node {node} at {field}: {reason} [{rule}]; nothing was written',
    doc: 'For --target grpc, meshc also checks what proxyless gRPC clients (@grpc/grpc-js-xds, gRFC A27/A28) accept, which is narrower than Envoy: listeners with api_listener and an HttpConnectionManager, RDS over ADS or an inline route configuration, the router filter last, clusters of type EDS (over ADS), LOGICAL_DNS or aggregate only, localities with locality and load_balancing_weight set, IP-literal endpoint addresses, at most one "*" per domain and only at its start or end, and only the path, header and cluster specifiers gRPC implements. A violation is a bug in meshc: please report it. Nothing is written; the exit code is 2.',
  },
  {
    code: 'MESH0804', name: 'envoy-deprecated-field', severity: 'warning', area: 'envoy',
    message: 'the compiled {type} "{resource}" of node {node} uses a deprecated Envoy field at {field}: {reason}',
    doc: 'The Envoy API marks this field or enum value as deprecated. Envoy accepts it with a warning today and rejects it when deprecated features are disabled (--bootstrap-version / runtime feature flags) or once it is removed. meshc should not emit it: please report it.',
  },
  {
    code: 'MESH0805', name: 'envoy-api-unavailable', severity: 'error', area: 'envoy', incomplete: true,
    message: 'internal error: cannot load the Envoy API definitions: {reason}',
    doc: 'meshc compile and serve need the Envoy v3 API protos that come with the @grpc/grpc-js-xds package (node_modules/@grpc/grpc-js-xds/deps). They are missing or unreadable: reinstall meshc (npm install). The exit code is 2.',
  },
  // ---- MESH0850–MESH0899: `meshc compile` (translation, output directory). MESH0800–0849 (Envoy API) go above.
  {
    code: 'MESH0850', name: 'compile-output-not-directory', severity: 'error', area: 'compile', incomplete: true,
    message: 'output path {path} exists and is not a directory; nothing was written',
    doc: 'meshc compile --out DIR replaces DIR as a whole. DIR exists here but is a file (or another non-directory), so meshc will not touch it. Point --out at a directory (it may not exist yet) or remove the file.',
  },
  {
    code: 'MESH0851', name: 'compile-output-foreign', severity: 'error', area: 'compile', incomplete: true,
    message: 'refusing to replace {path}: it is a non-empty directory without a meshc manifest.json; nothing was written',
    doc: 'meshc compile replaces its output directory atomically, which deletes the previous contents. To avoid deleting unrelated files, it only replaces a directory that is empty or holds an earlier meshc output (a manifest.json written by meshc). Choose another --out directory or empty this one.',
  },
  {
    code: 'MESH0852', name: 'compile-write-failed', severity: 'error', area: 'compile', incomplete: true,
    message: 'cannot write the compiled output to {path}: {reason}; a previous output there is kept as it was',
    doc: 'Writing the new output failed (for example: no space left on the device, permission denied, read-only file system). meshc writes into a temporary directory beside the output directory and renames it into place only when every file is written and synced, so the previous output is still intact. Fix the cause and compile again.',
  },
  {
    code: 'MESH0853', name: 'compile-name-collision', severity: 'error', area: 'compile',
    message: '{what} "{name}" would stand for both {first} and {second}; rename one of them',
    doc: 'Two different objects get the same name once translated into Envoy names (node ids and directories, cluster names, gRPC listener names, virtual-host domains). Envoy and gRPC clients would merge or reject them, so meshc refuses to compile instead of silently merging. Names with dots, upper-case letters or characters outside Kubernetes naming rules usually cause it: rename one of the objects.',
  },
  {
    code: 'MESH0854', name: 'compile-self-validation', severity: 'error', area: 'compile', incomplete: true, retired: true,
    message: 'internal error: the compiled {type} "{resource}" of node {node} is invalid at {field}: {reason}; nothing was written',
    doc: 'Retired before release: self-validation findings are reported as MESH0800–MESH0804. Before writing anything, meshc validates every resource it produced against the Envoy API rules (protoc-gen-validate annotations) and the invariants Envoy and gRPC clients check in code. A violation is a bug in meshc, not in your manifests: please report it with the input that triggers it. Nothing is written, so proxies keep their previous configuration.',
  },
  {
    code: 'MESH0855', name: 'compile-grpc-no-endpoints', severity: 'warning', area: 'compile',
    message: 'service {service} port {port} has no known endpoint IP addresses, so gRPC clients cannot be sent to it ({nodes} node(s) affected); add its Endpoints or EndpointSlice',
    doc: 'Proxyless gRPC clients (--target grpc) accept only EDS clusters whose endpoints are IP literals; they cannot resolve a cluster DNS name themselves. meshc knows endpoint addresses from Endpoints/EndpointSlice objects, or from bare Pods with status.podIP. Without them the service (or this backend of a TrafficSplit) is left out of the gRPC clients\' configuration. Add the Endpoints/EndpointSlice of the service to the input (for example from kubectl get endpointslices -o yaml).',
  },
  {
    code: 'MESH0856', name: 'compile-split-backend-dropped', severity: 'warning', area: 'compile',
    message: '{split}: backend {backend} is left out of the routes of {nodes} proxy node(s): {reason}',
    doc: 'A TrafficSplit backend that takes no traffic on a root port, for every client, is left out of the weighted clusters of that port: it lacks the root port (MESH0414), nobody serves it (its selector matches no pod), its Service does not exist, or (for --target grpc) its endpoint addresses are unknown. '
      + 'The remaining backends keep their exact relative weights, as the SMI spec says and `meshc why` answers; when no backend is left, the root is not routed at all for that client. '
      + 'A backend whose identity merely does not admit a client is not left out: that client keeps the declared weights and its share is denied at the backend (MESH0606). '
      + 'Fix the backend (its ports, selector or endpoints), or remove it from the split.',
  },
  {
    code: 'MESH0857', name: 'compile-port-protocol-conflict', severity: 'warning', area: 'compile',
    message: 'workload {workload} port {targetPort} is reached through services that disagree on its protocol ({protocols}); it is compiled as {chosen}',
    doc: 'Several Services deliver to the same target port of a workload but declare different protocols (appProtocol or port-name prefix). One inbound filter chain serves the port, so meshc picks one: TCP when any service says TCP (it admits every byte stream), else gRPC (HTTP/2). Make the Services agree.',
  },
  {
    code: 'MESH0858', name: 'compile-tcp-chain-ambiguous', severity: 'warning', area: 'compile',
    message: 'service {service} port {port} is TCP and its ClusterIP and endpoint addresses are unknown, but port {port} also carries {other}: {nodes} proxy node(s) cannot tell them apart, so it is left out of their outbound listener',
    doc: 'The outbound listener chooses a TCP destination by destination port and IP address. When a TCP service has neither a ClusterIP (spec.clusterIP) nor known endpoint addresses, its filter chain can match only on the port, which is ambiguous when another service (or the HTTP chain) uses the same port. Add spec.clusterIP or the Endpoints/EndpointSlice of the service to the input, or give it a port of its own.',
  },
  {
    code: 'MESH0859', name: 'compile-http-rule-on-tcp-port', severity: 'warning', area: 'compile',
    message: 'TrafficTarget {trafficTarget} rule {rule} admits HTTP requests, but service {service} port {port} is compiled as TCP ({why}); the rule cannot be enforced there and admits nothing on that port',
    doc: 'HTTPRouteGroup rules are enforced by HTTP-aware RBAC on the inbound listener. A port that meshc treats as opaque TCP carries no HTTP requests to check, so an HTTP rule admits nothing there (admitting every byte stream would widen the policy). '
      + 'A Service port that is plain TCP by itself (appProtocol or a tcp- port-name prefix) is already left out by reachability (`why`, `meshc test`) and reported by `meshc check` (MESH0607); '
      + 'this finding is for a workload port reached through an HTTP Service port and, from another Service, as plain TCP: the pod has one inbound filter chain per port, and it is TCP (MESH0857). '
      + 'Make the Services agree on the protocol of that container port (or use separate container ports), or use a TCPRoute rule for it.',
  },
  {
    code: 'MESH0860', name: 'compile-no-proxies', severity: 'warning', area: 'compile',
    message: 'the input has no workloads (Deployment, StatefulSet, DaemonSet or Pod), so there is no proxy to compile for',
    doc: 'meshc compiles one xDS snapshot per workload. Without workloads the output holds only an empty manifest. Add the workload manifests to the input paths.',
  },
  {
    code: 'MESH0861', name: 'compile-split-weight-overflow', severity: 'error', area: 'compile',
    message: 'TrafficSplit {split}: the weights of its backends sum to {sum}, more than Envoy and gRPC accept (4294967295) even after reducing them by their greatest common divisor',
    doc: 'Envoy weighted_clusters and gRPC clients add the weights in 32 bits. meshc keeps the exact ratio of the weights and reduces them by their greatest common divisor, but will not round them. Use smaller weights with the same ratio.',
  },
  {
    code: 'MESH0862', name: 'compile-recovered-output', severity: 'info', area: 'compile',
    message: 'restored the previous output {path} that an interrupted compile had moved aside',
    doc: 'A compile was interrupted between moving the old output aside and moving the new one into place. meshc put the previous output back before writing the new one.',
  },
  {
    code: 'MESH0863', name: 'compile-grpc-tcp-port', severity: 'info', area: 'compile',
    message: 'service {service} port {port} is TCP; gRPC clients are given only HTTP/gRPC ports, so it is left out for {nodes} node(s)',
    doc: 'A proxyless gRPC client dials xds:///NAME.NS.svc.DOMAIN:PORT and speaks HTTP/2. Ports meshc compiles as TCP (appProtocol or a tcp- port-name prefix) are not offered to it.',
  },
  {
    code: 'MESH0864', name: 'compile-encode-failed', severity: 'error', area: 'compile', incomplete: true, retired: true,
    message: 'internal error: cannot encode the {type} "{resource}" of node {node}: {reason}; nothing was written',
    doc: 'Retired before release: self-validation findings are reported as MESH0801. meshc encodes every resource into protobuf bytes for meshc serve. A failure is a bug in meshc: please report it with the input that triggers it.',
  },
  {
    code: 'MESH0865', name: 'compile-node-dir-too-long', severity: 'error', area: 'compile', retired: true,
    message: 'node directory "{name}" of {workload} is {bytes} bytes long; file systems allow at most 255',
    doc: 'Retired: a node directory name longer than 255 bytes is shortened instead (its first 238 bytes, `_`, and 16 hex digits of the sha256 of the whole name), '
      + 'so a workload with the longest name Kubernetes allows compiles; manifest.json lists each node\'s files. Each proxy gets a directory nodes/<namespace>_<kind>_<name>; '
      + 'Kubernetes allows workload names of up to 253 characters, but a file name cannot exceed 255 bytes on common file systems.',
  },
  {
    code: 'MESH0866', name: 'compile-proxy-port-clash', severity: 'error', area: 'compile',
    message: '{workload} serves port {port} ({via}), but its Envoy sidecar takes that port for its {what} (--{flag}); the application and Envoy cannot both listen on it in one pod',
    doc: 'The sidecar shares the pod\'s network namespace with the application and listens on four ports of its own: the inbound listener (--inbound-port, default 15003), the outbound listener (--outbound-port, 15001), the Prometheus listener (--stats-port, 15010) and the admin interface on 127.0.0.1 (--admin-port, 15000). '
      + 'A container port or Service target port of the workload equal to one of them cannot work: whichever starts second fails to bind it, and the compiled inbound chain would forward callers to 127.0.0.1:PORT, that is back into Envoy\'s own listener, or, for the admin port, to Envoy\'s admin API (which can change or stop the proxy). '
      + 'Traffic to the stats and admin ports is also not redirected through the proxy, so it would bypass mTLS and RBAC. '
      + 'Move the application to another port, or compile with another --inbound-port/--outbound-port/--stats-port/--admin-port (and configure the pod\'s traffic redirection to match).',
  },
  {
    code: 'MESH0867', name: 'compile-external-name-service', severity: 'warning', area: 'compile',
    message: 'service {service} is an ExternalName Service for {host}, outside the mesh: in permissive mode it is left out of the outbound configuration of {nodes} proxy node(s), so connections to it are not forwarded',
    doc: 'In permissive mode every proxy may reach every service of the mesh. An ExternalName Service whose name is outside the cluster (not under .svc.<cluster domain>) stands for a host without a sidecar: the mTLS connection a proxy opens to mesh services could never be answered, and meshc does not compile egress (traffic to destinations outside the mesh). '
      + 'So the outbound listener gets no filter chain for it and such connections are not forwarded. An ExternalName alias of an in-cluster name (other.ns.svc.cluster.local) is compiled like any other service. '
      + 'Reach the external host without the mesh (exclude its port or address from the outbound redirection), or remove the Service from the input.',
  },

  {
    code: 'MESH0868', name: 'compile-probe-port-clash', severity: 'error', area: 'compile',
    message: '{workload} container {container} uses port {port}, but its Envoy sidecar takes that port for the plaintext {kind} probe listener; the application and Envoy cannot both listen on it in one pod',
    doc: 'HTTP, HTTPS and gRPC kubelet probes are rewritten (probe-patch.yaml) to plaintext probe listeners of the sidecar, as in Open Service Mesh: liveness on 15901, readiness on 15902, startup on 15903. '
      + 'A container port (or a probe\'s own port) equal to the port of a probe listener the pod gets cannot work: whichever starts second fails to bind it, and the probe would be answered by Envoy forwarding to itself. '
      + 'Move the application to another port. The probe ports are fixed (the kubelet reaches them directly, and the pod\'s traffic redirection must exclude them).',
  },
  {
    code: 'MESH0869', name: 'compile-tcp-probe-answered-by-sidecar', severity: 'warning', area: 'compile',
    message: '{workload} container {container}: the {kind} probe (tcpSocket, port {port}) is left as it is, and with inbound traffic redirected to the sidecar it succeeds when Envoy accepts the connection, whatever the application does',
    doc: 'A tcpSocket probe only checks that a TCP connection can be opened. Once the pod\'s inbound traffic is redirected to the sidecar\'s inbound listener, Envoy accepts the connection itself, so the probe no longer tells whether the application listens. '
      + 'meshc does not rewrite tcpSocket probes (Open Service Mesh does not either): exclude the port from inbound redirection, or use an httpGet, grpc or exec probe, which meshc rewrites or which need no network.',
  },
  {
    code: 'MESH0870', name: 'compile-probe-not-rewritten', severity: 'warning', area: 'compile',
    message: '{workload} container {container}: the {kind} probe is not rewritten to the sidecar\'s probe listener: {reason}; as written it reaches the inbound listener, which requires mTLS, and fails',
    doc: 'meshc rewrites HTTP, HTTPS and gRPC probes to plaintext probe listeners of the sidecar (probe-patch.yaml) because the inbound listener only accepts mTLS, which the kubelet cannot present. '
      + 'One listener per kind serves the HTTP probes of every container (one path each) and one gRPC health check; an HTTPS probe is passed through as TCP to the application, so it needs its kind\'s listener alone. '
      + 'A probe that cannot be placed, whose port is neither a number nor a named port of its container, or whose path holds control characters, is left as written and would fail: give it a port, use one HTTPS or gRPC probe of each kind per pod, or use an httpGet probe.',
  },
];
