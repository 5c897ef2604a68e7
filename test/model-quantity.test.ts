import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errors, modelOf, where } from './helpers/model.ts';

function split(weights: (string | number)[]): string {
  const backends = weights.map((w, i) => `  - service: b${i}\n    weight: ${typeof w === 'string' ? JSON.stringify(w) : w}`).join('\n');
  return `apiVersion: split.smi-spec.io/v1alpha1
kind: TrafficSplit
metadata:
  name: s
spec:
  service: root
  backends:
${backends}
`;
}

function weightsOf(weights: (string | number)[]) {
  const m = modelOf(split(weights));
  assert.equal(errors(m), [], `no errors for ${JSON.stringify(weights)}`);
  const s = m.mesh.trafficSplits[0]!;
  return { weights: s.backends.map((b) => b.weight), unit: s.weightUnit, scale: s.weightScale };
}

// smi.md 3.4 worked examples
test('{1, 500m} is 2:1 in milli-units (1000, 500), not 1:500 as the SDK converter computes', () => {
  assert.equal(weightsOf([1, '500m']), { weights: [1000, 500], unit: 'milli', scale: undefined });
});

test('{10m, 100m, 1500m}', () => {
  assert.equal(weightsOf(['10m', '100m', '1500m']).weights, [10, 100, 1500]);
});

test('{1, 0m} and {100m, 900m}', () => {
  assert.equal(weightsOf([1, '0m']).weights, [1000, 0]);
  assert.equal(weightsOf(['100m', '900m']).weights, [100, 900]);
});

test('decimals, decimal and binary suffixes, exponents', () => {
  assert.equal(weightsOf(['1.5', '1']).weights, [1500, 1000]);
  assert.equal(weightsOf(['.5', '0.25']).weights, [500, 250]);
  assert.equal(weightsOf(['1k', '1']).weights, [1_000_000, 1000]);
  assert.equal(weightsOf(['1Ki', '1']).weights, [1_024_000, 1000]);
  assert.equal(weightsOf(['1Mi', '1M']).weights, [1_048_576_000, 1_000_000_000]);
  assert.equal(weightsOf(['1e3', '1E-3']).weights, [1_000_000, 1]);
  assert.equal(weightsOf(['+2', '2.000']).weights, [2000, 2000]);
});

test('weights finer than 1m scale the whole split by a power of ten, never rounding one weight', () => {
  assert.equal(weightsOf(['1u', '0.5m']), { weights: [1, 500], unit: 'milli', scale: 3 });
  assert.equal(weightsOf(['1n', 1]), { weights: [1, 1_000_000_000], unit: 'milli', scale: 6 });
  assert.equal(weightsOf(['0.0001', '1m']), { weights: [1, 10], unit: 'milli', scale: 1 });
});

test('zero weights never force scaling', () => {
  assert.equal(weightsOf(['0.000n', '1']), { weights: [0, 1000], unit: 'milli', scale: undefined });
});

test('huge weights fall back to their ratio, or are reported when they cannot be exact', () => {
  const r = weightsOf(['1E', '2E']);
  assert.equal(r.weights, [1, 2]);
  assert.is(r.unit, 'integer');
  const m = modelOf(split(['1E', '1n']));
  // At the weight that needs the digits, naming its backend.
  assert.equal(where(m), ['MESH0115 9:13']);
  assert.is(m.diagnostics[0]!.message, 'weight "1E" of backend b0 cannot be compared exactly with the other weights of this TrafficSplit: it needs 28 digits, more than meshc compares exactly (2^53)');
  const far = modelOf(split(['1n', '1', '1e36']));
  assert.equal(where(far), ['MESH0115 13:13']);
  assert.match(far.diagnostics[0]!.message, /^weight "1e36" of backend b2 cannot be compared exactly .*: it is more than 10\^40 times the finest weight$/);
  assert.equal(m.mesh.trafficSplits, []);
  assert.is(m.mesh.rejected.length, 1);
});

test('negative, fractional-number and malformed weights are errors at the weight', () => {
  for (const [w, code, text] of [
    ['-1', 'MESH0114', 'weights must not be negative'],
    [-1, 'MESH0114', 'weights must not be negative'],
    ['1.5x', 'MESH0114', 'Quantity'],
    ['1e1.5', 'MESH0114', 'Quantity'],
    [1.5, 'MESH0114', 'write "1.5" (quoted) or 1500m'],
    [1e20, 'MESH0114', 'too large to be exact as a number'],
  ] as const) {
    const m = modelOf(split([w, 1]));
    assert.equal(where(m), [`${code} 9:13`], `weight ${JSON.stringify(w)}`);
    assert.ok(m.diagnostics[0]!.message.includes(text), m.diagnostics[0]!.message);
    assert.is(m.mesh.trafficSplits.length, 0);
  }
});

test('v1alpha2+ weights are whole numbers >= 0, never Quantities', () => {
  const text = (w: string) => `apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: s}
spec:
  service: root
  backends:
  - {service: a, weight: ${w}}
`;
  assert.equal(where(modelOf(text('"500m"'))), ['MESH0111 7:26']);
  assert.equal(where(modelOf(text('1.5'))), ['MESH0111 7:26']);
  assert.equal(where(modelOf(text('-200'))), ['MESH0112 7:26']);
  const ok = modelOf(text('50'));
  assert.equal(ok.mesh.trafficSplits[0]!.backends, [{ service: 'a', weight: 50 }]);
  assert.is(ok.mesh.trafficSplits[0]!.weightUnit, 'integer');
});

test('numbers that lost digits in YAML are shown as written: a v1alpha1 weight, a port', () => {
  const m = modelOf(split(['1', '2']).replace('weight: "1"', 'weight: 18446744073709551615'));
  assert.equal(where(m), ['MESH0114 9:13']);
  assert.match(m.diagnostics[0]!.message, /^weight 18446744073709551615 in spec\.backends\[0\]\.weight is not a valid weight: too large/);
  const svc = modelOf('apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  ports:\n    - port: 99999999999999999999\n');
  assert.equal(svc.diagnostics.map((d) => `${d.code} ${d.range?.line}:${d.range?.column} ${d.message}`), ['MESH0112 6:13 spec.ports[0].port is 99999999999999999999: ports are 1–65535']);
});

test.run();
