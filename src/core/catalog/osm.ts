import type { CatalogEntry } from './types.ts';

const OSM = 'Open Service Mesh (OSM v1.2)';

/** MESH1100–MESH1199: OSM MeshConfig and policy.openservicemesh.io kinds (reading, rules, compile). */
export const osmCatalog = <const>[
  {
    code: 'MESH1101', name: 'osm-unreleased-version', severity: 'warning', area: 'model/osm',
    message: '{kind} {apiVersion} was never released: OSM v1.2 serves config.openservicemesh.io/v1alpha1 and v1alpha2; write apiVersion: config.openservicemesh.io/v1alpha2',
    doc: `MeshConfig v1alpha3 (v1alpha2 plus sidecar.localProxyMode) was on ${OSM}'s main branch for a few days (osm#4671) and reverted (osm#4684); no release serves it, so an API server with OSM's CRDs refuses the object. meshc reads it like v1alpha2. Fix: write apiVersion config.openservicemesh.io/v1alpha2 (v1.2 has localProxyMode there).`,
  },
  {
    code: 'MESH1102', name: 'invalid-cidr', severity: 'error', area: 'model/osm',
    message: '{path} is {value}: {reason}',
    doc: `OSM takes IP ranges (Egress ipAddresses, IngressBackend IPRange sources, MeshConfig outbound IP range lists) as IPv4 CIDR blocks. The CRD pattern is not anchored at the start and lets octets above 255 and prefixes above 32 through; OSM then fails to parse the block (E2002) and ignores the policy, so the range is never opened. Fix: write a block such as 10.0.0.0/8 or 203.0.113.7/32.`,
  },
  {
    code: 'MESH1103', name: 'retry-count-negative', severity: 'error', area: 'model/osm',
    message: 'numRetries is {value}: OSM reads it as an unsigned 32-bit number, so the Retry cannot be decoded',
    doc: `Retry.spec.retryPolicy.numRetries is a uint32 in OSM's Go types while the CRD only says "integer": the API server stores -1, and OSM fails to decode the object, so the whole Retry policy is dropped without a status. OSM never validated Retry (osm#4778). Fix: give 0 or more retries.`,
  },
  {
    code: 'MESH1104', name: 'invalid-duration', severity: 'error', area: 'model/osm',
    message: '{path} is {value}: {reason}',
    doc: `Durations of OSM policies (Retry perTryTimeout and retryBackoffBaseInterval, UpstreamTrafficSetting connectTimeout) are Go durations (metav1.Duration): a number with a unit, e.g. "500ms", "1s", "1m30s". Anything else makes the object undecodable and OSM drops it. Envoy also needs a retry back-off of at least 1ms. Fix: write a Go duration.`,
  },
  {
    code: 'MESH1105', name: 'egress-port-protocol', severity: 'error', area: 'model/osm',
    message: 'egress port protocol {value} is not one OSM routes ({accepted}){hint}',
    doc: `OSM builds an egress filter chain per port from its protocol: http (routed by host and HTTPRouteGroup), https (matched by SNI), tcp and tcp-server-first (matched by IP range). Any other protocol is logged and skipped at run time, so the destination stays closed. Fix: use http, https, tcp or tcp-server-first, in lowercase.`,
  },
  {
    code: 'MESH1106', name: 'ingress-backend-protocol', severity: 'error', area: 'model/osm',
    message: 'IngressBackend port protocol {value} is not http or https{hint}',
    doc: `OSM's admission webhook accepts only http and https for IngressBackend backends (an ingress controller speaks HTTP to the backend, plain or with TLS). Fix: use http or https; TCP ingress is not supported by OSM.`,
  },
  {
    code: 'MESH1107', name: 'retry-on-unknown', severity: 'error', area: 'model/osm',
    message: 'retryOn {value}: {reason}',
    doc: `retryOn is copied into the route's Envoy retry_on as written: a comma-separated list of Envoy conditions (5xx, gateway-error, reset, reset-before-request, connect-failure, envoy-ratelimited, retriable-4xx, refused-stream, retriable-status-codes, retriable-headers, http3-post-connect-failure, and for gRPC cancelled, deadline-exceeded, internal, resource-exhausted, unavailable). Envoy ignores unknown names, so a typo silently disables retries. Fix: use the Envoy names.`,
  },
  {
    code: 'MESH1108', name: 'rate-limit-incomplete', severity: 'error', area: 'model/osm',
    message: '{path} has no {missing}: the local rate limit has no token bucket',
    doc: `A local rate limit needs a number (connections for TCP, requests for HTTP) and a unit (second, minute, hour); the CRD requires neither. Without them OSM builds a token bucket with 0 tokens or no fill interval, which Envoy rejects (NACK) or which blocks everything. Fix: give both, e.g. requests: 100, unit: minute.`,
  },
  {
    code: 'MESH1109', name: 'rate-limit-status-code', severity: 'error', area: 'model/osm',
    message: 'responseStatusCode {value} is not an HTTP status Envoy can answer with',
    doc: `A local rate limit answers limited requests with responseStatusCode, which Envoy takes from its StatusCode list (envoy.type.v3.StatusCode). The CRD allows any number from 400 to 599, but codes outside that list (418, 420, 599, …) make Envoy reject the configuration (NACK), and OSM's validator refused them. Fix: use a listed code such as 429 or 503.`,
  },
  {
    code: 'MESH1110', name: 'mesh-config-duplicate', severity: 'error', area: 'rules/osm',
    message: 'a second MeshConfig ({name}): a mesh has one, and meshc uses {first}',
    doc: `OSM reads exactly one MeshConfig: osm-mesh-config in the control plane's namespace. Several MeshConfigs in the input (or one from --mesh-config and one among the files) leave it unclear which settings the mesh runs with; meshc uses the first (the --mesh-config file first). Fix: keep one MeshConfig.`,
  },
  {
    code: 'MESH1111', name: 'mesh-config-name', severity: 'warning', area: 'rules/osm',
    message: 'MeshConfig {name}: OSM reads only the one named osm-mesh-config',
    doc: `osm-controller watches the MeshConfig named osm-mesh-config (in the namespace OSM is installed in, osm-system by default); a MeshConfig of another name is ignored and the defaults apply. meshc still uses it, as the only one. Fix: name it osm-mesh-config.`,
  },
  {
    code: 'MESH1112', name: 'osm-feature-disabled', severity: 'warning', area: 'rules/osm',
    message: '{kind} {name} has no effect: MeshConfig {meshConfig} sets featureFlags.{flag} to false{hint}',
    doc: `OSM applies Egress, IngressBackend and Retry policies only when their feature flag is on (enableEgressPolicy and enableIngressBackendPolicy are on by default, enableRetryPolicy is off by default). With the flag off the policy is stored but ignored, and meshc compiles it the same way. Fix: turn the flag on in the MeshConfig, or delete the policy.`,
  },
  {
    code: 'MESH1113', name: 'permissive-ignores-traffic-targets', severity: 'info', area: 'rules/osm',
    message: 'permissive traffic policy mode ({source}): every proxy may reach every service and the {count} TrafficTarget(s) are ignored',
    doc: `In permissive traffic policy mode (MeshConfig spec.traffic.enablePermissiveTrafficPolicyMode, or --permissive) OSM gives every proxy outbound configuration for every mesh service and no RBAC: TrafficTargets are not enforced until the mode is switched off. why, graph, test and compile all answer in that mode. Fix: nothing if intended; set enablePermissiveTrafficPolicyMode: false to enforce the TrafficTargets.`,
  },
  {
    code: 'MESH1120', name: 'egress-source-not-found', severity: 'warning', area: 'rules/osm',
    message: 'Egress source ServiceAccount {namespace}/{name} is not in the input{hint}',
    doc: `An Egress applies to the pods running as its source ServiceAccounts. A source no workload runs as (and that is not declared in the input or assumeExternal) opens egress for nobody, usually a typo or a wrong namespace. Fix: name an existing ServiceAccount, or declare it with assumeExternal.`,
  },
  {
    code: 'MESH1121', name: 'egress-match-not-found', severity: 'error', area: 'rules/osm',
    message: 'Egress match {kind} {namespace}/{name} is not in the input{hint}',
    doc: `An Egress match names an HTTPRouteGroup (routes on the egress HTTP host) or an UpstreamTrafficSetting in the Egress's namespace. When it is missing OSM logs E2004 and drops the route (HTTPRouteGroup) or ignores the whole Egress (UpstreamTrafficSetting). Fix: create the object in the same namespace or correct the name.`,
  },
  {
    code: 'MESH1122', name: 'egress-match-unsupported', severity: 'error', area: 'rules/osm',
    message: 'Egress match {what}',
    doc: `OSM's webhook accepts Egress matches of kind HTTPRouteGroup (apiGroup specs.smi-spec.io/v1alpha4) and UpstreamTrafficSetting (apiGroup policy.openservicemesh.io/v1alpha1), and at most one UpstreamTrafficSetting. Others are E2003 and ignored. Fix: use one of those kinds with its apiGroup.`,
  },
  {
    code: 'MESH1123', name: 'egress-http-without-hosts', severity: 'error', area: 'rules/osm',
    message: 'Egress port {port} is http but the Egress lists no hosts: HTTP egress is routed by host, so nothing is opened',
    doc: `For an http port OSM builds one virtual host per entry of spec.hosts; ipAddresses are not used for HTTP. An http port without hosts yields a route configuration without virtual hosts: every request gets 404. Fix: list the external host names, or use protocol tcp with ipAddresses.`,
  },
  {
    code: 'MESH1124', name: 'egress-overlaps-mesh', severity: 'warning', area: 'rules/osm',
    message: 'Egress {what} is inside the mesh ({service}): traffic to it is governed by TrafficTargets, not by this Egress',
    doc: `Egress opens destinations outside the mesh. A host that is a mesh Service's name, or an IP range that covers a mesh Service's ClusterIP or pod IPs, either shadows the in-mesh chain or bypasses the access control a TrafficTarget would give (mTLS and RBAC). Fix: reach mesh services through TrafficTargets and remove them from the Egress.`,
  },
  {
    code: 'MESH1130', name: 'ingress-backend-not-found', severity: 'error', area: 'rules/osm',
    message: 'IngressBackend backend {name} is not a Service in namespace {namespace}{hint}',
    doc: `IngressBackend backends name Services of the IngressBackend's namespace; OSM builds the ingress filter chain on the proxies of the pods behind that Service. A missing Service means no chain and the ingress controller's requests are refused. Fix: name an existing Service in the same namespace.`,
  },
  {
    code: 'MESH1131', name: 'ingress-backend-port', severity: 'error', area: 'rules/osm',
    message: 'IngressBackend backend {name} port {port} is not a target port of Service {namespace}/{name} (target ports: {ports})',
    doc: `OSM matches an IngressBackend backend to a Service port by comparing port.number with the port's targetPort (the port the pod listens on), not the Service port. With a number that is no target port no ingress chain is built. Fix: give the container port, as listed.`,
  },
  {
    code: 'MESH1132', name: 'ingress-backend-duplicate', severity: 'error', area: 'rules/osm',
    message: 'backend {name} port {port} is listed twice in this IngressBackend',
    doc: `OSM's webhook refuses an IngressBackend that lists the same backend (name and port) twice ("Duplicate backends detected"). Fix: list each backend once; merge the TLS settings.`,
  },
  {
    code: 'MESH1133', name: 'ingress-backend-conflict', severity: 'error', area: 'rules/osm',
    message: 'backend {name} port {port} is also in IngressBackend {other}: one backend, one IngressBackend',
    doc: `Two IngressBackends that configure the same backend (name and port) conflict (osm policy check-conflicts); OSM's webhook refuses the second and at run time one wins by chance. Fix: keep each backend in one IngressBackend.`,
  },
  {
    code: 'MESH1134', name: 'ingress-backend-source-not-found', severity: 'warning', area: 'rules/osm',
    message: 'IngressBackend source Service {namespace}/{name} is not in the input{hint}',
    doc: `A source of kind Service stands for the ingress controller's pods: OSM allows their endpoint IPs. A Service without endpoints makes OSM set the status "endpoints not found for service" and drop the whole IngressBackend. Fix: name the ingress controller's Service, or declare it with assumeExternal.`,
  },
  {
    code: 'MESH1135', name: 'ingress-backend-source-invalid', severity: 'error', area: 'rules/osm',
    message: 'IngressBackend source {what}',
    doc: `OSM's webhook requires sources of kind Service, AuthenticatedPrincipal or IPRange; a Service source needs a namespace; an https backend that validates client certificates needs an AuthenticatedPrincipal source (otherwise no client can be authorised). Fix: correct the source as the message says.`,
  },
  {
    code: 'MESH1140', name: 'upstream-host-not-mesh-service', severity: 'error', area: 'rules/osm',
    message: 'UpstreamTrafficSetting host {host} {why}',
    doc: `OSM applies an UpstreamTrafficSetting to the mesh service whose FQDN <service>.<namespace>.svc.cluster.local equals spec.host, in the object's own namespace; any other host is matched by nothing (unless an Egress names the object in its matches), so the circuit breakers and rate limits are silently absent. OSM never validated it (the webhook rule is missing). Fix: write the FQDN of a Service of the same namespace.`,
  },
  {
    code: 'MESH1141', name: 'upstream-host-conflict', severity: 'error', area: 'rules/osm',
    message: 'UpstreamTrafficSetting for host {host} also in {other}: settings for one host conflict',
    doc: `Two UpstreamTrafficSettings for the same host give conflicting circuit breakers and rate limits; OSM's validator calls it a conflict and at run time one of them applies by chance. Fix: merge them into one object.`,
  },
  {
    code: 'MESH1150', name: 'retry-source-not-found', severity: 'warning', area: 'rules/osm',
    message: 'Retry source ServiceAccount {namespace}/{name} is not in the input{hint}',
    doc: `A Retry applies to the outbound routes of the proxies running as its source ServiceAccount. A source nobody runs as retries nothing, usually a typo. Fix: name an existing ServiceAccount, or declare it with assumeExternal.`,
  },
  {
    code: 'MESH1151', name: 'retry-destination-not-found', severity: 'error', area: 'rules/osm',
    message: 'Retry destination {kind} {namespace}/{name} {why}',
    doc: `Retry destinations are Services (kind Service) the source calls; the retry policy goes on the client's routes to them. A destination that is missing, or of another kind, gets no retries and OSM says nothing (Retry was never validated, osm#4778). Fix: name an existing Service with kind: Service.`,
  },
  {
    code: 'MESH1152', name: 'retry-conflict', severity: 'warning', area: 'rules/osm',
    message: 'Retry {name} and {other} both set the retry policy from {source} to {destination}: {winner} wins',
    doc: `Only one retry policy can apply to a client's route. OSM takes the first Retry it lists for the source and destination; meshc takes the first by namespace and name, so the result is deterministic but one policy is ignored. Fix: keep one Retry per source and destination.`,
  },
  {
    code: 'MESH1153', name: 'retry-subject-kind', severity: 'error', area: 'rules/osm',
    message: 'Retry source kind {kind}: a Retry source is a ServiceAccount',
    doc: `OSM matches Retry.spec.source against the proxy's ServiceAccount identity; a source of another kind never matches, so the Retry does nothing. Fix: write kind: ServiceAccount.`,
  },
  {
    code: 'MESH1170', name: 'egress-chain-conflict', severity: 'warning', area: 'compile/osm',
    message: 'Egress {name} port {port} ({protocol}) is left out of the compiled output: {why}',
    doc: `Egress chains are told apart from the mesh's own outbound chains by port and destination (IP range, TLS server name, Host). An Egress that would match every destination on a port where a proxy already sends traffic to a mesh service (by port alone) would duplicate that filter chain, which Envoy rejects; meshc leaves that Egress port out for the proxies concerned. Fix: give the Egress ipAddresses (tcp) or hosts (https), or use another port.`,
  },
  {
    code: 'MESH1180', name: 'ingress-backend-source-no-endpoints', severity: 'error', area: 'rules/osm',
    message: 'IngressBackend source Service {namespace}/{name} has no ready endpoint address ({from}): OSM drops the whole IngressBackend',
    doc: `A source of kind Service admits the endpoint IPs of that Service (the ingress controller's pods) as source prefix ranges. When the Service has no ready endpoint address, OSM sets the IngressBackend's status to "endpoints not found for service" and builds none of its ingress chains, so the backend refuses every ingress request; meshc compiles none either. Fix: name the ingress controller's Service (one with ready endpoints), or admit its addresses with an IPRange source.`,
  },
  {
    code: 'MESH1181', name: 'ingress-backend-source-endpoints-unknown', severity: 'warning', area: 'rules/osm',
    message: 'IngressBackend source Service {namespace}/{name}: its addresses are not in the input ({why}); meshc compile leaves IngressBackend {ingressBackend} out',
    doc: `OSM admits the endpoint IPs of a source Service, which it reads from the cluster at run time. meshc compiles from files: without an Endpoints (or EndpointSlice) object for the Service, or bare Pods with status.podIP, it cannot know them, and compiling the ingress chain without them would admit the wrong clients, so the IngressBackend is left out of the compiled output (the backend refuses ingress traffic). Fix: add the Service's Endpoints (kubectl get endpoints -o yaml) to the input, or admit the ingress controller's addresses with an IPRange source.`,
  },
  {
    code: 'MESH1182', name: 'ingress-backend-no-inbound', severity: 'warning', area: 'rules/osm',
    message: 'IngressBackend backend {name} port {port}: {why}, so no proxy has an inbound listener the ingress chain could attach to',
    doc: `OSM builds an IngressBackend's chain on the inbound listener of the proxies of the backend Service's pods, beside the mesh's own chain for the port. A Service that selects no workload of the input has no proxy, and a port whose protocol is not proxied (UDP, SCTP) has no inbound chain: the IngressBackend compiles to nothing and the ingress controller's requests never reach the application through the mesh. Fix: point the backend at a Service with meshed pods and a TCP port (the application's HTTP port).`,
  },
  {
    code: 'MESH1183', name: 'ingress-chain-left-out', severity: 'warning', area: 'compile/osm',
    message: 'IngressBackend {name} backend {backend} is left out of the compiled output: {why}',
    doc: `An ingress chain shares the inbound listener with the mesh's own chain for the port; Envoy picks a chain by destination port, TLS server name, transport protocol and source address, and refuses a listener with two chains that match alike. An https backend without tls.sniHosts and without Service or IPRange sources would match exactly the mTLS connections of the mesh's own chain, and two IngressBackends reaching the same pod port through different Services would give it two ingress chains; meshc leaves such a chain out for the proxies concerned. Fix: give tls.sniHosts (the name the ingress controller sends as SNI) or a Service/IPRange source; keep one IngressBackend per pod port.`,
  },
  {
    code: 'MESH1184', name: 'ingress-backend-grpc-target', severity: 'info', area: 'compile/osm',
    message: 'IngressBackend {name} is not compiled for --target grpc: proxyless gRPC servers have no sidecar to terminate ingress traffic',
    doc: `An IngressBackend opens a sidecar's inbound listener to an ingress controller outside the mesh (plain HTTP or TLS, by source address and client certificate). With --target grpc there is no sidecar: the application's XdsServer only takes the mesh's mTLS gRPC connections, and an ingress controller's HTTP/1 or plain-text requests cannot be admitted through xDS. Fix: compile the backend's workloads with --target envoy, or let the ingress controller call the service through the mesh (a TrafficTarget from its identity).`,
  },
  {
    code: 'MESH1185', name: 'ingress-http-unrestricted', severity: 'warning', area: 'rules/osm',
    message: 'IngressBackend backend {name} port {port} is plain http and no Service or IPRange source restricts who may connect: any client that reaches the pod gets in',
    doc: `A plain-http ingress chain can only admit clients by address: HTTP carries no verifiable identity, so OSM ignores AuthenticatedPrincipal sources on it (it wildcards the principal) and logs that allowing HTTP ingress without sources is insecure. Without a Service or IPRange source the chain matches every plain-text connection to the port, from anywhere the pod can be reached. Fix: add the ingress controller's Service (or its IPRange) as a source, or use https with client-certificate validation.`,
  },
  {
    code: 'MESH1190', name: 'egress-cluster-settings-shared', severity: 'warning', area: 'compile/osm',
    message: 'Egress {name} port {port} sends to the egress cluster {cluster}: {why}',
    doc: `An UpstreamTrafficSetting named in an Egress's matches sets the connection limits (circuit breakers, connect timeout, max requests per connection) of the egress clusters that Egress uses, as OSM did: \`<host>:<port>\` for http, and for https and tcp the one ORIGINAL_DST cluster \`<port>\` that every Egress of the proxy shares on that port. A cluster has one set of limits: the first Egress (by namespace/name) naming an UpstreamTrafficSetting for it decides, and they also limit the traffic of every other Egress on that cluster (OSM kept whichever cluster configuration it built first). Fix: name the same UpstreamTrafficSetting in every Egress on that port, or move one of them to another port.`,
  },
  {
    code: 'MESH1191', name: 'osm-flag-not-compiled', severity: 'info', area: 'compile/osm',
    message: 'MeshConfig featureFlags.{flag} is not compiled as OSM did: {why}',
    doc: `A MeshConfig feature flag that is on, but that this compile does not realise the way ${OSM} did. enableWASMStats: OSM loaded a WebAssembly filter counting osm_request_total and osm_request_duration_ms by source and destination workload (namespace, kind, name, pod; the destination learnt from osm-stats-* response headers); meshc ships no WASM binary and instead tags Envoy's own statistics in each bootstrap's stats_config (source_namespace, source_kind, source_name on every statistic; destination_namespace and destination_name of mesh clusters), so envoy_cluster_upstream_rq and envoy_cluster_upstream_rq_time give requests, response codes and durations per source workload and destination Service, without the destination workload or pod. With --target grpc neither stats nor active health checks exist. enableSnapshotCacheMode and enableAsyncProxyServiceMapping configure osm-controller itself, nothing in the proxies. Fix: none needed; point dashboards at the Envoy metric names, or leave the flag off.`,
  },
  {
    code: 'MESH1192', name: 'osm-multicluster-mode', severity: 'warning', area: 'compile/osm',
    message: 'MeshConfig featureFlags.enableMulticlusterMode is ignored: meshc compiles the endpoints of the input\'s cluster only, none of other clusters',
    doc: `In ${OSM}'s multicluster mode osm-controller added endpoints of the same service in other clusters (from its multicluster service API) to the proxies' clusters. meshc compiles one mesh from the input it is given: no remote endpoints, so traffic OSM would have sent to another cluster stays in this one. Fix: leave the flag off, or compile each cluster's mesh on its own.`,
  },
  {
    code: 'MESH1160', name: 'mesh-config-file-without-mesh-config', severity: 'error', area: 'cli',
    message: '--mesh-config {file} holds no MeshConfig{hint}',
    doc: `--mesh-config names a file with the mesh's MeshConfig (config.openservicemesh.io), read in addition to the given paths. A file without one (or with only invalid documents) would silently leave OSM's defaults in force. Fix: point --mesh-config at the MeshConfig YAML (e.g. from kubectl get meshconfig osm-mesh-config -n osm-system -o yaml).`,
    incomplete: true,
  },
];
