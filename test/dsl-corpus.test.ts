/**
 * What `meshc import` loses on real manifests: every file of test/corpus that
 * loads without errors (the SMI prose examples with the apiVersion of their
 * document added) goes YAML → DSL (importMesh) → model, and must give the
 * same canonical model as the YAML, except for what converting to the latest
 * SMI versions changes by design: apiVersions, Quantity weights written as
 * integers, and the route a v1alpha1 TrafficTarget's port becomes (named
 * NAME-port-PORT, marked with an annotation). The generated file must
 * type-check: no MESH09xx finding.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importMesh } from '../src/dsl/convert/index.ts';
import type { Mesh } from '../src/model/types.ts';
import { loadMesh, resolveConfig } from '../src/pipeline/check.ts';
import { CORPUS, corpusFiles, withApiVersion } from './helpers/corpus.ts';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';

process.env.MESHC_CACHE_DIR = tempDir('meshc-dsl-cache-');
const work = tempDir('meshc-dsl-corpus-');
const config = resolveConfig({ cwd: ROOT });

/** The model without positions and without what the upgrade to the latest versions changes by design. */
function comparable(mesh: Mesh): unknown {
  const dropped = new Set(['origin', 'apiVersion', 'weightUnit', 'namespaceDefaulted', 'synthesizedFrom']);
  const plain = JSON.parse(JSON.stringify(mesh, (k, v) => {
    if (dropped.has(k)) return undefined;
    if (k === 'annotations' && v && typeof v === 'object') {
      const { 'meshc.dev/synthesized-from': _, ...rest } = v as Record<string, string>;
      return rest;
    }
    // A synthesised route "tt:port-8080" gets a valid name, "tt-port-8080".
    if (k === 'name' && typeof v === 'string' && /:port-\d+$/.test(v)) return v.replace(':', '-');
    return v;
  })) as Record<string, unknown[]>;
  const id = (x: unknown) => {
    const o = x as { meta?: { kind: string; namespace: string; name: string }; ref?: unknown };
    return JSON.stringify(o.meta ? [o.meta.kind, o.meta.namespace, o.meta.name] : o.ref ?? x);
  };
  for (const k of Object.keys(plain)) {
    plain[k] = [...plain[k]!].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return plain;
}

let converted = 0;
let workloads = 0;

for (const file of corpusFiles()) {
  test(`corpus ${file}: YAML → DSL keeps the model`, async () => {
    const original = join(CORPUS, file);
    const fixed = withApiVersion(file, readFileSync(original, 'utf8'));
    const input = fixed ? join(work, file.replace(/\//g, '__')) : original;
    if (fixed) writeFileSync(input, fixed.text);
    const yaml = await loadMesh([input], { cwd: ROOT });
    if (yaml.diagnostics.some((d) => d.severity === 'error')) return; // broken input: import writes nothing (dsl-roundtrip tests that)
    const imported = await importMesh([input], config, ROOT);
    assert.ok(imported.text, `import wrote nothing: ${imported.diagnostics.map((d) => `${d.code} ${d.message}`).join(' | ')}`);
    const ts = join(work, `${file.replace(/\//g, '__')}.mesh.ts`);
    writeFileSync(ts, imported.text!);
    const dsl = await loadMesh([ts], { cwd: work });
    assert.equal(dsl.diagnostics.filter((d) => d.severity === 'error' || d.code.startsWith('MESH09')).map((d) => `${d.code} ${d.range?.line}:${d.range?.column} ${d.message}`), []);
    assert.equal(comparable(dsl.mesh), comparable(yaml.mesh));
    converted++;
    workloads += yaml.mesh.workloads.length;
  });
}

test('most of the corpus converts, workloads included (the comparison above is not vacuous)', () => {
  assert.ok(converted >= 150, `only ${converted} files converted`);
  assert.ok(workloads >= 20, `only ${workloads} workloads compared`);
});

test.run();
