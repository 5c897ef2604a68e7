/**
 * probe-patch.yaml: the strategic-merge patch that points a workload's rewritten kubelet probes at the sidecar's
 * probe listeners (probes.ts). Containers merge by name, so only the probe handlers' port (and an HTTP probe's path)
 * change; timeouts, thresholds and headers stay as written.
 */
import { stringify as yamlStringify } from 'yaml';
import type { ProbeIR, ProxyIR } from './ir.ts';
import type { Json } from './shapes.ts';

function handler(p: ProbeIR): Json {
  if (p.scheme === 'GRPC') return { grpc: { port: p.listenerPort } };
  if (p.scheme === 'HTTPS') return { httpGet: { port: p.listenerPort, scheme: 'HTTPS' } };
  return { httpGet: { path: p.probePath, port: p.listenerPort, scheme: 'HTTP' } };
}

/** The patch document, or null when the workload has no rewritten probe. */
export function probePatch(node: ProxyIR): Json | null {
  if (node.probes.length === 0) return null;
  const containers = new Map<string, Json>();
  for (const p of node.probes) {
    const c = containers.get(p.container) ?? { name: p.container };
    c[`${p.kind}Probe`] = handler(p);
    containers.set(p.container, c);
  }
  const podSpec = { containers: [...containers.values()] };
  return node.workload.kind === 'Pod' ? { spec: podSpec } : { spec: { template: { spec: podSpec } } };
}

/** probe-patch.yaml's text, with how to apply it; null when there is nothing to patch. */
export function probePatchText(node: ProxyIR): string | null {
  const patch = probePatch(node);
  if (!patch) return null;
  const { kind, namespace, name } = node.workload;
  const resource = kind.toLowerCase();
  const apply = kind === 'Pod'
    ? `# A Pod's probes cannot change once it runs: patch its manifest before applying it:\n#   kubectl patch --local -f pod.yaml --type strategic --patch-file probe-patch.yaml -o yaml > pod-meshc.yaml\n`
    : `# Apply: kubectl patch ${resource} ${name} -n ${namespace} --type strategic --patch-file probe-patch.yaml\n`
      + `# (or patch the manifest in git: kubectl patch --local -f ${resource}.yaml --type strategic --patch-file probe-patch.yaml -o yaml)\n`;
  return `# meshc: the kubelet probes of ${kind} ${namespace}/${name}, rewritten to its sidecar's plaintext probe listeners\n`
    + `# (liveness 15901, readiness 15902, startup 15903), which forward them to the application at 127.0.0.1.\n${apply}`
    + yamlStringify(patch, { lineWidth: 0 });
}
