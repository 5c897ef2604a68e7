// Census: the PGV annotations the evaluator sees are exactly the ones written
// in the .proto files (protobufjs has lost option values before: arrays,
// repeated keys, empty messages), every rule key is one the evaluator
// implements, and the prebuilt bundle carries the same rules and encodings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { bundlePath, createEnvoyApi, fieldRules, loadEnvoyApi, oneofRequired } from '../src/envoy/protos/index.ts';
import { allTypes, makeBundle, rootFromBundle, BUNDLE_FORMAT } from '../src/envoy/protos/load.ts';
import { locateProtos } from '../src/envoy/protos/locate.ts';
import { SUPPORTED_RULES } from '../src/envoy/validate/index.ts';

const api = await loadEnvoyApi({ source: 'protos' });
const sources = locateProtos();

/** Removes comments, keeps string literals (which may contain "//"). */
function stripComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
    } else out += c;
  }
  return out;
}

/** Statements (split at ';' outside strings). */
function statements(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      cur += text.slice(i, j + 1);
      i = j;
    } else if (c === ';') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  return out;
}

const FAMILY = /\(validate\.rules\)\s*\.\s*(\w+)/g;

interface Census { byFamily: Map<string, number>; oneofs: number; disabled: number }

function textCensus(files: Iterable<string>): Census {
  const byFamily = new Map<string, number>();
  let oneofs = 0;
  let disabled = 0;
  for (const file of files) {
    for (const st of statements(stripComments(readFileSync(file, 'utf8')))) {
      const fams = new Set([...st.matchAll(FAMILY)].map((m) => m[1]!));
      for (const f of fams) byFamily.set(f, (byFamily.get(f) ?? 0) + 1);
      if (/option\s*\(validate\.required\)\s*=\s*true\s*$/.test(st.trim())) oneofs++;
      if (/option\s*\(validate\.(disabled|ignored)\)\s*=\s*true\s*$/.test(st.trim())) disabled++;
    }
  }
  return { byFamily, oneofs, disabled };
}

function reflectionCensus(root: protobuf.Root): Census & { files: Set<string> } {
  const byFamily = new Map<string, number>();
  const files = new Set<string>();
  let oneofs = 0;
  for (const type of allTypes(root)) {
    if (type.filename) files.add(type.filename);
    for (const field of type.fieldsArray) {
      for (const fam of Object.keys(fieldRules(field) ?? {})) byFamily.set(fam, (byFamily.get(fam) ?? 0) + 1);
    }
    for (const o of type.oneofsArray) if (oneofRequired(o)) oneofs++;
  }
  return { byFamily, oneofs, disabled: 0, files };
}

const reflected = reflectionCensus(api.root);
const texted = textCensus([...reflected.files].filter((f) => f.endsWith('.proto') && existsSync(f)));

test('every rule family written in the loaded .proto files reaches the evaluator, with the same count', () => {
  const asObj = (m: Map<string, number>) => Object.fromEntries([...m].sort());
  assert.equal(asObj(reflected.byFamily), asObj(texted.byFamily));
  assert.is(reflected.oneofs, texted.oneofs, 'required oneofs');
  // the census of linting-conventions 11.4, for the files that load: the big families are all there
  assert.ok(reflected.byFamily.get('string')! > 300, `string: ${reflected.byFamily.get('string')}`);
  assert.ok(reflected.byFamily.get('message')! > 140);
  assert.ok(reflected.byFamily.get('repeated')! > 100);
  assert.ok(reflected.oneofs > 140);
});

test('every rule key Envoy uses is implemented, and every numeric literal is exact in JS', () => {
  const unsupported: string[] = [];
  const inexact: string[] = [];
  const visit = (rules: Record<string, unknown>, where: string) => {
    for (const [family, body] of Object.entries(rules)) {
      const known = SUPPORTED_RULES[family];
      if (!known) {
        unsupported.push(`${where}: ${family}`);
        continue;
      }
      for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
        if (!known.includes(key)) unsupported.push(`${where}: ${family}.${key}`);
        if (['items', 'keys', 'values'].includes(key)) visit(value as Record<string, unknown>, `${where}.${key}`);
        // protobufjs parses option literals as doubles; INT64_MAX (9223372036854775807) becomes 2^63, which
        // the evaluator maps back. Any other literal beyond 2^53 would be inexact.
        for (const n of [value].flat()) if (typeof n === 'number' && Number.isInteger(n) && !Number.isSafeInteger(n) && n !== 2 ** 63) inexact.push(`${where}: ${family}.${key} = ${n}`);
      }
    }
  };
  for (const type of allTypes(api.root)) for (const f of type.fieldsArray) {
    const r = fieldRules(f);
    if (r) visit(r, `${type.fullName}.${f.name}`);
  }
  assert.equal(unsupported, []);
  assert.equal(inexact, []);
});

