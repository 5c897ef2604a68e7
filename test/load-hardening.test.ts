import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, symlinkSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { loadDocuments, loadText } from '../src/load/index.ts';
import { decodeText } from '../src/load/decode.ts';
import { firstTooDeepOffset } from '../src/load/yaml-limits.ts';
import { check } from '../src/index.ts';
import { parseAllDocuments } from 'yaml';

const codes = (sink: DiagnosticSink) => sink.items.map((d) => d.code);
const at = (sink: DiagnosticSink, i = 0) => {
  const r = sink.items[i]!.range!;
  return [r.line, r.column];
};

test('positions in the third document of a stream are exact (lazy re-parse of the slice)', () => {
  const sink = new DiagnosticSink();
  const text = '# head\n---\na: 1\n---\nb: 2\n...\n---\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';
  const r = loadText(text, 'multi.yaml', sink);
  assert.equal(codes(sink), []);
  assert.is(r.documents.length, 3);
  const third = r.documents[2]!;
  assert.is(r.sources.docs[third.doc]!.index, 2);
  const port = r.sources.locate({ doc: third.doc, path: [] }, ['spec', 'ports', 0, 'port']);
  assert.equal([port.line, port.column, port.endLine, port.endColumn], [13, 11, 13, 13]);
  const name = r.sources.locate({ doc: third.doc, path: [] }, ['metadata', 'name'], { key: true });
  assert.equal([name.line, name.column], [10, 3]);
  assert.is(r.sources.valueAt({ doc: third.doc, path: [] }, ['metadata', 'name']), 'web');
  assert.is(r.sources.valueAt({ doc: third.doc, path: [] }, ['metadata', 'missing']), undefined);
  assert.equal(r.sources.valueAt({ doc: third.doc, path: [] }, ['spec', 'ports']), [{ port: 80 }]);
});

test('document indexes stay right when a too-deep document sits between two good ones', () => {
  const sink = new DiagnosticSink();
  const text = `a: 1\n---\n${'['.repeat(300)}${']'.repeat(300)}\n---\nkind: X\nname: y\n`;
  const r = loadText(text, 'mixed.yaml', sink);
  assert.equal(codes(sink), ['MESH0008']);
  assert.equal(at(sink), [3, 201]);
  assert.is(r.documents.length, 2);
  assert.equal(r.documents.map((d) => r.sources.docs[d.doc]!.index), [0, 2]);
  const kind = r.sources.locate({ doc: r.documents[1]!.doc, path: [] }, ['name']);
  assert.equal([kind.line, kind.column], [6, 7]);
});

test('nesting that only aliases make too deep: MESH0008 at the first alias', () => {
  const sink = new DiagnosticSink();
  const text = `kind: X\nx: &x ${'['.repeat(150)}1${']'.repeat(150)}\ny: ${'['.repeat(150)}*x${']'.repeat(150)}\n`;
  const r = loadText(text, 'aliased.yaml', sink);
  assert.equal(codes(sink), ['MESH0008']);
  assert.equal(at(sink), [3, 154]);
  assert.is(sink.items[0]!.message, 'document rejected: nesting deeper than 200 levels once alias *x is expanded');
  assert.is(r.documents.length, 0);
});

test('deep nesting is rejected before composing, in every style, at the first too-deep node', () => {
  const cases: [string, string, [number, number]][] = [
    ['block sequence', `${'- '.repeat(10_000)}x\n`, [1, 401]],
    ['flow sequence', `${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, [1, 201]],
    ['flow mapping', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`, [1, 801]],
    ['unclosed flow', `${'['.repeat(10_000)}\n`, [1, 201]],
    ['block mapping', `${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`, [201, 201]],
  ];
  for (const [name, text, pos] of cases) {
    const sink = new DiagnosticSink();
    const r = loadText(text, 'deep.yaml', sink);
    assert.equal(codes(sink), ['MESH0008'], name);
    assert.equal(at(sink), pos, name);
    assert.match(sink.items[0]!.message, /nesting deeper than 200/, name);
    assert.is(r.documents.length, 0, name);
  }
});

