// Bad input fed through the real CLI: each case asserts code, position and exit code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, openSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BIN, STACK, cleanEnv, json, run, tempTree } from './cli-run.ts';

type Row = [code: unknown, file: unknown, line: unknown, column: unknown];
const rows = (r: ReturnType<typeof run>): Row[] => json(r).diagnostics.map((d) => [d.code, d.file, d.line, d.column]);

function check(dir: string, ...args: string[]) {
  const r = run(['check', '--format', 'json', ...args], { cwd: dir });
  assert.not.match(r.stderr, STACK, r.stderr);
  assert.not.match(r.stdout + r.stderr, /MESH0001/, r.stdout + r.stderr);
  return r;
}

test('empty files and files of comments only: MESH0006 (info) at 1:1, exit 0', () => {
  const t = tempTree({ 'empty.yaml': '', 'comments.yaml': '# nothing here\n---\n...\n', 'blank.json': '\n\n' });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 0);
    assert.equal(rows(r), [['MESH0006', 'blank.json', 1, 1], ['MESH0006', 'comments.yaml', 1, 1], ['MESH0006', 'empty.yaml', 1, 1]]);
    assert.is(json(r).diagnostics[0]!.severity, 'info');
  } finally {
    t.cleanup();
  }
});

test('binary and non-UTF-8 files: MESH0004 / MESH0005 at the offending byte, exit 1', () => {
  const t = tempTree({
    'image.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    'latin1.yaml': Buffer.concat([Buffer.from('kind: Service\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
  });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 1);
    // image.yaml: the NUL at offset 8 follows two line feeds (offsets 5 and 7), so 3:1.
    assert.equal(rows(r), [['MESH0004', 'image.yaml', 3, 1], ['MESH0005', 'latin1.yaml', 3, 12]]);
    const messages = json(r).diagnostics.map((d) => d.message);
    assert.equal(messages, ['file is binary (NUL byte at offset 8), not YAML', 'file is not valid UTF-8 (first bad byte at offset 35)']);
    // The same through standard input.
    const stdin = run(['check', '--format', 'json', '-'], { input: Buffer.from([0x61, 0x00]) });
    assert.is(stdin.code, 1);
    assert.equal(rows(stdin), [['MESH0004', '<stdin>', 1, 2]]);
  } finally {
    t.cleanup();
  }
});

test('UTF-16 and UTF-32 files (PowerShell 5 `>`, Windows editors), with or without byte-order mark: MESH0030 "save it as UTF-8", exit 1', () => {
  const yaml = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: payments\n  namespace: shop\n';
  const t = tempTree({
    'ps5.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')]),
    'be-bom.yaml': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(yaml, 'utf16le').swap16()]),
    'le.yaml': Buffer.from(`# caf\u00e9\n${yaml}`, 'utf16le'),
    'be.yaml': Buffer.from(yaml, 'utf16le').swap16(),
    'utf32.yaml': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(Uint32Array.from([...yaml].map((c) => c.codePointAt(0)!)).buffer)]),
  });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 1);
    assert.equal(json(r).diagnostics.map((d) => [d.code, d.file, d.line, d.column, d.message]), [
      ['MESH0030', 'be-bom.yaml', 1, 1, 'file is UTF-16 encoded; save it as UTF-8'],
      ['MESH0030', 'be.yaml', 1, 1, 'file is UTF-16 encoded; save it as UTF-8'],
      ['MESH0030', 'le.yaml', 1, 1, 'file is UTF-16 encoded; save it as UTF-8'],
      ['MESH0030', 'ps5.yaml', 1, 1, 'file is UTF-16 encoded; save it as UTF-8'],
      ['MESH0030', 'utf32.yaml', 1, 1, 'file is UTF-32 encoded; save it as UTF-8'],
    ]);
  } finally {
    t.cleanup();
  }
});

