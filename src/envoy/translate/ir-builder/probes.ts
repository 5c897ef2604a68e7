/**
 * Kubelet probes → the sidecar's plaintext probe listeners (as OSM does): the inbound listener requires mTLS, which
 * the kubelet cannot present, so an HTTP, HTTPS or gRPC probe left as written would fail once the sidecar runs.
 * Each such probe is rewritten (probe-patch.yaml) to the probe listener of its kind (PROBE_PORTS), which forwards it
 * to the application at 127.0.0.1:<its port>. tcpSocket probes are left alone (reported), exec probes need nothing.
 */
import type { Probe, Workload } from '../../../model/types.ts';
import { PROBE_PORTS, type ProbeIR } from '../ir.ts';
import { at, wKey, type BuildContext } from './context.ts';

/** The path a rewritten HTTP probe requests: one per kind and container, so containers can share the listener. */
export const probePath = (p: { kind: string; container: string }) => `/meshc-${p.kind}-probe/${p.container}`;

function probeAt(w: Workload, p: Probe) {
  return at(w.meta, [...w.podSpecPath, 'containers', p.containerIndex, `${p.kind}Probe`]);
}

/** A named port resolves against the probe's own container (as the kubelet does); undefined when it does not. */
function resolvePort(w: Workload, p: Probe): number | undefined {
  if (typeof p.port === 'number') return p.port >= 1 && p.port <= 65535 ? p.port : undefined;
  if (typeof p.port !== 'string') return undefined;
  if (/^\d+$/.test(p.port)) return resolvePort(w, { ...p, port: Number(p.port) });
  return w.containerPorts.find((c) => c.container === p.container && c.name === p.port)?.containerPort;
}

function notRewritten(ctx: BuildContext, w: Workload, p: Probe, reason: string): void {
  ctx.reporter.report('MESH0870', { workload: wKey(w), container: p.container, kind: p.kind, reason }, probeAt(w, p));
}

/** The workload's rewritten probes, in container then kind order; what cannot be rewritten is reported. */
export function probesOf(ctx: BuildContext, w: Workload): ProbeIR[] {
  const out: ProbeIR[] = [];
  for (const p of w.probes) {
    if (p.handler === 'exec' || p.handler === null) continue; // runs inside the container: no network, nothing to do
    if (p.host !== undefined) continue; // sent to another host, not through this pod's sidecar
    const appPort = resolvePort(w, p);
    if (p.handler === 'tcp') {
      ctx.reporter.report('MESH0869', { workload: wKey(w), container: p.container, kind: p.kind, port: String(p.port ?? '?') }, probeAt(w, p));
      continue;
    }
    if (appPort === undefined) {
      notRewritten(ctx, w, p, `its port ${JSON.stringify(p.port ?? null)} is no port number and no named port of container ${p.container}`);
      continue;
    }
    const scheme = p.handler === 'grpc' ? 'GRPC' : p.handler === 'https' ? 'HTTPS' : 'HTTP';
    // The kubelet requests a path without a leading slash as `/<path>`; control characters cannot be sent at all.
    const path = (p.path ?? '/').startsWith('/') ? (p.path ?? '/') : `/${p.path}`;
    if (scheme === 'HTTP' && /[\u0000-\u001f\u007f]/.test(path)) {
      notRewritten(ctx, w, p, `its path ${JSON.stringify(path)} holds control characters, which no HTTP request can carry`);
      continue;
    }
    const ir: ProbeIR = { kind: p.kind, container: p.container, listenerPort: PROBE_PORTS[p.kind], scheme, appPort, timeoutSeconds: p.timeoutSeconds };
    if (scheme === 'HTTP') Object.assign(ir, { probePath: probePath(p), path });
    out.push(ir);
  }
  return exclusive(ctx, w, out);
}

/**
 * An HTTPS probe is passed through as TCP (the kubelet's TLS reaches the application), so it needs its kind's
 * listener alone; a gRPC probe's path is fixed (/grpc.health.v1.Health/Check), so one per kind. The first keeps the
 * listener, the others are reported and left as written.
 */
function exclusive(ctx: BuildContext, w: Workload, probes: ProbeIR[]): ProbeIR[] {
  const kept: ProbeIR[] = [];
  for (const p of probes) {
    const same = kept.filter((k) => k.kind === p.kind);
    const clash = same.find((k) => k.scheme === 'HTTPS' || p.scheme === 'HTTPS' || (k.scheme === 'GRPC' && p.scheme === 'GRPC'));
    if (clash) {
      const model = w.probes.find((m) => m.kind === p.kind && m.container === p.container)!;
      const why = clash.scheme === 'HTTPS' || p.scheme === 'HTTPS' ? 'an HTTPS probe is passed through as TCP and needs the listener alone' : 'the listener can route one gRPC health check';
      notRewritten(ctx, w, model, `the ${p.kind} probe listener (port ${p.listenerPort}) already serves the ${clash.kind} probe of container ${clash.container}, and ${why}`);
      continue;
    }
    kept.push(p);
  }
  return kept;
}

/** A container port the probe listeners take (MESH0868): the application and the sidecar cannot both bind it. */
export function reportProbePortClashes(ctx: BuildContext, w: Workload, probes: ProbeIR[]): void {
  const taken = new Map(probes.map((p) => [p.listenerPort, p.kind]));
  const seen = new Set<number>();
  w.containerPorts.forEach((cp) => {
    const kind = taken.get(cp.containerPort);
    if (!kind || cp.protocol !== 'TCP' || seen.has(cp.containerPort)) return;
    seen.add(cp.containerPort);
    ctx.reporter.report('MESH0868', { workload: wKey(w), container: cp.container, port: cp.containerPort, kind }, at(w.meta, [...w.podSpecPath, 'containers']));
  });
  for (const p of probes) {
    if (!taken.has(p.appPort) || seen.has(p.appPort)) continue;
    seen.add(p.appPort);
    const model = w.probes.find((m) => m.kind === p.kind && m.container === p.container)!;
    ctx.reporter.report('MESH0868', { workload: wKey(w), container: p.container, port: p.appPort, kind: taken.get(p.appPort)! }, probeAt(w, model));
  }
}