test('nesting the parser closes by recursion (a later `---` or a key at the margin after 2,000 levels): MESH0008 per document, the next document read', () => {
  const nested = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}a:\n`).join('');
  const cases: [string, string, [number, number][], number][] = [
    ['two deep documents', `kind: X\n---\n${nested}---\n${nested}`, [[203, 201], [2204, 201]], 1],
    ['a key after the deep part', `${nested}b: 1\n---\nkind: Y\n`, [[201, 201]], 1],
  ];
  for (const [name, text, positions, documents] of cases) {
    const sink = new DiagnosticSink();
    const r = loadText(text, 'deep.yaml', sink);
    assert.equal(codes(sink), positions.map(() => 'MESH0008'), name);
    assert.equal(sink.items.map((_, i) => at(sink, i)), positions, name);
    assert.is(r.documents.length, documents, name);
  }
  assert.equal(firstTooDeepOffset(`${nested}b: 1\n`), 200 * 201 / 2 + 200 * 3);
});

test('nesting up to the limit is accepted', () => {
  const sink = new DiagnosticSink();
  const r = loadText(`a: ${'['.repeat(150)}1${']'.repeat(150)}\n`, 'ok.yaml', sink);
  assert.equal(codes(sink), []);
  assert.is(r.documents.length, 1);
});

test('without aliases, the depth measured before composing decides alone: at the limit in every style accepted, one more level rejected, as the depth of the composed value says', () => {
  const depthOf = (v: unknown): number => (v && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
  const styles: [string, (n: number) => string][] = [
    ['flow sequences in a map', (n) => `a: ${'['.repeat(n - 1)}1${']'.repeat(n - 1)}\n`],
    ['flow maps', (n) => `${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`],
    ['block maps', (n) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`],
    ['compact block sequences', (n) => `${'- '.repeat(n)}x\n`],
    ['block map over flow sequences', (n) => `a:\n  b: ${'['.repeat(n - 2)}1${']'.repeat(n - 2)}\n`],
  ];
  for (const [name, make] of styles) {
    for (const n of [199, 200, 201]) {
      const text = make(n);
      const sink = new DiagnosticSink();
      const r = loadText(text, 'depth.yaml', sink);
      const depth = depthOf(parseAllDocuments(text)[0]!.toJS());
      assert.is(depth, n, `${name} ${n}: the generated value has ${n} levels`);
      if (n <= 200) {
        assert.equal(codes(sink).filter((c) => c === 'MESH0008'), [], `${name} ${n}: accepted`);
      } else {
        assert.equal(codes(sink), ['MESH0008'], `${name} ${n}: rejected`);
        assert.is(r.documents.length, 0, `${name} ${n}`);
      }
    }
  }
});

test('an alias bomb is rejected, a few aliases are fine', () => {
  const lol = (c: string, p: string) => `${c}: &${c} [${Array(9).fill(`*${p}`).join(',')}]\n`;
  let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (const [c, p] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) bomb += lol(c!, p!);
  const sink = new DiagnosticSink();
  loadText(bomb, 'bomb.yaml', sink);
  assert.equal(codes(sink), ['MESH0008']);
  assert.match(sink.items[0]!.message, /alias/);
  const ok = new DiagnosticSink();
  const r = loadText('base: &b {x: 1}\none: *b\ntwo: *b\n', 'ok.yaml', ok);
  assert.equal(codes(ok), []);
  assert.equal(r.documents[0]!.value, { base: { x: 1 }, one: { x: 1 }, two: { x: 1 } });
});

test('duplicate keys name the key and point at its second occurrence', () => {
  const sink = new DiagnosticSink();
  loadText('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  "name": b\n', 'dup.yaml', sink);
  assert.equal(codes(sink), ['MESH0003']);
  assert.equal(at(sink), [5, 3]);
  assert.match(sink.items[0]!.message, /duplicate key "name"/);
  assert.is(sink.items[0]!.range!.endColumn, 9);
});

test('binary and non-UTF-8 input: the position of the offending byte', () => {
  const sink = new DiagnosticSink();
  assert.is(decodeText(Buffer.from('a: 1\nbé: \u0000x\n'), 'bin.yaml', sink), undefined);
  assert.equal(codes(sink), ['MESH0004']);
  assert.match(sink.items[0]!.message, /offset 10/);
  assert.equal(at(sink), [2, 5]);
  const bad = new DiagnosticSink();
  assert.is(decodeText(Buffer.concat([Buffer.from('a: 1\nb: caf'), Buffer.from([0xe9]), Buffer.from('\n')]), 'latin1.yaml', bad), undefined);
  assert.equal(codes(bad), ['MESH0005']);
  assert.equal(at(bad), [2, 7]);
  // A file whose very first byte is NUL (a binary file) is pointed at 1:1, not at its last line.
  const first = new DiagnosticSink();
  assert.is(decodeText(Buffer.from('\u0000\u0001\n\u0002\n\u0003'), 'first.bin', first), undefined);
  assert.equal(codes(first), ['MESH0004']);
  assert.match(first.items[0]!.message, /offset 0\b/);
  assert.equal(at(first), [1, 1]);
  // Surrogates encoded in UTF-8 are not valid UTF-8 either.
  const sur = new DiagnosticSink();
  decodeText(Buffer.from([0x61, 0xed, 0xa0, 0x80]), 's.yaml', sur);
  assert.equal(codes(sur), ['MESH0005']);
  assert.match(sur.items[0]!.message, /offset 1\b/);
});