test('a YAML alias bomb ("billion laughs"): MESH0008 at the alias that crossed the limit, exit 1', () => {
  let bomb = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  const names = 'abcdefghij';
  for (let i = 1; i < names.length; i++) bomb += `  ${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`;
  const t = tempTree({ 'bomb.yaml': bomb });
  try {
    const r = check(t.dir, 'bomb.yaml');
    assert.is(r.code, 1);
    // The first *c (line 8): anchor c already stands for 81 expansions, so a second use of it crosses the limit of 100.
    assert.equal(rows(r), [['MESH0008', 'bomb.yaml', 8, 10]]);
    assert.is(String(json(r).diagnostics[0]!.message), 'document rejected: alias *c takes the document past 100 alias expansions, the limit against alias bombs ("billion laughs")');
  } finally {
    t.cleanup();
  }
});

test('10,000-deep nesting, block and flow style (YAML and JSON): MESH0008 at the first too-deep node, exit 1', () => {
  const deep = 10_000;
  const t = tempTree({
    'block.yaml': `kind: X\nspec:\n  ${'- '.repeat(deep)}x\n`,
    'flow.yaml': `kind: X\nspec: ${'['.repeat(deep)}${']'.repeat(deep)}\n`,
    'flowmap.yaml': `kind: X\nspec: ${'{a: '.repeat(deep)}1${'}'.repeat(deep)}\n`,
    'deep.json': `{"kind": "X", "spec": ${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}}\n`,
    'unclosed.yaml': `kind: X\nspec: ${'['.repeat(deep)}\n`,
  });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 1);
    // The first node at depth 201 (the document's mapping is depth 1, spec's value depth 2).
    assert.equal(rows(r), [
      ['MESH0008', 'block.yaml', 3, 3 + 199 * 2],
      ['MESH0008', 'deep.json', 1, 23 + 199 * 5],
      ['MESH0008', 'flow.yaml', 2, 7 + 199],
      ['MESH0008', 'flowmap.yaml', 2, 7 + 199 * 4],
      ['MESH0008', 'unclosed.yaml', 2, 7 + 199],
    ]);
    for (const d of json(r).diagnostics) assert.is(d.message, 'document rejected: nesting deeper than 200 levels');
  } finally {
    t.cleanup();
  }
});

