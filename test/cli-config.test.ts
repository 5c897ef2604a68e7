import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { BROKEN, json, run, tempTree } from './cli-run.ts';
import { RULES } from '../src/rules/registry.ts';
import { CONFIG_OPTIONS, resolveSettings } from '../src/cli/common.ts';

const HEAD = 'apiVersion: meshc.dev/v1alpha1\nkind: Config\n';
const EMPTY_FILE = { 'info/empty.yaml': '' };
// Two ServiceAccounts without a namespace: MESH0012 names the namespace they were given.
const DUP = { 'dup/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n' };

test('.meshc.yaml in the working directory applies; flags override it', () => {
  const t = tempTree({ ...EMPTY_FILE, '.meshc.yaml': `${HEAD}failLevel: info\n` });
  try {
    assert.is(run(['check', '-q', 'info'], { cwd: t.dir }).code, 1);
    assert.is(run(['check', '-q', '--fail-level', 'error', 'info'], { cwd: t.dir }).code, 0);
    // Only the working directory is searched: from a subdirectory the file is not used.
    assert.is(run(['check', '-q', 'empty.yaml'], { cwd: join(t.dir, 'info') }).code, 0);
  } finally {
    t.cleanup();
  }
});

test('--config FILE; a missing or unreadable one is exit 2 (MESH1004)', () => {
  const t = tempTree({ ...EMPTY_FILE, 'conf/strict.yaml': `${HEAD}failLevel: info\n` });
  try {
    assert.is(run(['check', '-q', '--config', 'conf/strict.yaml', 'info'], { cwd: t.dir }).code, 1);
    const missing = run(['check', '--config', 'conf/nope.yaml', 'info'], { cwd: t.dir });
    assert.equal([missing.code, missing.stdout], [2, '']);
    assert.match(missing.stderr, /^meshc: error MESH1004 cannot read configuration file conf\/nope\.yaml: no such file or directory \[config-unreadable\]/);
    const dir = run(['check', '--config', 'conf', 'info'], { cwd: t.dir });
    assert.is(dir.code, 2);
    assert.match(dir.stderr, /MESH1004 cannot read configuration file conf: is a directory/);
  } finally {
    t.cleanup();
  }
});

