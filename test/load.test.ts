import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { loadText } from '../src/load/index.ts';

test('YAML syntax error is a finding at its line', () => {
  const sink = new DiagnosticSink();
  loadText('a: 1\nb: [1\n', 'x.yaml', sink);
  assert.is(sink.items.length, 1);
  assert.is(sink.items[0]!.code, 'MESH0003');
  assert.is(sink.items[0]!.range!.file, 'x.yaml');
});

test('several parser messages about one place are one finding with all of them', () => {
  const sink = new DiagnosticSink();
  // A document indented by one space after its first line (smi-controller-sdk specs_v1alpha4_tcproute.yaml).
  loadText('apiVersion: specs.smi-spec.io/v1alpha4\n kind: TCPRoute\n metadata:\n   name: r\n', 'x.yaml', sink);
  const found = sink.items.map((d) => `${d.code} ${d.range!.line}:${d.range!.column} ${d.message}`);
  assert.equal(found.filter((f) => f.startsWith('MESH0003 1:13 ')), [
    'MESH0003 1:13 YAML syntax error: Nested mappings are not allowed in compact mappings; implicit keys need to be on a single line',
  ]);
  assert.is(new Set(sink.items.map((d) => `${d.range!.line}:${d.range!.column}`)).size, sink.items.length, found.join('\n'));
});

test('positions of nested fields are exact', () => {
  const sink = new DiagnosticSink();
  const r = loadText('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n', 'svc.yaml', sink);
  const range = r.sources.locate({ doc: r.documents[0]!.doc, path: [] }, ['spec', 'ports', 0, 'port']);
  assert.equal([range.line, range.column, range.endLine, range.endColumn], [7, 11, 7, 13]);
  const key = r.sources.locate({ doc: r.documents[0]!.doc, path: [] }, ['spec', 'ports', 0, 'port'], { key: true });
  assert.equal([key.line, key.column], [7, 5]);
});

test.run();