test('documents nested 2,000 levels by indentation, several in one file and with a key after: MESH0008 for each, the others still checked, never MESH0001', () => {
  // The issue's generator: a Service, then twice `a:` nested 2,000 levels deep by one more space per level (about 4 MB).
  const nested = (key = 'a') => Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}${key}:\n`).join('');
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports:\n  - port: 80\n';
  const t = tempTree({
    'two.yaml': `${service}---\n${nested()}---\n${nested()}`,
    // A key back at the left margin closes all 2,000 levels within the document; the Service after it is read.
    'closed.yaml': `${nested('x')}b: 1\n---\n${service.replace('web', 'api')}`,
  });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 1);
    // Reported where the 201st level opens (line 10 of two.yaml is the first `a:`).
    assert.equal(rows(r), [['MESH0008', 'closed.yaml', 201, 201], ['MESH0008', 'two.yaml', 210, 201], ['MESH0008', 'two.yaml', 2211, 201]]);
    assert.is(json(r).summary.resources, 2);
  } finally {
    t.cleanup();
  }
});

test('__proto__ and constructor keys are plain data (see load-hardening for the in-process prototype check)', () => {
  const t = tempTree({
    'proto.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n  labels: {__proto__: {polluted: "yes"}, constructor: {prototype: {polluted: "yes"}}}\n__proto__: {kind: Namespace}\n',
    'proto.json': '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "api", "namespace": "shop", "__proto__": {"x": 1}}, "constructor": {"prototype": {"x": 1}}}\n',
  });
  try {
    const r = check(t.dir, '.');
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const out = json(r);
    assert.is(out.summary.files, 2);
    assert.ok(out.diagnostics.every((d) => typeof d.code === 'string' && /^MESH\d{4}$/.test(d.code)));
  } finally {
    t.cleanup();
  }
});

test('duplicate keys: MESH0003 at the second key, naming it, exit 1', () => {
  const t = tempTree({ 'dup.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n', 'dup.json': '{"kind": "X", "kind": "Y"}\n' });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 1);
    assert.equal(rows(r), [['MESH0003', 'dup.json', 1, 15], ['MESH0003', 'dup.yaml', 5, 3]]);
    assert.is(json(r).diagnostics[1]!.message, 'YAML syntax error: duplicate key name (the keys of a mapping must be unique)');
    assert.is(json(r).diagnostics[1]!.endColumn, 7);
  } finally {
    t.cleanup();
  }
});

test('keys JSON cannot have (a list, a map, an alias to one, null, !!binary bytes): MESH0014 at the key, exit 1, no warning from the YAML library', () => {
  const t = tempTree({
    'list-key.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    ? [x, y]\n    : c\n',
    'flow-key.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    {a: 1}: c\n',
    'alias-key.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: &l {app: web}\nspec:\n  selector:\n    *l : web\n',
    'null-key.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    null: b\n',
    'empty-key.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    : b\n',
    // Found by the fuzz test (test/fuzz-check.test.ts): bytes as a key printed the YAML library's warning on stderr.
    'binary-key.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    !!binary aGk=: b\n',
    // Numbers and booleans are fine: they become strings, as the API server reads them.
    'scalar-keys.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    1: a\n    true: b\n',
  });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 1);
    assert.not.match(r.stderr, /Warning|stringified/);
    assert.equal(rows(r), [
      ['MESH0014', 'alias-key.yaml', 8, 5], ['MESH0014', 'binary-key.yaml', 6, 14], ['MESH0014', 'empty-key.yaml', 6, 5], ['MESH0014', 'flow-key.yaml', 6, 5],
      ['MESH0014', 'list-key.yaml', 6, 7], ['MESH0014', 'null-key.yaml', 6, 5],
    ]);
    const messages = json(r).diagnostics.map((d) => d.message);
    assert.is(messages[0], 'mapping key is a map (*l): Kubernetes objects are JSON, whose keys are strings');
    assert.is(messages[1], 'mapping key is a !!binary value (aGk=): Kubernetes objects are JSON, whose keys are strings');
    assert.is(messages[2], 'mapping key is null: Kubernetes objects are JSON, whose keys are strings');
    assert.is(messages[4], 'mapping key is a list ([x, y]): Kubernetes objects are JSON, whose keys are strings');
    assert.is(messages[5], 'mapping key is null (null): Kubernetes objects are JSON, whose keys are strings');
    assert.is(json(r).summary.resources, 1);
  } finally {
    t.cleanup();
  }
});

test('a directory with no manifest in it: MESH0015 (warning) naming it, exit 0 (1 with --fail-level warning); not when it has one', () => {
  const t = tempTree({ 'templates/svc.yaml.tpl': 'kind: Service\n', 'templates/.hidden/a.yaml': 'kind: X\n', 'ok/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: b}\n' });
  mkdirSync(join(t.dir, 'empty'));
  try {
    const r = check(t.dir, 'templates', 'empty', 'ok');
    assert.is(r.code, 0);
    assert.equal(rows(r), [['MESH0015', 'empty', 1, 1], ['MESH0015', 'templates', 1, 1]]);
    const d = json(r).diagnostics[1]!;
    assert.is(d.severity, 'warning');
    assert.is(d.message, 'directory templates holds no manifests (no *.yaml, *.yml, *.json, mesh.ts, *.mesh.ts file outside dot-directories, node_modules and tool files such as package.json): nothing was checked there');
    assert.is(check(t.dir, '--fail-level', 'warning', 'empty').code, 1);
    // The working directory is the default path; a file named explicitly is read whatever its extension.
    assert.equal(rows(check(join(t.dir, 'empty'))), [['MESH0015', '.', 1, 1]]);
    assert.equal(rows(check(t.dir, 'templates/svc.yaml.tpl')).map((x) => x[0]), ['MESH0100']);
    assert.equal(rows(check(t.dir, 'ok')), []);
  } finally {
    t.cleanup();
  }
});

test('Kubernetes Lists: members checked at their own lines, nested Lists flattened (as kubectl does), items that is no list is MESH0111, an empty List is nothing', () => {
  const sa = (name: string, indent: string, extra = '') => `${indent}- apiVersion: v1\n${indent}  kind: ServiceAccount\n${indent}  metadata: {name: ${name}, namespace: shop${extra}}\n`;
  const t = tempTree({
    'list.yaml': `apiVersion: v1\nkind: List\nitems:\n${sa('a', '')}- apiVersion: v1\n  kind: List\n  items:\n${sa('b', '  ', ', bogus: 1')}  - 7\n`,
    'typed.yaml': `apiVersion: v1\nkind: ServiceAccountList\nitems:\n${sa('c', '')}`,
    'map.yaml': 'apiVersion: v1\nkind: List\nitems: {a: 1}\n',
    'empty.yaml': 'apiVersion: v1\nkind: List\n---\napiVersion: v1\nkind: List\nitems:\n---\napiVersion: v1\nkind: List\nitems: []\n',
  });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 1);
    assert.equal(rows(r), [['MESH0109', 'list.yaml', 12, 42], ['MESH0009', 'list.yaml', 13, 5], ['MESH0111', 'map.yaml', 3, 8]]);
    assert.is(json(r).diagnostics[2]!.message, 'items must be a list of objects (a List holds its members in items), not a map');
    assert.equal(json(r).diagnostics[0]!.resource, { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'shop', name: 'b' });
    assert.is(json(r).summary.resources, 3);
  } finally {
    t.cleanup();
  }
});

test('a stream of JSON objects (as kubectl reads it): each object checked at its own positions; a single object and YAML flow style unchanged', () => {
  const svc = (name: string, port: number, extra = '') => `{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "${name}", "namespace": "n"${extra}}, "spec": {"ports": [{"port": ${port}}]}}`;
  const t = tempTree({
    'stream.json': `${svc('a', 0)}${svc('b', 80, ', "x": "}"')}\n\n  ${svc('c', 70000)}\n`,
    'one.json': `${svc('d', 0)}\n`,
    'flow.yaml': "{apiVersion: v1, kind: Service, metadata: {name: e, namespace: n, labels: {a: '}'}}, spec: {ports: [{port: 0}]}}\n",
  });
  try {
    const r = check(t.dir, '.');
    assert.is(r.code, 1);
    assert.equal(rows(r), [
      ['MESH0112', 'flow.yaml', 1, 108], ['MESH0112', 'one.json', 1, 114],
      ['MESH0112', 'stream.json', 1, 114], ['MESH0109', 'stream.json', 1, 203], ['MESH0112', 'stream.json', 3, 116],
    ]);
    assert.is(json(r).summary.resources, 5);
    assert.equal(json(r).diagnostics[3]!.resource, { apiVersion: 'v1', kind: 'Service', namespace: 'n', name: 'b' });
  } finally {
    t.cleanup();
  }
});

test('a document that is a scalar or a list: MESH0009 at the document, exit 1', () => {
  const t = tempTree({
    'scalar.yaml': 'just a string\n',
    'number.yaml': '---\n42\n',
    'list.yaml': 'kind: X\n---\n- kind: Service\n',
    'items.yaml': 'apiVersion: v1\nkind: List\nitems:\n- 3\n',
  });
  try {
    // Named: a walk would skip scalar.yaml and number.yaml, which hold nothing like an object (MESH0016).
    const r = check(t.dir, 'items.yaml', 'list.yaml', 'number.yaml', 'scalar.yaml');
    assert.is(r.code, 1);
    assert.equal(rows(r).filter((x) => x[0] === 'MESH0009'), [
      ['MESH0009', 'items.yaml', 4, 3], ['MESH0009', 'list.yaml', 3, 1], ['MESH0009', 'number.yaml', 2, 1], ['MESH0009', 'scalar.yaml', 1, 1],
    ]);
    const messages = json(r).diagnostics.filter((d) => d.code === 'MESH0009').map((d) => String(d.message).split(',')[0]);
    assert.equal(messages, ['document is a number', 'document is a list', 'document is a number', 'document is a string']);
  } finally {
    t.cleanup();
  }
});

/** Writes `bytes` of realistic manifests (ConfigMaps with data, some ServiceAccounts), streamed. */
async function writeBigManifest(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const payload = 'lorem ipsum dolor sit amet '.repeat(36);
  let written = 0;
  for (let i = 0; written < bytes; i++) {
    const doc = i % 20 === 0
      ? `---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-${i}\n  namespace: ns-${i % 7}\n`
      : `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: default\ndata:\n  payload: "${payload}"\n`;
    written += doc.length;
    if (!out.write(doc)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

test('a 50 MB file: over the default limit MESH0007 without reading it; with the limit raised, checked without crashing', async () => {
  const t = tempTree();
  try {
    const big = join(t.dir, 'big.yaml');
    await writeBigManifest(big, 50 * 1024 * 1024);
    const refused = check(t.dir, 'big.yaml');
    assert.is(refused.code, 1);
    assert.equal(rows(refused), [['MESH0007', 'big.yaml', 1, 1]]);
    assert.match(String(json(refused).diagnostics[0]!.message), /^file is 5\d{7} bytes, over the limit of 16777216 bytes \(raise it with --max-file-size\)$/);
    // Refused from its size alone: a 64 GiB sparse file (which could never be read in a test) is refused the same way.
    const sparse = join(t.dir, 'sparse.yaml');
    writeFileSync(sparse, '');
    truncateSync(sparse, 64 * 1024 ** 3);
    const huge = check(t.dir, 'sparse.yaml');
    assert.equal([huge.code, rows(huge)], [1, [['MESH0007', 'sparse.yaml', 1, 1]]]);
    assert.match(String(json(huge).diagnostics[0]!.message), /^file is 68719476736 bytes/);
    // Raised limit: read, parsed and modelled.
    const read = check(t.dir, '--max-file-size', '64Mi', 'big.yaml');
    assert.ok(read.code === 0 || read.code === 1, read.stderr);
    const out = json(read);
    assert.is(out.summary.files, 1);
    assert.ok(out.summary.resources > 2000, JSON.stringify(out.summary));
    assert.not.ok(out.diagnostics.some((d) => d.code === 'MESH0007' || d.code === 'MESH0008'));
  } finally {
    t.cleanup();
  }
});

test('more manifest text than the heap can model: MESH0017 once the reading passes the budget, exit 2 at once, nothing parsed (not an out-of-memory crash)', () => {
  // A 96 MB heap takes 8 MB of text (the floor of the budget); 3 files of ~3.6 MB each pass it on the third.
  const row = (i: number) => `  k${i}: "${'v'.repeat(50)}"`;
  const file = (n: number) => ['apiVersion: v1', 'kind: ConfigMap', `metadata: {name: c${n}, namespace: x}`, 'data:', ...Array.from({ length: 60_000 }, (_, i) => row(i)), ''].join('\n');
  const t = tempTree({ 'a.yaml': file(1), 'b.yaml': file(2), 'c.yaml': file(3), 'd.yaml': 'kind: [\n' });
  try {
    const env = { NODE_OPTIONS: '--max-old-space-size=48' };
    const r = run(['check', '--format', 'json', '.'], { cwd: t.dir, env });
    assert.not.match(r.stderr, STACK, r.stderr);
    assert.is(r.code, 2, r.stderr);
    assert.equal(rows(r), [['MESH0017', null, null, null]], 'd.yaml is never read: nothing is parsed');
    assert.match(String(json(r).diagnostics[0]!.message), /^the inputs hold more than 8 MB of manifests \(after 3 files\), more than a run with a \d+ MB heap can model: nothing was checked$/);
    assert.equal(rows(run(['check', '--format', 'json', 'd.yaml'], { cwd: t.dir, env })), [['MESH0003', 'd.yaml', 2, 1]], 'under the budget: checked');
  } finally {
    t.cleanup();
  }
});

test('a working directory removed after the shell entered it: MESH1023, exit 2, for relative and absolute paths alike (not an internal error)', () => {
  const t = tempTree({ 'mesh/ok.yaml': 'kind: X\n' });
  try {
    const gone = join(t.dir, 'gone');
    const inGone = (args: string) => {
      mkdirSync(gone);
      return spawnSync('sh', ['-c', `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${BIN}" ${args}`], { encoding: 'utf8', env: cleanEnv({ NO_COLOR: '1' }) });
    };
    for (const args of ['check .', `check "${join(t.dir, 'mesh')}"`, `compile "${join(t.dir, 'mesh')}" --out "${join(t.dir, 'out')}"`, 'init', 'explain MESH0003']) {
      const r = inGone(args);
      assert.is(r.status, 2, args);
      assert.is(r.stderr, 'meshc: error MESH1023 the working directory cannot be read (it no longer exists): cd into an existing directory and run meshc again [working-directory-gone]\n', args);
      assert.is(r.stdout, '');
    }
    const version = inGone('--version');
    assert.equal([version.status, version.stderr], [0, ''], 'meshc --version needs no directory');
  } finally {
    t.cleanup();
  }
});

