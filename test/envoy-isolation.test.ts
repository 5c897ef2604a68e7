// The Envoy protos and protobufjs stay off the `check` path: only `await
// import()` may reach them. Walks the static import graph of the sources.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// `import … from '…'` and `export … from '…'`, but not `import type` / `export type` and not `import('…')`.
const STATIC = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"();]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const deps: string[] = [];
    seen.set(file, deps);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const target = join(dirname(file), spec);
        if (existsSync(target)) {
          deps.push(target);
          visit(target);
        }
      } else deps.push(spec);
    }
  };
  visit(join(root, entry));
  return seen;
}

const heavy = (dep: string) => dep === 'protobufjs' || dep.startsWith('protobufjs/') || dep.startsWith('@grpc/');

function heavyReached(entry: string): string[] {
  const graph = closure(entry);
  const out: string[] = [];
  for (const [file, deps] of graph) for (const d of deps) if (heavy(d)) out.push(`${relative(root, file)} imports ${d}`);
  return out;
}

test('the static import graph of the check pipeline, the rules and the CLI entry has no protobufjs or gRPC', () => {
  for (const entry of ['src/pipeline/check.ts', 'src/rules/registry.ts', 'src/cli/main.ts']) {
    if (!existsSync(join(root, entry))) continue;
    assert.equal(heavyReached(entry), [], entry);
    const graph = closure(entry);
    assert.not.ok([...graph.keys()].some((f) => f.includes('/src/envoy/protos/index.ts') || f.includes('/src/envoy/validate/index.ts')), `${entry} reaches the Envoy API statically`);
  }
});

test('light modules of the Envoy layer do not pull protobufjs (type URLs, invariants, diagnostics, errors, framing)', () => {
  for (const entry of ['src/envoy/protos/type-urls.ts', 'src/envoy/validate/invariants.ts', 'src/envoy/validate/diagnostics.ts', 'src/envoy/protos/errors.ts', 'src/envoy/protos/delimited.ts']) {
    assert.equal(heavyReached(entry), [], entry);
  }
  // and the heavy ones do (so the walk itself works)
  assert.ok(heavyReached('src/envoy/validate/index.ts').length > 0);
});

test.run();