test('known fields carry exactly their annotated rules (the protobufjs pitfalls)', () => {
  const rules = (type: string, field: string) => fieldRules(api.type(type).fields[field]!);
  // empty message values survive (flattened options drop them)
  assert.equal(rules('envoy.config.cluster.v3.Cluster', 'connect_timeout'), { duration: { gt: {} } });
  assert.equal(rules('envoy.config.core.v3.HttpUri', 'timeout'), { duration: { required: true, lt: { seconds: 4294967296 }, gte: {} } });
  // repeated keys in the option text become one list
  assert.equal(rules('envoy.extensions.filters.http.ratelimit.v3.RateLimit', 'request_type'), { string: { in: ['internal', 'external', 'both', ''] } });
  assert.equal((rules('envoy.extensions.filters.http.router.v3.Router', 'strict_check_headers') as any).repeated.items.string.in.length, 5);
  // nested items rules
  assert.equal(rules('envoy.config.route.v3.VirtualHost', 'domains'), { repeated: { min_items: 1, items: { string: { well_known_regex: 'HTTP_HEADER_VALUE', strict: false } } } });
  // several keys in one aggregate
  assert.equal(rules('envoy.config.core.v3.HeaderValue', 'key'), { string: { min_len: 1, max_bytes: 16384, well_known_regex: 'HTTP_HEADER_NAME', strict: false } });
  // a single value for a repeated rule (`not_in: 0`)
  assert.equal(rules('envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher', 'san_type'), { enum: { defined_only: true, not_in: 0 } });
  assert.equal(rules('envoy.config.rbac.v3.Permission', 'any'), { bool: { const: true } });
  assert.equal(rules('envoy.config.core.v3.SocketAddress', 'port_value'), { uint32: { lte: 65535 } });
  assert.equal(rules('envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', 'stat_prefix'), { string: { min_len: 1 } });
  assert.equal(rules('envoy.config.rbac.v3.Policy', 'principals'), { repeated: { min_items: 1 } });
  assert.equal(rules('envoy.config.route.v3.WeightedCluster.ClusterWeight', 'weight'), undefined, 'no PGV rule: bounds are checked in code');
  assert.ok(oneofRequired(api.type('envoy.config.route.v3.Route').oneofs.action!));
  assert.ok(oneofRequired(api.type('envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy').oneofs.cluster_specifier!));
  assert.ok(oneofRequired(api.type('envoy.config.rbac.v3.Principal').oneofs.identifier!));
  assert.ok(oneofRequired(api.type('envoy.config.core.v3.SocketAddress').oneofs.port_specifier!), 'port_value or named_port must be set');
  assert.not.ok(oneofRequired(api.type('envoy.config.route.v3.RouteAction').oneofs.host_rewrite_specifier!));
});

test('the descriptor bundle carries the same types, rules and encodings as the .proto files', () => {
  const bundle = makeBundle(api.root, sources);
  assert.is(bundle.format, BUNDLE_FORMAT);
  const fromBundle = rootFromBundle(JSON.parse(JSON.stringify(bundle)));
  const a = [...allTypes(api.root)];
  const b = new Map([...allTypes(fromBundle)].map((t) => [t.fullName, t]));
  assert.is(b.size, a.length);
  for (const type of a) {
    const other = b.get(type.fullName)!;
    assert.ok(other, type.fullName);
    for (const f of type.fieldsArray) {
      const g = other.fields[f.name]!;
      assert.equal([g.id, g.type, g.repeated, !!g.map], [f.id, f.type, f.repeated, !!f.map], `${type.fullName}.${f.name}`);
      assert.equal(fieldRules(g), fieldRules(f), `${type.fullName}.${f.name} rules`);
      assert.is(g.options?.deprecated, f.options?.deprecated, `${type.fullName}.${f.name} deprecated`);
    }
    for (const o of type.oneofsArray) assert.is(oneofRequired(other.oneofs[o.name]!), oneofRequired(o), `${type.fullName}.${o.name}`);
  }
  const deprecatedV2 = fromBundle.lookupEnum('envoy.config.core.v3.ApiVersion').valuesOptions?.V2;
  assert.is(deprecatedV2?.deprecated, true, 'enum value options survive');
  // packed repeated scalars and everything else encode identically
  const sample = { source_ports: [1, 2, 300], destination_port: 80, prefix_ranges: [{ address_prefix: '10.0.0.0', prefix_len: 8 }] };
  const other = createEnvoyApi(fromBundle);
  assert.equal(Buffer.from(other.encode('envoy.config.listener.v3.FilterChainMatch', sample)), Buffer.from(api.encode('envoy.config.listener.v3.FilterChainMatch', sample)));
  // source_ports is field 7: packed (one tag 0x3a, length 4, varints 1, 2, 300)
  assert.is(Buffer.from(api.encode('envoy.config.listener.v3.FilterChainMatch', { source_ports: [1, 2, 300] })).toString('hex'), '3a040102ac02');
});

test('the bundle on disk, when present, is fresh (same as one built now)', () => {
  const path = bundlePath();
  if (!existsSync(path)) return; // the build writes it; without it meshc loads the .proto files
  const onDisk = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(onDisk.files, sources.files);
  assert.equal(onDisk.versions, sources.versions);
  assert.equal(onDisk.annotations, makeBundle(api.root, sources).annotations);
});

test('files left out are exactly those with missing imports (v2-era and third-party tracing protos)', () => {
  for (const { file, missing } of sources.excluded) {
    assert.ok(/^(envoy\/api\/v2\/|opencensus\/|io\/prometheus\/|opentelemetry\/|google\/longrunning\/|google\/protobuf\/|envoy\/config\/filter\/|envoy\/)/.test(missing), `${file} misses ${missing}`);
  }
  assert.ok(sources.files.includes('envoy/config/bootstrap/v3/bootstrap.proto'));
  assert.ok(sources.files.includes('envoy/service/discovery/v3/ads.proto'));
  assert.ok(!sources.files.some((f) => f.startsWith('envoy/service/discovery/v2/')));
});

test.run();