test('unreadable paths: exit 2 with MESH0002 saying why (missing, FIFO, socket, dangling link, not a directory)', async () => {
  const t = tempTree({ 'ok.yaml': 'kind: X\n', 'file.yaml': 'kind: X\n', 'walk/ok.yaml': 'kind: X\n' });
  const server = createServer();
  try {
    spawnSync('mkfifo', [join(t.dir, 'pipe.yaml')]);
    spawnSync('mkfifo', [join(t.dir, 'walk', 'pipe.yaml')]);
    // Named as compile's manifest: the probe for a compile output must not open it blocking (it hung every command).
    mkdirSync(join(t.dir, 'walk', 'out'));
    spawnSync('mkfifo', [join(t.dir, 'walk', 'out', 'manifest.json')]);
    await new Promise<void>((resolve) => server.listen(join(t.dir, 'sock.yaml'), resolve));
    // Standard input redirected from a directory (`meshc check - < dir`) is no empty input.
    const fromDir = spawnSync(process.execPath, [BIN, 'check', '--format', 'json', '-'], { stdio: [openSync(t.dir, 'r'), 'pipe', 'pipe'], encoding: 'utf8', env: cleanEnv({}) });
    assert.is(fromDir.status, 2, fromDir.stderr);
    assert.equal(json({ code: 2, stdout: fromDir.stdout, stderr: fromDir.stderr }).diagnostics.map((d) => [d.code, d.message]), [['MESH0002', 'cannot read <stdin>: is a directory']]);
    symlinkSync('nowhere.yaml', join(t.dir, 'dangling.yaml'));
    symlinkSync('nowhere.yaml', join(t.dir, 'walk', 'dangling.yaml'));
    const cases: [string, string][] = [
      ['missing.yaml', 'cannot read missing.yaml: no such file or directory'],
      ['pipe.yaml', 'cannot read pipe.yaml: not a regular file or directory: a named pipe (FIFO)'],
      ['sock.yaml', 'cannot read sock.yaml: not a regular file or directory: a socket'],
      ['dangling.yaml', 'cannot read dangling.yaml: broken or looping symbolic link (no such file or directory)'],
      ['file.yaml/inner.yaml', 'cannot read file.yaml/inner.yaml: a component of the path is not a directory'],
    ];
    for (const [path, message] of cases) {
      const r = check(t.dir, 'ok.yaml', path);
      assert.is(r.code, 2, path);
      const found = json(r).diagnostics.filter((d) => d.code === 'MESH0002');
      assert.equal(found.map((d) => [d.file, d.line, d.column, d.message]), [[path, 1, 1, message]], path);
    }
    // Found while walking a directory: a FIFO named like a manifest is reported, never opened; a dangling link too.
    const walk = check(t.dir, 'walk');
    assert.is(walk.code, 2);
    assert.equal(json(walk).diagnostics.filter((d) => d.code === 'MESH0002').map((d) => [d.code, d.file, d.message]), [
      ['MESH0002', 'walk/dangling.yaml', 'cannot read walk/dangling.yaml: no such file or directory'],
      ['MESH0002', 'walk/out/manifest.json', 'cannot read walk/out/manifest.json: not a regular file or directory: a named pipe (FIFO)'],
      ['MESH0002', 'walk/pipe.yaml', 'cannot read walk/pipe.yaml: not a regular file or directory: a named pipe (FIFO)'],
    ]);
  } finally {
    server.close();
    t.cleanup();
  }
});

