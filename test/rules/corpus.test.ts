/** The rules on real, public manifests (test/corpus) and the example mesh (fixtures/bookstore). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../src/pipeline/check.ts';
import { trafficSplit } from './objects.ts';

const mine = (code: string) => code >= 'MESH0200' && code < 'MESH0600';
const findings = async (paths: string[], options = {}) =>
  (await check(paths, options)).diagnostics.filter((d) => mine(d.code)).map((d) => `${d.code} ${d.range!.file}:${d.range!.line}:${d.range!.column}`);

test('fixtures/bookstore: no finding above info', async () => {
  const all = (await check(['fixtures/bookstore'])).diagnostics.filter((d) => mine(d.code));
  assert.equal(all.filter((d) => d.severity !== 'info').map((d) => d.message), []);
  // Its two paths are written without an end, so the SMI and Envoy readings differ.
  assert.equal(all.map((d) => `${d.code} ${d.range!.line}`), ['MESH0305 10', 'MESH0305 16']);
});

test('the OSM bookstore demo: only the qualified root name and the anchoring infos', async () => {
  const dir = 'test/corpus/osm-demo';
  const files = ['apps-bookbuyer.yaml', 'apps-bookstore-v2.yaml', 'apps-bookstore.yaml', 'apps-bookthief.yaml', 'apps-bookwarehouse.yaml', 'apps-mysql.yaml', 'access-traffic-access-v1.yaml', 'split-traffic-split-50-50.yaml'];
  assert.equal(await findings(files.map((f) => `${dir}/${f}`)), [
    `MESH0305 ${dir}/access-traffic-access-v1.yaml:30:16`,
    `MESH0305 ${dir}/access-traffic-access-v1.yaml:37:16`,
    `MESH0402 ${dir}/split-traffic-split-50-50.yaml:7:12`,
  ]);
});

test('the SMI spec\'s birds Services: matching ports pass, mismatched ports are found', async () => {
  const split = trafficSplit('default', 'birds', 'birds', [['blue-birds', 1], ['green-birds', 1]]);
  const readStdin = async () => Buffer.from(split);
  const base = 'test/corpus/smi-spec/traffic-split/v1alpha4';
  assert.equal((await findings([`${base}/03-services-birds-matching-ports.yaml`, '-'], { readStdin })).filter((f) => f.startsWith('MESH04')), []);
  assert.equal((await findings([`${base}/04-services-birds-mismatched-ports.yaml`, '-'], { readStdin })).filter((f) => f.startsWith('MESH04')), ['MESH0414 <stdin>:9:16']);
});

test('the SMI spec\'s self-referential split (v1alpha2) is reported as such', async () => {
  const file = 'test/corpus/smi-spec/traffic-split/v1alpha2/07-trafficsplit-my-split-self-referential.yaml';
  const got = (await findings([file], { assumeExternal: ['Service/default/*'] }));
  assert.equal(got, [`MESH0407 ${file}:10:14`]);
});

test.run();
