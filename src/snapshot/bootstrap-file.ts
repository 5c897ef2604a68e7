/** A node's bootstrap file: YAML for Envoy (ADS or static), JSON for proxyless gRPC clients; validated as it is rendered. */
import { stringify as yamlStringify } from 'yaml';
import { BOOTSTRAP_TYPE_URL } from '../envoy/protos/type-urls.ts';
import { adsBootstrap, grpcBootstrap, staticBootstrap, type BootstrapMode, type XdsAddress } from '../envoy/translate/bootstrap.ts';
import type { NodeResources } from '../envoy/translate/envoy.ts';
import type { MeshIR, ProxyIR } from '../envoy/translate/ir.ts';
import type { Json } from '../envoy/translate/shapes.ts';
import type { Violation } from '../envoy/validate/index.ts';
import type { Encoder } from './encode.ts';
import { jsonText } from './layout.ts';

const NODE_TYPE = 'envoy.config.core.v3.Node';

/**
 * ADS bootstraps differ between nodes only in `node`: the rest is validated
 * (with a stand-in node, as Bootstrap checks need one) and rendered once per
 * distinct content; each real `node` (the first Bootstrap field, so it leads
 * the canonical YAML) is validated on its own as a Node with id and cluster.
 */
export class BootstrapCache {
  private readonly rest = new Map<string, { yaml: string; violations: Violation[] }>();
  constructor(private readonly encoder: Encoder) {}
  ads(boot: Json): { yaml: string; violations: Violation[] } {
    const { node, ...rest } = boot;
    const key = JSON.stringify(rest);
    let r = this.rest.get(key);
    if (!r) {
      const m = this.encoder.message(BOOTSTRAP_TYPE_URL, { node: { id: 'node', cluster: 'cluster' }, ...rest });
      const { node: _standIn, ...canonical } = m.json ?? {};
      r = { yaml: m.json ? yamlStringify(canonical, { lineWidth: 0 }) : '', violations: m.violations };
      this.rest.set(key, r);
    }
    const n = this.encoder.message(NODE_TYPE, node as Json);
    const violations = [...n.violations.map((v) => ({ ...v, path: v.path ? `node.${v.path}` : 'node' })), ...r.violations];
    for (const f of ['id', 'cluster']) {
      if (!(node as Json)[f]) violations.push({ path: `node.${f}`, rule: 'invariant.bootstrap_node', message: `ads: node '${f}' is required`, severity: 'error' });
    }
    return { yaml: n.json ? yamlStringify({ node: n.json }, { lineWidth: 0 }) + r.yaml : '', violations };
  }
}

export function bootstrapFile(node: ProxyIR, ir: MeshIR, mode: BootstrapMode, xds: XdsAddress, resources: NodeResources, encoder: Encoder, cache: BootstrapCache): { name: string; text: string; violations: Violation[] } {
  if (ir.options.target === 'grpc') return { name: 'bootstrap.json', text: jsonText(grpcBootstrap(node, xds)), violations: [] };
  const header = `# Envoy bootstrap of meshc node ${node.id} (${mode === 'static' ? 'static: no control plane' : 'ADS'}); run: envoy -c bootstrap.yaml\n`;
  if (mode === 'ads') {
    const { yaml, violations } = cache.ads(adsBootstrap(node, ir.options, xds));
    return { name: 'bootstrap.yaml', text: header + yaml, violations };
  }
  const { json, violations } = encoder.message(BOOTSTRAP_TYPE_URL, staticBootstrap(node, ir.options, resources));
  return { name: 'bootstrap.yaml', text: json ? header + yamlStringify(json, { lineWidth: 0 }) : '', violations };
}