/**
 * How to run meshc so that mode 000 stops it. Root reads anything through two
 * capabilities: dropped from the bounding set (setpriv, util-linux), root is
 * held to the owner's mode bits like anyone, and still reads the checkout
 * wherever it lies (a private `mktemp -d` directory too). Without setpriv the
 * run switches to nobody, who needs the checkout to be world-readable.
 */
function unprivileged(): { command: string; prefix: string[]; options: { uid?: number; gid?: number } } {
  if (process.getuid?.() !== 0) return { command: process.execPath, prefix: [], options: {} };
  const drop = ['--bounding-set=-dac_override,-dac_read_search', '--'];
  const probe = spawnSync('setpriv', [...drop, 'true'], { stdio: 'ignore' });
  if (probe.status === 0) return { command: 'setpriv', prefix: [...drop, process.execPath], options: {} };
  return { command: process.execPath, prefix: [], options: { uid: 65534, gid: 65534 } };
}

test('a file the user may not read (mode 000; as root with the capabilities that bypass file modes dropped)', () => {
  const t = tempTree({ 'secret.yaml': 'kind: X\n', 'locked/inside.yaml': 'kind: X\n' });
  try {
    chmodSync(t.dir, 0o755);
    chmodSync(join(t.dir, 'secret.yaml'), 0o000);
    chmodSync(join(t.dir, 'locked'), 0o000);
    const how = unprivileged();
    const r = spawnSync(how.command, [...how.prefix, BIN, 'check', '--format', 'json', 'secret.yaml', 'locked'], {
      cwd: t.dir, encoding: 'utf8', env: cleanEnv({ NO_COLOR: '1' }), timeout: 60_000, ...how.options,
    });
    assert.ok(r.stdout.startsWith('{'), `meshc could not run unprivileged (${how.command}): ${r.stderr || r.error}`);
    assert.is(r.status, 2, r.stderr);
    assert.equal(JSON.parse(r.stdout).diagnostics.map((d: Record<string, unknown>) => [d.code, d.file, d.message]), [
      ['MESH0002', 'locked', 'cannot read locked: permission denied'],
      ['MESH0002', 'secret.yaml', 'cannot read secret.yaml: permission denied'],
    ]);
  } finally {
    chmodSync(join(t.dir, 'locked'), 0o755);
    t.cleanup();
  }
});

