// Writes schemas/gateway.networking.k8s.io/*.json from the Gateway API CRDs
// (kubernetes-sigs/gateway-api config/crd/standard/*.yaml), read as data:
//   node scripts/import-gateway-schemas.mjs /path/to/gateway-api [COMMIT]
// The output is committed; run this only to move to a newer Gateway API.
// What changes from the CRD's openAPIV3Schema, and why:
// - x-kubernetes-* (CEL rules, list types) are dropped: meshc's rules check
//   what matters of them with positions (docs/guide-gamma.md);
// - format, minLength and maxLength are dropped: the standalone validators
//   must not need the ajv runtime (see prebuild-schemas.mjs);
// - patterns JavaScript cannot compile (Go RE2 flags such as (?i)) are dropped;
// - every object with properties is closed (additionalProperties: false), as
//   for SMI: an API server prunes an unknown field silently, the mistake to catch;
// - status is free-form; metadata is the shared ObjectMeta.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const [repo, commit = 'unknown'] = process.argv.slice(2);
if (!repo) {
  console.error('usage: node scripts/import-gateway-schemas.mjs GATEWAY_API_CHECKOUT [COMMIT]');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const GROUP = 'gateway.networking.k8s.io';
const out = join(root, 'schemas', GROUP);
mkdirSync(out, { recursive: true });

const DROP = new Set(['format', 'minLength', 'maxLength']);
function clean(s) {
  if (Array.isArray(s)) return s.map(clean);
  if (!s || typeof s !== 'object') return s;
  const o = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-') || DROP.has(k)) continue;
    if (k === 'pattern') {
      try {
        new RegExp(v, 'u');
      } catch {
        continue;
      }
    }
    if (k === 'properties') o[k] = Object.fromEntries(Object.entries(v).map(([n, sub]) => [n, clean(sub)]));
    else if (k === 'enum' || k === 'default' || k === 'description') o[k] = v;
    else o[k] = clean(v);
  }
  if (o.properties && o.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) o.additionalProperties = false;
  return o;
}

const CRDS = { HTTPRoute: 'httproutes', GRPCRoute: 'grpcroutes', ReferenceGrant: 'referencegrants' };
for (const [kind, file] of Object.entries(CRDS)) {
  const crd = parse(readFileSync(join(repo, 'config/crd/standard', `${GROUP}_${file}.yaml`), 'utf8'));
  for (const v of crd.spec.versions) {
    if (!v.served) continue;
    const spec = clean(v.schema.openAPIV3Schema.properties.spec);
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `https://meshc.dev/schemas/${GROUP}/${kind}-${v.name}.json`,
      title: `${kind} ${GROUP}/${v.name}`,
      description: `From kubernetes-sigs/gateway-api config/crd/standard/${GROUP}_${file}.yaml at ${commit} (scripts/import-gateway-schemas.mjs).`,
      type: 'object',
      properties: {
        apiVersion: { const: `${GROUP}/${v.name}` },
        kind: { const: kind },
        metadata: { $ref: '../definitions.json#/definitions/ObjectMeta' },
        spec,
        status: { type: 'object' },
      },
      required: ['apiVersion', 'kind', 'metadata', 'spec'],
      additionalProperties: false,
    };
    writeFileSync(join(out, `${kind}-${v.name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
    console.log(`${kind}-${v.name}.json`);
  }
}