test('configuration errors point at the field: syntax, header, unknown fields, bad values (all at once)', () => {
  const t = tempTree({
    ...EMPTY_FILE,
    'syntax.yaml': `${HEAD}failLevel: [error\n`,
    'header.yaml': 'apiVersion: meshc.dev/v1\nkind: Settings\n',
    'two.yaml': `${HEAD}---\n${HEAD}`,
    'scalar.yaml': 'just a string\n',
    'bad.yaml': [
      HEAD.trimEnd(),
      'failLevl: warning',
      'failLevel: fatal',
      'namespace: Bad_NS',
      'permissive: "yes"',
      'maxFileSize: -1',
      'assumeExternal: [ServiceAccount]',
      'trustDomain: "not a domain"',
      'suppress: ["MESH9999", "MESH0003=Service", "MESH0002"]',
      'disableRules: [no-such-rule]',
      'paths: [1]',
      '',
    ].join('\n'),
  });
  try {
    const syntax = run(['check', '--config', 'syntax.yaml', 'info'], { cwd: t.dir });
    assert.equal([syntax.code, syntax.stdout], [2, '']);
    assert.match(syntax.stderr, /^syntax\.yaml:\d+:\d+: error MESH1005 configuration file is not valid YAML: /);
    // Two documents: the rule, not the YAML library's advice to programmers (parseAllDocuments()).
    const two = run(['check', '--config', 'two.yaml', 'info'], { cwd: t.dir });
    assert.is(two.code, 2);
    assert.match(two.stderr, /^two\.yaml:\d+:1: error MESH1005 configuration file is not valid YAML: it holds more than one document \(the configuration is a single document; remove the ---\)/);
    assert.not.match(two.stderr, /parseAllDocuments/);
    const header = run(['check', '--config', 'header.yaml', 'info'], { cwd: t.dir });
    assert.is(header.code, 2);
    assert.match(header.stderr, /^header\.yaml:1:13: error MESH1006 invalid configuration: apiVersion must be meshc\.dev\/v1alpha1 \(got "meshc\.dev\/v1"\)/m);
    assert.match(header.stderr, /^header\.yaml:2:7: error MESH1006 invalid configuration: kind must be Config \(got "Settings"\)/m);
    // explain and rules do not read the configuration file, so a broken one does not stop them.
    const broken = tempTree({ '.meshc.yaml': 'failLevel: [\n' });
    try {
      assert.is(run(['explain', 'MESH0003'], { cwd: broken.dir }).code, 0);
      assert.is(run(['rules'], { cwd: broken.dir }).code, 0);
      assert.is(run(['check', '.'], { cwd: broken.dir }).code, 2);
    } finally {
      broken.cleanup();
    }
    // The manifest guards apply to the configuration file too.
    const hostile = tempTree({
      'deep.yaml': `${HEAD}paths: ${'['.repeat(5000)}\n`,
      'bomb.yaml': `${HEAD}x0: &a0 [1,1,1,1,1,1,1,1,1,1]\n${Array.from({ length: 8 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]`).join('\n')}\n`,
      'key.yaml': `${HEAD}? [failLevel]\n: warning\n`,
    });
    try {
      const deep = run(['check', '--config', 'deep.yaml', 'info'], { cwd: hostile.dir });
      assert.is(deep.code, 2);
      assert.match(deep.stderr, /^deep\.yaml:3:207: error MESH1056 configuration file nests deeper than 200 levels/);
      const bomb = run(['check', '--config', 'bomb.yaml', 'info'], { cwd: hostile.dir });
      assert.is(bomb.code, 2);
      assert.match(bomb.stderr, /^bomb\.yaml:1:1: error MESH1005 configuration file is not valid YAML: .*alias/);
      assert.not.match(deep.stderr + bomb.stderr, /MESH0001/);
      // A list as a key: reported at the key, and no Node warning from the YAML library on stderr.
      const key = run(['check', '--config', 'key.yaml', 'info'], { cwd: hostile.dir });
      assert.is(key.code, 2);
      assert.match(key.stderr, /^key\.yaml:3:3: error MESH1007 unknown configuration field with a non-scalar key/);
      assert.not.match(key.stderr, /Warning|stringified/);
    } finally {
      hostile.cleanup();
    }
    const scalar = run(['check', '--config', 'scalar.yaml', 'info'], { cwd: t.dir });
    assert.is(scalar.code, 2);
    assert.match(scalar.stderr, /^scalar\.yaml:1:1: error MESH1006 invalid configuration: the file must be a mapping/);
    const bad = run(['check', '--config', 'bad.yaml', 'info'], { cwd: t.dir });
    assert.equal([bad.code, bad.stdout], [2, '']);
    const lines = bad.stderr.trimEnd().split('\n');
    const expect: RegExp[] = [
      /^bad\.yaml:3:1: error MESH1007 unknown configuration field "failLevl" \(did you mean failLevel\?\)/,
      /^bad\.yaml:4:12: error MESH1006 invalid configuration: failLevel must be one of error, warning, info \(got "fatal"\)/,
      /^bad\.yaml:5:12: error MESH1006 invalid configuration: namespace must be a Kubernetes namespace name/,
      /^bad\.yaml:6:13: error MESH1006 invalid configuration: permissive must be true or false \(got "yes"\)/,
      /^bad\.yaml:7:14: error MESH1006 invalid configuration: maxFileSize must be a positive number of bytes/,
      /^bad\.yaml:8:18: error MESH1006 invalid configuration: assumeExternal entries must be Kind\/namespace\/name/,
      /^bad\.yaml:9:14: error MESH1006 invalid configuration: trustDomain must be a DNS domain/,
      /^bad\.yaml:10:12: error MESH1001 suppress: no diagnostic code matches "MESH9999"/,
      /^bad\.yaml:10:24: error MESH1002 suppress: malformed suppression "MESH0003=Service"/,
      /^bad\.yaml:10:44: error MESH1008 suppress: MESH0002 cannot be suppressed/,
      /^bad\.yaml:11:16: error MESH1003 disableRules: unknown rule "no-such-rule"/,
      /^bad\.yaml:12:9: error MESH1006 invalid configuration: paths entries must be non-empty strings \(got 1\)/,
    ];
    for (const re of expect) assert.ok(lines.some((l) => re.test(l)), `${re}\n${bad.stderr}`);
    assert.is(lines.filter((l) => /^bad\.yaml:/.test(l)).length, expect.length, bad.stderr);
    assert.match(bad.stderr, /Run 'meshc check --help' for the options\.\n$/);
  } finally {
    t.cleanup();
  }
});

test('every field of the configuration takes effect', async () => {
  const rule = RULES[0]!.id;
  const t = tempTree({
    ...BROKEN,
    ...DUP,
    'osm/mesh-config.yaml': 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec: {}\n',
    'big/big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {x: ${'x'.repeat(2000)}}\n`,
    '.meshc.yaml': [
      HEAD.trimEnd(),
      'namespace: shop',
      'permissive: true',
      'draft: true',
      'assumeExternal: [ServiceAccount/other/*]',
      'suppress: [MESH0009]',
      'noInlineSuppress: true',
      'failLevel: error',
      `disableRules: [${rule}]`,
      'trustDomain: example.org',
      'clusterDomain: cluster.example',
      'maxFileSize: 1Ki',
      'paths: [manifests, dup, big]',
      'meshConfig: osm/mesh-config.yaml',
      'compile: {connect-timeout: 2s, max-requests: 100}', // its effect on compile: test/compile-cluster-defaults.test.ts
      '',
    ].join('\n'),
  });
  try {
    const r = run(['check', '--format', 'json'], { cwd: t.dir });
    const out = json(r);
    const codes = out.diagnostics.map((d) => d.code);
    // paths: only the listed directories; suppress: no MESH0009; maxFileSize: big.yaml refused.
    assert.equal(codes, ['MESH0007', 'MESH0012', 'MESH0003'], r.stdout);
    assert.match(String(out.diagnostics[0]!.message), /over the limit of 1024 bytes/);
    // namespace: objects without one land in "shop".
    assert.equal(out.diagnostics[1]!.resource, { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'shop', name: 'web' });
    assert.is(out.summary.files, 5); // meshConfig: its file is read besides the paths
    assert.is(r.code, 1);
    // Flags add to the file's lists and replace its scalars.
    const more = json(run(['check', '--format', 'json', '--suppress', 'MESH0012', '--max-file-size', '1Mi', '-n', 'other'], { cwd: t.dir }));
    assert.equal(more.diagnostics.map((d) => d.code), ['MESH0010', 'MESH0003']);
    // The whole resolved configuration, as commands receive it.
    const settings = await resolveSettings({ name: 'check', usage: '', options: CONFIG_OPTIONS }, {}, [], t.dir, {});
    assert.equal(settings.config, {
      namespace: 'shop', permissive: true, draft: true, assumeExternal: ['ServiceAccount/other/*'], suppress: ['MESH0009'],
      noInlineSuppress: true, failLevel: 'error', disableRules: [rule], trustDomain: 'example.org', clusterDomain: 'cluster.example', maxFileSize: 1024,
      meshConfig: 'osm/mesh-config.yaml', compile: { 'connect-timeout': '2s', 'max-requests': '100' },
    });
    assert.equal(settings.paths, ['manifests', 'dup', 'big']);
    assert.is(settings.configFile, '.meshc.yaml');
    assert.is(settings.format, 'text');
    const flags = await resolveSettings({ name: 'check', usage: '', options: CONFIG_OPTIONS }, {
      'assume-external': ['Service/x/y'], 'disable-rule': [RULES[1]!.id], 'trust-domain': 'a.b', 'cluster-domain': 'c.d', format: 'sarif', quiet: true,
    }, ['p'], t.dir, { GITHUB_ACTIONS: 'true' });
    assert.equal(flags.config.assumeExternal, ['ServiceAccount/other/*', 'Service/x/y']);
    assert.equal(flags.config.disableRules, [rule, RULES[1]!.id]);
    assert.equal([flags.config.trustDomain, flags.config.clusterDomain, flags.format, flags.quiet, flags.paths], ['a.b', 'c.d', 'sarif', true, ['p']]);
  } finally {
    t.cleanup();
  }
});

test('paths in the configuration are relative to the file, shown relative to the working directory', () => {
  const t = tempTree({ ...BROKEN, 'conf/meshc.yaml': `${HEAD}paths: [../manifests/list.yaml]\n` });
  try {
    mkdirSync(join(t.dir, 'work'));
    const r = run(['check', '-q', '--config', '../conf/meshc.yaml'], { cwd: join(t.dir, 'work') });
    assert.is(r.stdout.split('\n')[0], '../manifests/list.yaml:1:1: error MESH0009 document is a list, expected a Kubernetes object (a mapping with apiVersion and kind) [not-an-object]');
    // PATH arguments win over the configured paths.
    const own = run(['check', '-q', '--config', '../conf/meshc.yaml', '../manifests/syntax.yaml'], { cwd: join(t.dir, 'work') });
    assert.match(own.stdout, /^\.\.\/manifests\/syntax\.yaml:4:1: error MESH0003/);
  } finally {
    t.cleanup();
  }
});

test.run();