test('symbolic link loops: a looping file link is MESH0002 (exit 2); a directory loop is read once with MESH0011 (warning)', () => {
  const t = tempTree({ 'm/a.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: x}\n' });
  try {
    mkdirSync(join(t.dir, 'links'));
    symlinkSync('loop.yaml', join(t.dir, 'links', 'loop.yaml'));
    symlinkSync('b.yaml', join(t.dir, 'links', 'c.yaml'));
    symlinkSync('c.yaml', join(t.dir, 'links', 'b.yaml'));
    symlinkSync('.', join(t.dir, 'm', 'here'));
    mkdirSync(join(t.dir, 'n'));
    symlinkSync('../n', join(t.dir, 'n', 'self'));
    const self = check(t.dir, 'links/loop.yaml');
    assert.is(self.code, 2);
    assert.equal(json(self).diagnostics.map((d) => [d.code, d.file, d.message]), [['MESH0002', 'links/loop.yaml', 'cannot read links/loop.yaml: broken or looping symbolic link (too many levels of symbolic links)']]);
    const pair = check(t.dir, 'links/b.yaml');
    assert.is(pair.code, 2);
    assert.match(String(json(pair).diagnostics[0]!.message), /too many levels of symbolic links/);
    // Found while walking: the same finding, not a hang.
    const walked = check(t.dir, 'links');
    assert.is(walked.code, 2);
    assert.equal(rows(walked).map((x) => x[1]), ['links/b.yaml', 'links/c.yaml', 'links/loop.yaml']);
    const dirs = check(t.dir, 'n', 'm');
    assert.is(dirs.code, 0);
    assert.equal(rows(dirs), [['MESH0011', 'm/here', 1, 1], ['MESH0011', 'n/self', 1, 1]]);
    assert.is(json(dirs).diagnostics[0]!.severity, 'warning');
    assert.is(json(dirs).summary.files, 1);
  } finally {
    t.cleanup();
  }
});

test.run();
