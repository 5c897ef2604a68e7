/**
 * Large and unusual inputs stay correct (speed is measured in bench/rules.ts;
 * unit tests make no timing assertions).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkYaml, docs } from './tester.ts';
import { service } from './objects.ts';

test('a split with 10,000 backends: each problem reported once, at its backend', async () => {
  const n = 10_000;
  const backends = Array.from({ length: n }, (_, i) => {
    const name = i === 4321 ? 'missing' : i === 9999 ? 'b17' : `b${i}`;
    return `    - service: ${name}\n      weight: ${i % 3}\n`;
  }).join('');
  const split = `apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata:\n  name: wide\n  namespace: shop\nspec:\n  service: root\n  backends:\n${backends}`;
  const services = [service('shop', 'root', { app: 'root' }, [{ port: 80 }, { port: 443 }])];
  for (let i = 0; i < n; i++) services.push(service('shop', `b${i}`, { app: `b${i}` }, i === 77 ? [{ port: 80 }] : [{ port: 80 }, { port: 443 }]));
  const found = (await checkYaml(docs(split, ...services))).filter((d) => d.code >= 'MESH0400' && d.code < 'MESH0500');
  // backend i's service value is on line 9 + 2i.
  assert.equal(found.map((d) => `${d.code} ${d.range!.line}`), [
    `MESH0414 ${9 + 2 * 77}`,
    `MESH0405 ${9 + 2 * 4321}`,
    `MESH0406 ${9 + 2 * 9999}`,
  ]);
  assert.ok(found[0]!.message.includes('backend b77 has no port 443'));
});

test('2,000 Services selecting 2,000 Deployments by unusual labels: only the mismatch is reported', async () => {
  const n = 2000;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const labels = { 'app.kubernetes.io/name': `web-${i}`, 'example.com/tier': '', team_name: 'a.b-c' };
    parts.push(service('shop', `s${i}`, labels));
    parts.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: web-${i}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: web-${i}\n        example.com/tier: "${i === 1234 ? 'x' : ''}"\n        team_name: a.b-c\n    spec:\n      serviceAccountName: d${i}\n      containers:\n        - name: app\n          image: example/web:1\n`);
  }
  const found = (await checkYaml(docs(...parts))).filter((d) => d.code === 'MESH0501');
  assert.equal(found.map((d) => d.message), ['selector {app.kubernetes.io/name: web-1234, example.com/tier: "", team_name: a.b-c} matches no workload in namespace shop']);
});

test.run();
