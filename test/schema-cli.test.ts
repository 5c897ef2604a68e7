/** The schema stage through the built CLI: codes, positions and exit codes a user sees. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';

interface JsonReport { diagnostics: { code: string; severity: string; line: number; column: number; message: string; resource?: { namespace: string; name: string } }[] }

function check(args: string[]): { code: number; found: string[]; report: JsonReport } {
  const r = runCli(['check', '--format', 'json', '-q', ...args]);
  const report = JSON.parse(r.stdout) as JsonReport;
  return { code: r.code, found: report.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`), report };
}

test('the conformance suite mistakes: top-level matches and destination.port in v1alpha3, and as written its <NAMESPACE> placeholder (exit 1)', () => {
  const r = check(['test/corpus/smi-conformance/traffic-spec/03-install.yaml']);
  assert.is(r.code, 1);
  assert.equal(r.found, ['MESH0120 5:14', 'MESH0108 6:1', 'MESH0120 15:14', 'MESH0109 21:5']);
});

test('a draft API warns, and --draft silences it', () => {
  const file = 'test/corpus/smi-controller-sdk/samples/access_v1alpha4_identitybinding.yaml';
  const warned = check([file]);
  assert.is(warned.code, 0);
  assert.equal(warned.found, ['MESH0106 1:13']);
  assert.equal(check(['--draft', file]).found, []);
});

test('--namespace is the namespace of objects without one; rejected objects cause no "not found" cascade', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-schema-cli-'));
  try {
    const file = join(dir, 'mesh.yaml');
    writeFileSync(file, `apiVersion: split.smi-spec.io/v1alpha1
kind: TrafficSplit
metadata: {name: s}
spec:
  service: web
  backends:
  - {service: web-v1, weight: 1}
  - {service: web-v2, weight: 500m}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v1}
spec: {selector: {app: web, v: "1"}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v2}
spec: {selector: {app: web, v: 2}, ports: [{port: 80}]}
`);
    const r = check(['-n', 'shop', file]);
    const errors = r.report.diagnostics.filter((d) => d.severity === 'error');
    // Only the label value typed as a number; the split's backend web-v2 is not "not found".
    assert.equal(errors.map((d) => `${d.code} ${d.line}:${d.column}`), ['MESH0111 23:32'], JSON.stringify(r.report, null, 1));
    assert.match(errors[0]!.message, 'spec.selector.v must be a string, not an integer (2)');
    assert.equal(errors[0]!.resource, { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web-v2' } as never);
    assert.is(r.code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
