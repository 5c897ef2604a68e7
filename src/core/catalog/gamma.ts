import type { CatalogEntry } from './types.ts';

/** MESH1200–MESH1299: the Gateway API (GAMMA) front end. */
export const gammaCatalog = <const>[
  {
    code: 'MESH1200', name: 'gamma-gateway-parent-skipped', severity: 'info', area: 'model/gamma',
    message: '{kind} {route} attaches to {parent}: north-south routes (Gateway parents) are outside meshc\'s scope; this parentRef is skipped',
    doc: 'meshc reads the mesh profile of Gateway API (GAMMA): routes whose `parentRefs` name a Service (`group: ""`, `kind: Service`). A parentRef to a Gateway (the default when `group` and `kind` are left out) or any other kind configures ingress, which meshc does not model. '
      + 'The parentRef is skipped; the route\'s Service parentRefs, if any, still apply. Nothing to fix if the route is meant for a Gateway; to attach it to a Service, write `group: ""` and `kind: Service`.',
  },
  {
    code: 'MESH1201', name: 'gamma-parent-service-not-found', severity: 'error', area: 'model/gamma',
    message: '{kind} {route} attaches to Service {service}, which is not in the input{hint}',
    doc: 'A mesh route applies to the traffic sent to its parent Service. No Service of that name exists in that namespace in the input, so the route governs nothing (an API server would report `Accepted=False`, reason `NoMatchingParent`). '
      + 'Fix the name or namespace, add the Service, or list it in `assumeExternal` (`Service/namespace/name`) when it is declared elsewhere.',
  },
  {
    code: 'MESH1202', name: 'gamma-backend-namespace-not-granted', severity: 'error', area: 'model/gamma',
    message: 'backendRef {backend} is in namespace {namespace}, and no ReferenceGrant there lets {kind}s from {from} refer to it',
    doc: 'Gateway API lets a route send traffic to a Service of another namespace only when a ReferenceGrant in that namespace allows it (`from: {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: <route namespace>}`, `to: {group: "", kind: Service[, name]}`). '
      + 'GEP-1294 lets mesh implementations waive this, but implementations differ (some require the grant), so meshc asks for it. Without it the backend gets no traffic and its share of requests fails (HTTP 500). '
      + 'Fix: add the ReferenceGrant in the backend\'s namespace, or route to a Service of the route\'s namespace.',
  },
  {
    code: 'MESH1203', name: 'gamma-weights-zero', severity: 'error', area: 'model/gamma',
    message: 'every backendRef of rule {rule} has weight 0: no request it matches can be served',
    doc: 'Gateway API weights are relative (default 1); a backend\'s share is its weight over the sum. When all weights of a rule are 0 no backend takes traffic, and what the data plane does is not specified (Envoy rejects a weighted cluster set with total 0; most implementations answer 500). '
      + 'Fix: give at least one backendRef a weight above 0 (or leave `weight` out: it defaults to 1).',
  },
  {
    code: 'MESH1204', name: 'gamma-route-and-split-same-service', severity: 'error', area: 'model/gamma',
    message: '{kind} {route} and TrafficSplit {split} (at {where}) both route Service {service}: mixing SMI and Gateway API on one Service is ambiguous',
    doc: 'During a migration off SMI both front ends can live in one mesh, but not on one Service: a TrafficSplit and a mesh route would each decide where the Service\'s traffic goes, and which one wins depends on the mesh implementation. '
      + 'meshc keeps the TrafficSplit (the route is left out of reachability and compile) and reports both locations. Fix: delete one of them; `meshc export --format gateway-api` writes the route that replaces a TrafficSplit, and `meshc diff` shows the swap changes no reachability.',
  },
  {
    code: 'MESH1205', name: 'gamma-route-not-modelled', severity: 'warning', area: 'model/gamma',
    message: '{kind} {route}: meshc does not model {what} yet; the route is left out of reachability, why, graph and compile',
    doc: 'meshc lowers the mesh routes of a Service into its canonical model: every rule of every route attached to the Service (same-namespace producer routes), merged into one table in Gateway API precedence order, each rule sending the requests its matches select (path, header, query parameter, method; gRPC service/method) to weighted backendRefs, including backends in other namespaces that a ReferenceGrant allows; requests no rule matches get 404. '
      + 'Each rule may carry `timeouts` and the filters RequestHeaderModifier, ResponseHeaderModifier and RequestMirror. '
      + 'Not modelled yet: the filters URLRewrite, RequestRedirect, CORS and ExtensionRef, filters on a backendRef, `retry` and `sessionPersistence`, non-Service backends, a backendRef in another namespace without a ReferenceGrant (MESH1202), consumer routes (a parent Service in another namespace: they apply only to the clients of the route\'s namespace, and reachability routes a Service alike for every client), and routes on one Service that apply to different parentRef ports. '
      + 'The route (for a port conflict, the later route by age and name) is skipped as a whole, so reachability (and compile) leaves it out: say so in review, or reshape the route.',
  },
  {
    code: 'MESH1206', name: 'gamma-service-parent-group', severity: 'error', area: 'model/gamma',
    message: 'parentRef {index} names kind Service but no group: the group defaults to gateway.networking.k8s.io, so this names no Service; write group: ""',
    doc: 'In a Gateway API ParentReference `group` defaults to `gateway.networking.k8s.io` and `kind` to `Gateway`. A mesh (GAMMA) route must say `group: ""` (the core API group) for its parent to be a Service; with the group left out the reference means a Gateway API kind named Service, which does not exist, and the route never attaches. Fix: add `group: ""`.',
  },
  {
    code: 'MESH1210', name: 'gamma-backend-timeout-exceeds-request', severity: 'error', area: 'model/gamma',
    message: 'rule {rule}: timeouts.backendRequest {backendRequest} is longer than timeouts.request {request}: a try can never outlast the whole request',
    doc: 'GEP-1742: `timeouts.request` bounds the whole request as the client sees it (every retry included), `timeouts.backendRequest` each try to a backend, so backendRequest must not exceed request (the API server\'s CEL rule rejects it; "0s" disables a timeout). '
      + 'meshc compiles request to the Envoy route `timeout` and backendRequest to `retry_policy.per_try_timeout`. Fix: shorten backendRequest, lengthen request, or set request to "0s".',
  },
  {
    code: 'MESH1211', name: 'gamma-mirror-backend-not-found', severity: 'error', area: 'model/gamma',
    message: 'rule {rule}: RequestMirror sends copies to {backend}, which is not in the input{hint}',
    doc: 'A RequestMirror filter sends a copy of each routed request (or the `percent`/`fraction` of them) to its backendRef; the answer is discarded. The mirrored Service must exist in the input (or be listed in `assumeExternal`) and have the port the filter names, else the copies go nowhere (an API server reports `ResolvedRefs=False`, `BackendNotFound`). '
      + 'meshc leaves the mirror out of the compiled route. Fix the backendRef\'s name, namespace or port, or add the Service.',
  },
  {
    code: 'MESH1216', name: 'gamma-mirror-backend-port-not-found', severity: 'error', area: 'model/gamma',
    message: 'rule {rule}: RequestMirror sends copies to {backend}, which has no port {port} (its ports: {ports})',
    doc: 'A RequestMirror filter\'s backendRef names the port the copies go to; the mirrored Service has no such port, so the copies go nowhere (an API server reports `ResolvedRefs=False`, `BackendNotFound`). '
      + 'meshc leaves the mirror out of the compiled route. Fix the backendRef\'s port (one of the Service\'s ports), or add the port to the Service.',
  },
  {
    code: 'MESH1212', name: 'gamma-header-not-modifiable', severity: 'error', area: 'model/gamma',
    message: 'rule {rule}: {filter} cannot change header {header}: {why}',
    doc: 'Envoy refuses a route that adds, sets or removes the `host` header (or a `:`-prefixed pseudo-header): `:-prefixed or host headers may not be modified`, and the whole route configuration would be rejected. Gateway API\'s header-name pattern lets `Host` through, so meshc checks it. '
      + 'A header that a filter both sets and adds, or sets twice, is ambiguous (Gateway API lists are keyed by name). meshc leaves the entry out of the compiled route. Fix: route on the Host with a URLRewrite hostname where supported, or drop the entry.',
  },
  {
    code: 'MESH1213', name: 'gamma-mirror-not-allowed', severity: 'warning', area: 'compile',
    message: '{route}: RequestMirror to {mirror} is left out of the routes of {nodes} proxy node(s): {reason}',
    doc: 'A mirrored request is sent by the client\'s proxy with the client\'s identity, so the mirror Service\'s TrafficTargets must admit that client, like any other request (Gateway API routes decide where traffic goes, not who may send it). '
      + 'For a client they do not admit, every copy would be refused by the mirror\'s inbound RBAC; meshc leaves the mirror out of that client\'s routes instead (the routed requests are unchanged) and says so here. Fix: add a TrafficTarget admitting the clients to the mirror Service, or accept that their requests are not mirrored.',
  },
  {
    code: 'MESH1214', name: 'gamma-grpc-target-drops', severity: 'warning', area: 'compile',
    message: '{route}: proxyless gRPC clients (--target grpc) do not honour {what}; left out of the routes of {nodes} proxy node(s)',
    doc: '@grpc/grpc-js-xds realises a route\'s matches (path, headers), weighted clusters and its timeout (as `max_stream_duration`, gRFC A31), but not header mutations, request mirroring or per-try timeouts (its router reads none of them), and it ignores `query_parameters` (gRPC requests have no query string; a query match would match every call, so meshc leaves that route out, as gRPC-Go does). '
      + 'The compiled gRPC configuration holds only what the clients do; the Envoy target (`--target envoy`) realises all of it. Nothing to fix if the gRPC clients need none of it; otherwise run these clients with a sidecar.',
  },
  {
    code: 'MESH1215', name: 'gamma-mirror-fraction-invalid', severity: 'error', area: 'model/gamma',
    message: 'rule {rule}: RequestMirror {what}',
    doc: 'A RequestMirror filter takes `percent` (0–100) or `fraction` (`numerator` ≤ `denominator`, denominator ≥ 1), not both (the API server\'s CEL rules). meshc mirrors that share of the requests (Envoy `runtime_fraction`, in millionths when the denominator does not divide a million); with an invalid share it leaves the mirror out. Fix the share.',
  },
  {
    code: 'MESH1230', name: 'gamma-rule-never-matches', severity: 'warning', area: 'model/gamma',
    message: '{rule}{match} never matches a request to Service {service}: {earlier} comes first in Gateway API precedence and matches every request it would',
    doc: 'The rules of every mesh route attached to a Service form one table, tried in Gateway API precedence order: Exact path, longest PathPrefix, method, most headers, most query parameters; ties by the oldest route, then namespace/name, then rule order. '
      + 'A rule (or one match of it) that selects exactly the requests an earlier entry selects, or that comes after an entry matching every request, can never take a request: its backends get nothing. Usually a copy left behind or two routes written for the same traffic. '
      + 'Fix: delete the dead rule, or make its match more specific than the one that shadows it.',
  },
  {
    code: 'MESH1232', name: 'gamma-rule-without-backends', severity: 'error', area: 'model/gamma',
    message: 'rule {rule} of {kind} {route} has no backendRefs: no request it matches can be served',
    doc: 'A mesh route rule sends the requests its matches select to its backendRefs. A rule without any, and without a filter that answers by itself (a redirect, which meshc does not model: MESH1205), leaves those requests nowhere to go: a data plane answers them as a rule whose backends are all invalid, with 500, and `why` answers DENIED for them. Usually backendRefs forgotten or deleted in an edit, so compile writes nothing while it stands (suppressed, the rule compiles to a 500 for every request it matches). '
      + 'Fix: list the backend Services (each with its `port`), or delete the rule.',
  },
  {
    code: 'MESH1231', name: 'gamma-httproute-overridden-by-grpcroute', severity: 'warning', area: 'model/gamma',
    message: 'HTTPRoute {route} is ignored on Service {service}: GRPCRoute {grpc} is attached to it too, and GRPCRoute takes precedence',
    doc: 'GEP-1294: when routes of different types attach to one Service port, only one type applies, in the order GRPCRoute > HTTPRoute > TLSRoute > TCPRoute; the losing routes are not accepted. meshc models the GRPCRoutes and leaves the HTTPRoute out of reachability and compile. '
      + 'Fix: move the HTTPRoute\'s rules into the GRPCRoute (gRPC is HTTP/2: match on service/method and headers), or attach the HTTPRoute to another Service.',
  },
];
