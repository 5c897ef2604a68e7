import type { Rule } from './types.ts';
import { trafficTargetSubjectKind } from './access/traffic-target-subject-kind.ts';
import { trafficTargetNotEmpty } from './access/traffic-target-not-empty.ts';
import { trafficTargetNamespaces } from './access/traffic-target-namespaces.ts';
import { trafficTargetRuleRefs } from './access/traffic-target-rule-refs.ts';
import { trafficTargetSubjectsExist } from './access/traffic-target-subjects-exist.ts';
import { trafficTargetRulePortability } from './access/traffic-target-rule-portability.ts';
import { httpRouteGroupMatches } from './specs/http-route-group-matches.ts';
import { httpMatchRegex } from './specs/http-match-regex.ts';
import { httpMatchCriteria } from './specs/http-match-criteria.ts';
import { httpMatchHostHeader } from './specs/http-match-host-header.ts';
import { routePorts } from './specs/route-ports.ts';
import { pathRegexQueryString } from './specs/path-regex-query-string.ts';
import { trafficSplitRoot } from './split/traffic-split-root.ts';
import { trafficSplitBackends } from './split/traffic-split-backends.ts';
import { trafficSplitWeights } from './split/traffic-split-weights.ts';
import { trafficSplitNesting } from './split/traffic-split-nesting.ts';
import { trafficSplitConflict } from './split/traffic-split-conflict.ts';
import { trafficSplitPorts } from './split/traffic-split-ports.ts';
import { trafficSplitMatches } from './split/traffic-split-matches.ts';
import { serviceSelector } from './topology/service-selector.ts';
import { workloadServiceAccount } from './topology/workload-service-account.ts';
import { workloadServiceAccountExists } from './topology/workload-service-account-exists.ts';
import { serviceTargetPort } from './topology/service-target-port.ts';
import { servicePorts } from './topology/service-ports.ts';
import { serviceUnreachable } from './reach/service-unreachable.ts';
import { trafficTargetGrantsNothing } from './reach/traffic-target-grants-nothing.ts';
import { httpMatchShadowed } from './reach/http-match-shadowed.ts';
import { splitBackendDeniesCaller } from './reach/split-backend-denies-caller.ts';
import { httpRuleOnTcpPort } from './reach/http-rule-on-tcp-port.ts';
import { servicePodsDenyCaller } from './reach/service-pods-deny-caller.ts';
import { tcpPortAmbiguous } from './reach/tcp-port-ambiguous.ts';
import { tcpPortCatchAll } from './reach/tcp-port-catch-all.ts';
import { httpRuleOnSharedTcpTargetPort } from './reach/http-rule-on-shared-tcp-target-port.ts';
import { externalNameOutsideMesh } from './reach/external-name-outside-mesh.ts';

import { meshConfig } from './osm/mesh-config.ts';
import { permissiveMode } from './osm/permissive-mode.ts';
import { osmFeatureFlags } from './osm/osm-feature-flags.ts';
import { egressRefs } from './osm/egress-refs.ts';
import { egressDestinations } from './osm/egress-destinations.ts';
import { ingressBackendRefs } from './osm/ingress-backend-refs.ts';
import { ingressBackendConflicts } from './osm/ingress-backend-conflicts.ts';
import { ingressBackendSources } from './osm/ingress-backend-sources.ts';
import { ingressBackendSourceEndpoints } from './osm/ingress-backend-source-endpoints.ts';
import { ingressBackendInbound } from './osm/ingress-backend-inbound.ts';
import { upstreamTrafficSettingHost } from './osm/upstream-traffic-setting-host.ts';
import { retryRefs } from './osm/retry-refs.ts';
import { retryConflict } from './osm/retry-conflict.ts';

/** Every lint rule, in the order they run. Add one import and one entry per rule module. */
export const RULES: Rule[] = [
  // TrafficTarget (MESH02xx)
  trafficTargetSubjectKind, trafficTargetNotEmpty, trafficTargetNamespaces, trafficTargetRuleRefs, trafficTargetSubjectsExist, trafficTargetRulePortability,
  // HTTPRouteGroup, TCPRoute, UDPRoute (MESH03xx)
  httpRouteGroupMatches, httpMatchRegex, httpMatchCriteria, httpMatchHostHeader, routePorts, pathRegexQueryString,
  // TrafficSplit (MESH04xx)
  trafficSplitRoot, trafficSplitBackends, trafficSplitWeights, trafficSplitNesting, trafficSplitConflict, trafficSplitPorts, trafficSplitMatches,
  // Services, workloads, ports (MESH05xx)
  serviceSelector, workloadServiceAccount, workloadServiceAccountExists, serviceTargetPort, servicePorts,
  // Reachability (MESH06xx), one shared computation
  serviceUnreachable, trafficTargetGrantsNothing, httpMatchShadowed, splitBackendDeniesCaller, httpRuleOnTcpPort,
  // OSM MeshConfig and policy.openservicemesh.io (MESH11xx)
  meshConfig, permissiveMode, osmFeatureFlags, egressRefs, egressDestinations, ingressBackendRefs, ingressBackendConflicts,
  ingressBackendSources, ingressBackendSourceEndpoints, ingressBackendInbound, upstreamTrafficSettingHost, retryRefs, retryConflict,
  servicePodsDenyCaller, tcpPortAmbiguous, tcpPortCatchAll, httpRuleOnSharedTcpTargetPort,
  externalNameOutsideMesh,
];
