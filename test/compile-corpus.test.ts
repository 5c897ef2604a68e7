/**
 * The real public manifests of test/corpus: every file that passes check
 * compiles and passes self-validation (no MESH0800–0805), alone and as the
 * meshes they were written for (the OSM bookstore demo with each of its
 * policies and splits, the SMI conformance installs), for both targets.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { compileTo, diagnosticLines, tempDir } from './helpers/compile.ts';
import type { CompileResult } from '../src/pipeline/compile.ts';

const CORPUS = join(ROOT, 'test', 'corpus');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const selfValidation = (r: CompileResult) => diagnosticLines(r).filter((l) => / MESH080\d /.test(l));

function assertClean(r: CompileResult, what: string): void {
  assert.equal(selfValidation(r), [], `${what}: self-validation findings`);
  assert.is(r.status, 'written', `${what}: ${diagnosticLines(r).filter((l) => l.includes(' error ')).join('\n')}`);
}

test('every corpus file that passes check compiles and passes self-validation (both targets)', async () => {
  const tmp = tempDir();
  let compiled = 0;
  let withNodes = 0;
  try {
    for (const file of yamlFiles(CORPUS)) {
      const rel = relative(ROOT, file);
      const r = await compileTo([rel], join(tmp.dir, 'out'));
      if (r.status === 'check-failed') continue;
      assertClean(r, rel);
      compiled++;
      if ((r.summary?.nodes ?? 0) > 0) {
        withNodes++;
        assertClean(await compileTo([rel], join(tmp.dir, 'out'), { target: 'grpc' }), `${rel} (grpc)`);
      }
    }
  } finally {
    tmp.cleanup();
  }
  assert.ok(compiled >= 50, `only ${compiled} corpus files passed check`);
  assert.ok(withNodes >= 8, `only ${withNodes} corpus files have workloads`);
});

const OSM = 'test/corpus/osm-demo';
const OSM_APPS = ['apps-bookbuyer.yaml', 'apps-bookstore.yaml', 'apps-bookstore-v2.yaml', 'apps-bookthief.yaml', 'apps-bookwarehouse.yaml', 'apps-mysql.yaml'].map((f) => `${OSM}/${f}`);

for (const access of ['access-traffic-access-v1.yaml', 'access-traffic-access-v1-allow-bookthief.yaml']) {
  for (const split of ['split-traffic-split-v1.yaml', 'split-traffic-split-50-50.yaml', 'split-traffic-split-v2.yaml']) {
    test(`the OSM bookstore demo with ${access} and ${split} compiles for Envoy (ADS and static) and gRPC`, async () => {
      const tmp = tempDir();
      try {
        const paths = [...OSM_APPS, `${OSM}/${access}`, `${OSM}/${split}`];
        const r = await compileTo(paths, join(tmp.dir, 'envoy'));
        assertClean(r, 'envoy');
        assert.is(r.summary!.nodes, 6);
        assert.ok(r.summary!.edges >= 4);
        assertClean(await compileTo(paths, join(tmp.dir, 'static'), { bootstrap: 'static' }), 'static');
        assertClean(await compileTo(paths, join(tmp.dir, 'grpc'), { target: 'grpc' }), 'grpc');
        assertClean(await compileTo(paths, join(tmp.dir, 'permissive'), { permissive: true }), 'permissive');
      } finally {
        tmp.cleanup();
      }
    });
  }
}

for (const area of ['traffic-access', 'traffic-spec', 'traffic-split']) {
  test(`SMI conformance ${area}: the install step's mesh compiles`, async () => {
    const tmp = tempDir();
    try {
      const r = await compileTo([`test/corpus/smi-conformance/${area}/02-install.yaml`], tmp.dir);
      assertClean(r, area);
      assert.ok(r.summary!.nodes >= 3);
    } finally {
      tmp.cleanup();
    }
  });
}

test.run();
