/**
 * Which workloads run a proxy, under which node id and directory, and the ports the sidecar takes from them: one
 * proxy per Deployment, StatefulSet, DaemonSet and bare Pod, running as its ServiceAccount identity.
 */
import type { Workload } from '../../../model/types.ts';
import type { InboundPortIR } from '../ir.ts';
import { NameRegistry, nodeDir, nodeId } from '../names.ts';
import { at, cmp, wKey, type BuildContext } from './context.ts';

/** Workload kinds that run a proxy of their own (a ReplicaSet's pods belong to its Deployment). */
export const PROXY_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']);

/** The workloads that run a proxy of their own, sorted by `wKey`. */
export function proxyWorkloads(ctx: BuildContext): Workload[] {
  const controllersByNs = new Map<string, Workload[]>();
  for (const w of ctx.workloadsByKey.values()) {
    if (w.workloadKind === 'Pod' || !PROXY_KINDS.has(w.workloadKind)) continue;
    const list = controllersByNs.get(w.meta.namespace);
    if (list) list.push(w);
    else controllersByNs.set(w.meta.namespace, [w]);
  }
  const proxies = [...ctx.workloadsByKey.values()].filter((w) => PROXY_KINDS.has(w.workloadKind) && !replicaOfInput(w, controllersByNs));
  return proxies.sort((a, b) => cmp(wKey(a), wKey(b)));
}

/**
 * A controller-managed Pod (`kubectl get all` output) whose controller is in the input too: a Deployment, StatefulSet
 * or DaemonSet of its namespace and ServiceAccount whose pod-template labels it carries. It runs that workload's
 * proxy, not one of its own. A controlled Pod without its controller in the input still gets a node.
 */
function replicaOfInput(w: Workload, controllersByNs: Map<string, Workload[]>): boolean {
  if (w.workloadKind !== 'Pod' || !w.controlled) return false;
  return (controllersByNs.get(w.meta.namespace) ?? []).some((c) => {
    if ((c.serviceAccountName ?? 'default') !== (w.serviceAccountName ?? 'default')) return false;
    const labels = Object.entries(c.podLabels);
    return labels.length > 0 && labels.every(([k, v]) => w.podLabels[k] === v);
  });
}

/** Claims node ids and directories; a workload whose id or directory is taken (or too long) gets no node. */
export class NodeNames {
  private readonly ids = new NameRegistry();
  private readonly dirs = new NameRegistry();

  constructor(private readonly ctx: BuildContext) {}

  /** The workload's node id and directory, or null (reported: MESH0853). */
  claim(w: Workload): { id: string; dir: string } | null {
    const id = nodeId(w.meta.namespace, w.workloadKind, w.meta.name);
    const dir = nodeDir(w.meta.namespace, w.workloadKind, w.meta.name);
    const clashId = this.ids.claim(id, wKey(w));
    // Lower-cased: on case-insensitive file systems (macOS, Windows) `Shop_…` and `shop_…` are one directory.
    const clashDir = this.dirs.claim(dir.toLowerCase(), wKey(w));
    if (clashId || clashDir) {
      this.ctx.reporter.report('MESH0853', { what: clashId ? 'node id' : 'node directory', name: clashId ? id : dir, first: clashId ?? clashDir, second: wKey(w) }, at(w.meta, ['metadata', 'name']));
      return null;
    }
    return { id, dir };
  }
}

/**
 * A port the application listens on that the sidecar also takes (MESH0866): one of the two cannot bind it, and
 * the inbound chain would forward callers back into Envoy (its admin API, for the admin port).
 */
export function reportPortClashes(ctx: BuildContext, w: Workload, inbound: InboundPortIR[]): void {
  const { ports } = ctx.options;
  const proxyPorts = new Map<number, { flag: string; what: string }>([
    [ports.inbound, { flag: 'inbound-port', what: 'inbound listener' }],
    [ports.outbound, { flag: 'outbound-port', what: 'outbound listener' }],
    [ports.stats, { flag: 'stats-port', what: 'Prometheus listener' }],
    [ports.admin, { flag: 'admin-port', what: 'admin interface on 127.0.0.1' }],
  ]);
  const seen = new Set<number>();
  for (const ip of inbound) {
    const role = proxyPorts.get(ip.targetPort);
    if (!role) continue;
    seen.add(ip.targetPort);
    const first = ip.services[0];
    const svc = ctx.modelService(first.service);
    const i = svc ? svc.ports.findIndex((p) => p.port === first.port) : -1;
    ctx.reporter.report('MESH0866', { workload: wKey(w), port: ip.targetPort, via: `target port of service ${first.service} port ${first.port}`, ...role },
      svc && i >= 0 ? at(svc.meta, ['spec', 'ports', i, 'targetPort']) : at(w.meta, w.podSpecPath));
  }
  for (const cp of w.containerPorts) {
    const role = proxyPorts.get(cp.containerPort);
    if (!role || cp.protocol !== 'TCP' || seen.has(cp.containerPort)) continue;
    seen.add(cp.containerPort);
    ctx.reporter.report('MESH0866', { workload: wKey(w), port: cp.containerPort, via: `container port of container ${cp.container}`, ...role },
      at(w.meta, [...w.podSpecPath, 'containers']));
  }
}