test('a byte order mark is dropped, positions stay on the characters', () => {
  const sink = new DiagnosticSink();
  const text = decodeText(Buffer.from('\ufeffkind: X\nname: y\n'), 'bom.yaml', sink)!;
  const r = loadText(text, 'bom.yaml', sink);
  assert.equal(r.documents[0]!.value, { kind: 'X', name: 'y' });
  const p = r.sources.locate({ doc: 0, path: [] }, ['kind']);
  assert.equal([p.line, p.column], [1, 7]);
});

test('__proto__ and constructor keys stay plain data: no prototype pollution through the API', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-proto-'));
  try {
    writeFileSync(join(dir, 'evil.yaml'), [
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: evil', '  namespace: default',
      '  __proto__: {polluted: yes}', '  annotations: {__proto__: {polluted: yes}, constructor: {prototype: {polluted: yes}}}',
      '  labels:', '    constructor: {prototype: {polluted: yes}}', '__proto__:', '  polluted: yes',
      'spec:', '  selector: {__proto__: {polluted: yes}}', '  ports: [{port: 80, __proto__: {polluted: yes}}]', '',
    ].join('\n'));
    writeFileSync(join(dir, 'list.json'), JSON.stringify({ kind: 'List', items: [JSON.parse('{"__proto__": {"polluted": true}, "kind": "ServiceAccount", "apiVersion": "v1", "metadata": {"name": "sa"}}')] }));
    const result = await check([dir], { cwd: dir });
    assert.ok(Array.isArray(result.diagnostics));
    assert.is(({} as Record<string, unknown>).polluted, undefined);
    assert.is(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.is((Object as unknown as Record<string, unknown>).polluted, undefined);
    const sink = new DiagnosticSink();
    const r = loadText('__proto__: {polluted: yes}\nconstructor: {prototype: {polluted: yes}}\n', 'p.yaml', sink);
    const v = r.documents[0]!.value;
    assert.is(Object.getPrototypeOf(v), Object.prototype);
    assert.ok(Object.hasOwn(v, '__proto__'));
    assert.is(({} as Record<string, unknown>).polluted, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file reached through a symbolic link and directly is read once; a directory loop ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-links-'));
  try {
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'a.yaml'), 'kind: X\n');
    symlinkSync('a.yaml', join(dir, 'm', 'b.yaml'));
    symlinkSync('..', join(dir, 'm', 'up'));
    const sink = new DiagnosticSink();
    const r = await loadDocuments(['m', 'm/a.yaml'], sink, { cwd: dir });
    assert.equal(r.files, ['m/a.yaml']);
    assert.equal(codes(sink), ['MESH0011']);
    assert.is(sink.items[0]!.range!.file, 'm/up/m');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the size limit holds for standard input too, and is reported with the real size', async () => {
  const sink = new DiagnosticSink();
  const r = await loadDocuments(['-'], sink, { maxFileSize: 10, readStdin: async () => Buffer.from('kind: X\nname: longer\n') });
  assert.equal(codes(sink), ['MESH0007']);
  assert.match(sink.items[0]!.message, /21 bytes, over the limit of 10/);
  assert.is(r.documents.length, 0);
});

test('a language loader that throws costs its file only (MESH0001 at that file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-extra-'));
  try {
    writeFileSync(join(dir, 'a.mesh.ts'), 'x');
    writeFileSync(join(dir, 'b.yaml'), 'kind: X\n');
    const sink = new DiagnosticSink();
    const r = await loadDocuments(['.'], sink, {
      cwd: dir,
      extraLoaders: [{ extensions: ['.ts'], load: async () => { throw new Error('boom'); } }],
    });
    assert.equal(codes(sink), ['MESH0001']);
    assert.is(sink.items[0]!.range!.file, 'a.mesh.ts');
    assert.match(sink.items[0]!.message, /boom/);
    assert.is(r.documents.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
