import { keyOf } from '../../core/types.ts';
import { grantCoversPort } from '../../reach/grants.ts';
import type { ReachPort } from '../../reach/types.ts';
import type { Workload } from '../../model/types.ts';
import { carriesHttp } from '../../model/port-protocol.ts';
import type { Rule } from '../types.ts';
import { isExternal, mayHaveExternal } from '../util/external.ts';
import { SUBJECTS_EXIST_RULE, subjectDeclared } from '../util/refs.ts';
import { reachabilityOf } from './shared.ts';
import { listNames } from '../util/text.ts';


const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'];

/** What the TrafficTargets of one destination identity share. */
interface Destination {
  workloads: Workload[];
  /** Services the identity serves. */
  served: string[];
  ports?: ServedPorts;
}

interface ServedPorts {
  ports: { svc: string; p: ReachPort }[];
  /** Some port carries HTTP (HTTP rules can apply). */
  http: boolean;
  /** Some port is TCP. */
  tcp: boolean;
}

/**
 * MESH0602–0604: TrafficTargets (or rules of them) that admit nobody anywhere:
 * no workload runs as the destination, no Service serves it, or a rule covers no port.
 */
export const trafficTargetGrantsNothing: Rule = {
  id: 'traffic-target-grants-nothing',
  description: 'TrafficTargets whose destination runs no workload or serves no Service, and rules that cover no port',
  codes: ['MESH0602', 'MESH0603', 'MESH0604'],
  inputs: ['trafficTargets'],
  run(ctx) {
    // Policy-only inputs (no workloads at all) say nothing about who runs where.
    if (ctx.config.permissive || ctx.mesh.workloads.length === 0) return;
    const reach = reachabilityOf(ctx);
    const grantsByTarget = new Map<string, typeof reach.grants>();
    for (const g of reach.grants) {
      const list = grantsByTarget.get(g.trafficTarget);
      if (list) list.push(g);
      else grantsByTarget.set(g.trafficTarget, [g]);
    }
    // Per destination identity (TrafficTargets of one destination share it): its workloads, Services and their ports.
    const destinations = new Map<string, Destination>();
    const destinationOf = (identity: string): Destination => {
      let d = destinations.get(identity);
      if (!d) destinations.set(identity, (d = { workloads: ctx.index.workloadsByIdentity.get(identity) ?? [], served: reach.servicesByIdentity[identity] ?? [] }));
      return d;
    };
    const portsOf = (d: Destination): ServedPorts => {
      if (!d.ports) {
        const ports = d.served.flatMap((svc) => reach.services[svc].ports.map((p) => ({ svc, p })));
        d.ports = { ports, http: ports.some(({ p }) => carriesHttp(p)), tcp: ports.some(({ p }) => p.protocol === 'TCP') };
      }
      return d.ports;
    };
    const seen = new Set<string>();
    const subjectsChecked = !ctx.config.disableRules.includes(SUBJECTS_EXIST_RULE);
    for (const tt of ctx.mesh.trafficTargets) {
      const key = keyOf(tt.meta);
      if (seen.has(key) || tt.destination.kind !== 'ServiceAccount') continue;
      seen.add(key);
      const identity = keyOf(tt.destination);
      const destination = destinationOf(identity);
      const { workloads, served } = destination;
      if (workloads.length === 0) {
        // An undeclared destination (usually a typo) is MESH0212's finding, at the same spot: one finding, not two.
        if (subjectsChecked && !subjectDeclared(ctx, tt.destination)) continue;
        if (!isExternal(ctx.config, 'ServiceAccount', tt.destination.namespace, tt.destination.name) && !mayHaveExternal(ctx.config, WORKLOAD_KINDS, tt.destination.namespace)) {
          ctx.report('MESH0602', { identity }, { meta: tt.meta, path: ['spec', 'destination', 'name'] });
        }
        continue;
      }
      if (served.length === 0) {
        if (!mayHaveExternal(ctx.config, ['Service'], tt.destination.namespace)) {
          const names = workloads.map((w) => `${w.workloadKind} ${w.meta.name}`);
          ctx.report('MESH0604', { identity, workloads: listNames(names) }, { meta: tt.meta, path: ['spec', 'destination', 'name'] });
        }
        continue;
      }
      const grants = grantsByTarget.get(key);
      if (!grants) continue;
      const { ports, http, tcp } = portsOf(destination);
      for (const g of grants) {
        // Missing routes and unknown match names have their own findings (MESH0207, MESH0209).
        if (g.routeMissing || (g.protocol === 'http' && (g.http?.length ?? 0) === 0)) continue;
        // (An HTTP grant with matches covers exactly the ports that carry HTTP.)
        if (g.protocol === 'http' ? http : ports.some(({ p }) => grantCoversPort(g, p))) continue;
        // An HTTP rule whose TCP ports are all plain TCP (tcp-… name, appProtocol) is MESH0607's finding, with the fix.
        if (g.protocol === 'http' && tcp) continue;
        const portList = listNames(ports.map(({ svc, p }) => `${svc}:${p.port}/${p.protocol}`), 4);
        const rule = `${g.route.kind} ${g.route.name}${g.ports === 'all' ? '' : ` (ports ${g.ports.join(', ')})`}`;
        ctx.report('MESH0603', { rule, identity, ports: portList }, { meta: tt.meta, path: ['spec', 'rules', g.rule] });
      }
    }
  },
};
