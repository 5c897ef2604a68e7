/** A node's bootstrap file: YAML for Envoy (ADS or static), JSON for proxyless gRPC clients; validated as it is rendered. */
import { stringify as yamlStringify } from 'yaml';
import { BOOTSTRAP_TYPE_URL } from '../envoy/protos/type-urls.ts';
import { adsBootstrap, grpcBootstrap, staticBootstrap, type BootstrapMode, type XdsAddress, type XdsTls } from '../envoy/translate/bootstrap.ts';
import { sdsFileDocument, sdsFileName } from '../envoy/translate/secrets.ts';
import { envoyLogLevel } from '../envoy/translate/mesh-config.ts';
import type { EncodedNode, EncodedResource } from './encode.ts';
import type { NodeResources } from '../envoy/translate/envoy.ts';
import type { MeshIR, ProxyIR } from '../envoy/translate/ir.ts';
import type { Json } from '../envoy/translate/shapes.ts';
import type { Violation } from '../envoy/validate/index.ts';
import type { Encoder } from './encode.ts';
import { jsonText } from './layout.ts';
import { fieldRules } from '../envoy/protos/pgv-options.ts';

const NODE_TYPE = 'envoy.config.core.v3.Node';

/**
 * ADS bootstraps differ between nodes only in `node`: the rest is validated
 * (with a stand-in node, as Bootstrap checks need one) and rendered once per
 * distinct content; each real `node` (the first Bootstrap field, so it leads
 * the canonical YAML) is validated on its own as a Node with id and cluster.
 */
export class BootstrapCache {
  private readonly rest = new Map<string, { yaml: string; violations: Violation[] }>();
  /** Whether Node's `id` and `cluster` carry no rule and no deprecation (then plain names need no check). */
  private readonly unruledNode: boolean;
  constructor(private readonly encoder: Encoder) {
    const fields = encoder.api.type(NODE_TYPE).fields;
    this.unruledNode = ['id', 'cluster'].every((f) => fields[f] && !fieldRules(fields[f]) && (fields[f].options as Record<string, unknown> | undefined)?.deprecated !== true);
  }

  /**
   * The `node` part of the YAML when the node is just an id and a cluster with plain names (every meshc node):
   * as read, encoded, decoded and validated it stays the same two ASCII strings, with no violation, so it is
   * written directly. Null: anything else, which takes the general path.
   */
  private plainNode(node: Json): string | null {
    if (!this.unruledNode) return null;
    const keys = Object.keys(node);
    if (keys.length !== 2 || keys[0] !== 'id' || keys[1] !== 'cluster' || !isPlainName(node.id) || !isPlainName(node.cluster)) return null;
    return plainNodeYaml(node.id, node.cluster);
  }
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
    const fast = this.plainNode(node as Json);
    if (fast !== null) return { yaml: fast + r.yaml, violations: [...r.violations] };
    const n = this.encoder.message(NODE_TYPE, node as Json);
    const violations = [...n.violations.map((v) => ({ ...v, path: v.path ? `node.${v.path}` : 'node' })), ...r.violations];
    for (const f of ['id', 'cluster']) {
      if (!(node as Json)[f]) violations.push({ path: `node.${f}`, rule: 'invariant.bootstrap_node', message: `ads: node '${f}' is required`, severity: 'error' });
    }
    return { yaml: n.json ? yamlStringify({ node: n.json }, { lineWidth: 0 }) + r.yaml : '', violations };
  }
}

/**
 * Node names that YAML writes as they are (plain scalars): a lowercase letter first, then lowercase letters,
 * digits and '-', in parts joined by '.' or '/' (Kubernetes names, `ns/kind/name`, `svc.ns`); never one of the
 * core schema's words. test/bootstrap-node-yaml.test.ts checks this against the yaml package.
 */
const PLAIN_NAME = /^[a-z][a-z0-9-]*(?:[./][a-z0-9][a-z0-9-]*)*$/;
const YAML_WORDS = new Set(['null', 'true', 'false']);

export function isPlainName(s: unknown): s is string {
  return typeof s === 'string' && PLAIN_NAME.test(s) && !YAML_WORDS.has(s);
}

/** `yamlStringify({node: {id, cluster}}, {lineWidth: 0})` for plain names (isPlainName), without the YAML library. */
export function plainNodeYaml(id: string, cluster: string): string {
  return `node:\n  id: ${id}\n  cluster: ${cluster}\n`;
}

export interface BootstrapChoices {
  bootstrap: BootstrapMode;
  xds: XdsAddress;
  xdsTls: XdsTls | null;
}

export function bootstrapFile(node: ProxyIR, ir: MeshIR, choices: BootstrapChoices, resources: NodeResources, encoder: Encoder, cache: BootstrapCache): { name: string; text: string; violations: Violation[] } {
  const { bootstrap: mode, xds } = choices;
  if (ir.options.target === 'grpc') return { name: 'bootstrap.json', text: jsonText(grpcBootstrap(node, ir.options, xds)), violations: [] };
  const header = `# Envoy bootstrap of meshc node ${node.id} (${mode === 'static' ? 'static: no control plane' : 'ADS'}); run: envoy -c bootstrap.yaml${logLevelArg(ir)}\n`;
  if (mode === 'ads') {
    const { yaml, violations } = cache.ads(adsBootstrap(node, ir.options, xds, choices.xdsTls));
    return { name: 'bootstrap.yaml', text: header + yaml, violations };
  }
  const { json, violations } = encoder.message(BOOTSTRAP_TYPE_URL, staticBootstrap(node, ir.options, resources));
  return { name: 'bootstrap.yaml', text: json ? header + yamlStringify(json, { lineWidth: 0 }) : '', violations };
}

/**
 * The node's file-based SDS documents (`sds-<secret>.yaml`), from the Secrets as encoded and validated: needed by a
 * static bootstrap (every TLS context) and by an ADS bootstrap's mTLS to `meshc serve`. Envoy target only.
 */
export function sdsFiles(ir: MeshIR, choices: BootstrapChoices, encoded: EncodedNode, cache?: Map<string, string>): [string, string][] {
  if (ir.options.target !== 'envoy' || (choices.bootstrap === 'ads' && !choices.xdsTls)) return [];
  const secrets = encoded.types.find((t) => t.stem === 'secrets')?.resources ?? [];
  return secrets.map((r) => [sdsFileName(r.name), sdsFileText(r, cache)]);
}

/**
 * One Secret's SDS file text. Nodes mostly share their Secrets (the same certificate paths), so `cache` keeps the
 * text by the Secret's JSON text: rendered once per distinct Secret instead of once per node.
 */
function sdsFileText(r: EncodedResource, cache?: Map<string, string>): string {
  const hit = cache?.get(r.text);
  if (hit !== undefined) return hit;
  const text = `# meshc: file-based SDS, Secret "${r.name}" (Envoy watches this directory and reloads on change)\n${yamlStringify(sdsFileDocument(r.json as Json), { lineWidth: 0 })}`;
  cache?.set(r.text, text);
  return text;
}

/** ` --log-level LEVEL` when the MeshConfig sets the sidecar's log level (a flag, not configuration). */
function logLevelArg(ir: MeshIR): string {
  const level = envoyLogLevel(ir.options.osm);
  return level ? ` --log-level ${level}` : '';
}
