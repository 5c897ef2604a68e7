import type { CatalogEntry } from './types.ts';

/** MESH0600–MESH0699: reachability findings. */
export const reachCatalog = <const>[
  {
    code: 'MESH0601', name: 'service-unreachable', severity: 'warning', area: 'rules/reach',
    message: 'no identity may reach Service {service}: no TrafficTarget admits any caller to {identities}',
    doc: 'SMI denies by default: a caller reaches a Service port only through a TrafficTarget whose destination is the identity (ServiceAccount) of the Service\'s pods and whose rules cover that port. '
      + 'No TrafficTarget in the input admits anyone to this Service (nor, for a TrafficSplit root, to any of its backends), so in SMI mode every request to it is denied. '
      + 'Fix: add a TrafficTarget with `destination` = the ServiceAccount the Service\'s pods run as, the callers as `sources`, and a rule covering the port; '
      + 'if the Service is only called from outside the mesh (ingress), suppress this finding for it. Not reported in permissive mode, nor for Services that select no pod '
      + '(a TrafficSplit root: when none of its backends selects one either), so an input without workloads (policy only) is not judged.',
  },
  {
    code: 'MESH0602', name: 'traffic-target-destination-runs-nothing', severity: 'warning', area: 'rules/reach',
    message: 'no workload runs as destination identity {identity}: this TrafficTarget grants nothing',
    doc: 'A TrafficTarget admits its sources to the pods that run as its destination ServiceAccount. No Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod in the input runs as this ServiceAccount '
      + '(`serviceAccountName`, `default` when unset), so the TrafficTarget admits nobody anywhere. Usually the destination name has a typo or the workload runs under another ServiceAccount. '
      + 'Fix: name the ServiceAccount the destination pods run as. Reported only when the input contains workloads at all (policy-only repositories are not judged), '
      + 'and only for ServiceAccounts the input declares: an undeclared one (usually a typo) is MESH0212, with a suggestion; '
      + 'list identities that live elsewhere in `assumeExternal` (`ServiceAccount/namespace/name`).',
  },
  {
    code: 'MESH0603', name: 'traffic-target-rule-covers-no-port', severity: 'warning', area: 'rules/reach',
    message: 'rule {rule} covers no port of the Services {identity} serves ({ports}): it grants nothing',
    doc: 'An HTTPRouteGroup rule admits HTTP on every HTTP or gRPC port of the destination\'s Services (a Service whose TCP ports are all plain TCP is MESH0607); a TCPRoute rule admits its `ports` (`[]` = every port) of TCP Service ports; a UDPRoute rule its ports of UDP Service ports. '
      + 'A route port matches a Service port when it equals the Service `port` or its (resolved) `targetPort`. This rule matches none of the ports of the Services whose pods run as the destination identity, so it admits nothing. '
      + 'Fix: correct the route\'s ports (or the rule kind: UDPRoute for UDP ports, TCPRoute/HTTPRouteGroup for TCP ports).',
  },
  {
    code: 'MESH0604', name: 'traffic-target-destination-serves-no-service', severity: 'warning', area: 'rules/reach',
    message: 'destination identity {identity} runs {workloads} but no Service selects its pods: callers have no address to reach it by',
    doc: 'Meshes route to Services: a caller reaches the destination pods only through a Service whose selector picks them (OSM builds outbound clusters per Service). '
      + 'Pods run as this TrafficTarget\'s destination ServiceAccount, but no Service in the input selects them, so the TrafficTarget has no effect. '
      + 'Fix: add or fix the Service selector, or list the Service in `assumeExternal` if it is declared elsewhere.',
  },
  {
    code: 'MESH0605', name: 'http-match-shadowed', severity: 'warning', area: 'rules/reach',
    message: 'match {match} (granted to {callers}) {relation} {other} from TrafficTarget {by}, which comes first for destination {identity}: OSM would deny {callers} {which}',
    doc: 'Open Service Mesh builds one inbound route per TrafficTarget rule match, in TrafficTarget order then match order, and Envoy uses the first route that matches a request; the RBAC of that route (its TrafficTarget\'s sources) decides. '
      + 'Identical routes are merged (their sources united), but when one match contains another and the sources differ, the route that comes first decides the requests both match: '
      + 'a broader route first captures every request of the narrower one, denying the narrower route\'s other callers (osm#5297); a narrower route first takes its requests away from the broader route\'s other callers. '
      + 'The SMI spec (allow rules are additive) would admit them, so the policy is not portable; OSM\'s route order follows its informer cache, so reordering files is no fix. '
      + 'meshc compares in input order and reports only where containment is decidable: one match allows every method and header of the other and its path is `.*`-like, identical, or a literal followed by `.*` that prefixes the other\'s literal path. '
      + 'Fix: give both TrafficTargets the same sources for the overlapping matches, or make the matches disjoint.',
  },
  {
    code: 'MESH0606', name: 'split-backend-denies-caller', severity: 'warning', area: 'rules/reach',
    message: '{callers} → {root}: {percent} of requests go to {backend}, whose identity does not allow {who}',
    doc: 'Traffic to a TrafficSplit root is divided among its backends by weight, and each backend admits callers by its own identity (TrafficTargets whose destination is the ServiceAccount of the backend\'s pods). '
      + 'These callers may reach the root (or another backend) but no TrafficTarget admits them to this backend, so that share of their requests fails: in OSM the weighted cluster for the backend is missing from the caller\'s configuration and requests get 503 (smi-spec#171); the proxies `meshc compile` writes keep the declared weights and the backend\'s inbound RBAC denies that share (403), which is also what `meshc why` and `meshc test` answer. '
      + 'Fix: add the callers as sources of a TrafficTarget for the backend\'s identity (with the same routes), or give the backend weight 0.',
  },
  {
    code: 'MESH0607', name: 'http-rule-on-tcp-port', severity: 'warning', area: 'rules/reach',
    message: 'HTTPRouteGroup rule {route} of TrafficTarget {trafficTarget} can never apply to port {port} of Service {service}, which is plain TCP by {why}: {fix}',
    doc: 'HTTPRouteGroup rules admit HTTP requests by path, method and headers, so they can only be enforced where the proxy sees HTTP: on Service ports meshc compiles as HTTP or gRPC. '
      + 'The protocol of a port is decided as OSM decides it: `appProtocol` (`http`, `grpc`, `http2`, `h2c`; any other value is plain TCP), else the port-name prefix (`tcp-` and `tcp-server-first-` are plain TCP, `grpc-` is gRPC), else HTTP. '
      + 'The rule applies to no port of this Service, and this port is plain TCP: the rule admits nothing there, in `why`, `meshc test` and the compiled proxies (whose TCP filter chain cannot inspect requests; admitting every byte stream would widen the policy). '
      + 'Reported once per rule and plain-TCP port of a Service the rule reaches no port of, unless every caller of the rule is admitted to that port by another rule. '
      + 'Fix: if the port carries HTTP, name it `http-…` (or `grpc-…`) or set `appProtocol: http`; if it is really TCP, grant it with a TCPRoute rule.',
  },
  {
    code: 'MESH0630', name: 'service-pods-deny-caller', severity: 'warning', area: 'rules/reach',
    message: '{callers} may reach Service {service} port {port}, but its pods also run as {denying}, which {verb} not admit {who}; their endpoints cannot be told apart, so part of that traffic reaches pods that refuse it',
    doc: 'A Service whose pods run as several identities (ServiceAccounts) admits each caller by the TrafficTargets of each identity. '
      + 'When every endpoint address of the Service is known and attributed to its pod (Endpoints or EndpointSlices whose addresses name their Pod in targetRef, or bare Pods with status.podIP), `meshc compile` gives such a caller a cluster of the admitting pods only (as Open Service Mesh does). '
      + 'Here the endpoints are not known (or some address cannot be attributed), so the caller\'s cluster balances over every pod and the pods running as the other identities refuse its connections (403 for HTTP, a reset for TCP). `meshc why` answers DENIED for these callers and says so. '
      + 'Fix: admit the callers to every identity behind the Service, give each identity a Service of its own, or add the Service\'s Endpoints/EndpointSlices (kubectl get endpointslices -o yaml) to the input.',
  },
  {
    code: 'MESH0631', name: 'tcp-port-ambiguous', severity: 'warning', area: 'rules/reach',
    message: 'Service {service} port {port} is TCP with no known ClusterIP or endpoint address, and port {port} also carries {other} for {callers}: their outbound listener cannot tell them apart, so {service}:{port} is left out of it',
    doc: 'An Envoy sidecar\'s outbound listener picks a filter chain by the destination a connection was opened to. An HTTP chain is chosen by the Host header, a TCP chain only by destination address and port. '
      + 'A TCP Service port without a ClusterIP (clusterIP unset in the input, or headless with no known endpoint address) can only be matched by its port number, so when the caller also reaches another Service on that port the connections cannot be told apart. '
      + '`meshc compile` leaves the port out of those callers\' configuration (MESH0858), and `meshc why` answers DENIED for them. '
      + 'Fix: give the Service its ClusterIP (spec.clusterIP, as in kubectl get service -o yaml), list its Endpoints/EndpointSlices (headless), or move one of the Services to another port.',
  },
  {
    code: 'MESH0632', name: 'tcp-port-catch-all', severity: 'warning', area: 'rules/reach',
    message: 'Service {service} port {port} is TCP with no known ClusterIP or endpoint address: the outbound listener of {callers} matches it by port alone, so every connection from there to port {port}, to any address, goes to {service}',
    doc: 'A TCP filter chain is chosen by destination address and port. Without a ClusterIP (clusterIP unset in the input, or a headless Service with no known endpoint address), the chain of this Service port matches its port number alone: '
      + 'connections the callers open to that port number anywhere else (a database outside the mesh, another Service\'s pod IP) are sent to this Service instead. '
      + '`meshc compile` still delivers the port (it is the only one of these callers on it), and `meshc why` notes it. '
      + 'Fix: give the Service its ClusterIP (spec.clusterIP, as in kubectl get service -o yaml) or, for a headless Service, its Endpoints/EndpointSlices.',
  },
  {
    code: 'MESH0633', name: 'http-rule-on-shared-tcp-target-port', severity: 'warning', area: 'rules/reach',
    message: 'HTTPRouteGroup rule {route} of TrafficTarget {trafficTarget} admits nothing at port {port} of Service {service}: the pods running as {identity} serve its target port through one TCP chain, since Service port {tcp} reaches the same target port as TCP',
    doc: 'A pod\'s sidecar serves each target port through one inbound filter chain. When several Services deliver to the same target port and one of them declares it TCP (appProtocol or a tcp- port-name prefix), the chain is TCP, as it must carry that Service\'s bytes, and no HTTP request can be inspected there: HTTPRouteGroup rules admit nothing at that port, whichever Service the caller used. '
      + '`meshc compile` reports the conflict (MESH0857) and the rule (MESH0859) and gives the callers no route there; `meshc why` answers DENIED (`http-rule-on-tcp-port`, delivery MESH0633). '
      + 'Fix: make the Services agree on the protocol of the target port (name the TCP one http-… if it carries HTTP), point them at different target ports, or admit the callers with a TCPRoute rule.',
  },
  {
    code: 'MESH0634', name: 'external-name-outside-mesh', severity: 'warning', area: 'rules/reach',
    message: 'Service {service} is an ExternalName Service for {host}, outside the mesh: in permissive mode every identity may reach it, but no proxy forwards connections to it',
    doc: 'In permissive mode every identity may reach every Service. An ExternalName Service whose name is outside the cluster (not under .svc.<cluster domain>) stands for a host without a sidecar: the mTLS connection a proxy opens to mesh Services could never be answered, and meshc compiles no egress. '
      + '`meshc compile` leaves it out of every outbound listener (MESH0867) and `meshc why` answers DENIED (`not-delivered`). '
      + 'Fix: reach the host without the mesh (exclude its port from interception), or point the ExternalName at an in-cluster name.',
  },
];
