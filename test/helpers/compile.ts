import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { compile, meshIR, type CompileOptions, type CompileResult } from '../../src/pipeline/compile.ts';
import { check } from '../../src/pipeline/check.ts';
import { DiagnosticSink } from '../../src/core/diagnostics.ts';
import { irJson } from '../../src/envoy/translate/ir-json.ts';
import type { Manifest } from '../../src/snapshot/layout.ts';
import { ROOT } from './cli.ts';

/** A fresh directory under the system temp dir; removed by `cleanup()`. */
export function tempDir(prefix = 'meshc-compile-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Compiles paths (relative to the repository root) into `out`, with the .json review copies (`--review-json`): the
 * tests read the resources there. A test of the default output passes `reviewJson: false`.
 */
export function compileTo(paths: string[], out: string, options: Partial<CompileOptions> = {}): Promise<CompileResult> {
  return compile(paths.map((p) => resolve(ROOT, p)), { cwd: ROOT, reviewJson: true, ...options, out });
}

/** The per-proxy IR the compile of these paths builds, as its canonical JSON (what `compileTo` turns into files). */
export async function irTextOf(paths: string[], options: Partial<CompileOptions> = {}): Promise<string> {
  const checked = await check(paths.map((p) => resolve(ROOT, p)), { cwd: ROOT, ...options });
  return irJson(meshIR(checked, options, new DiagnosticSink()));
}

export function readManifest(out: string): Manifest {
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
}

/** Every file under dir, relative, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** name → hash of every resource of every node: `node-id type-url name` → hash. */
export function resourceHashes(m: Manifest): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of m.nodes) {
    for (const [type, list] of Object.entries(n.resources)) {
      for (const r of list) out.set(`${n.id} ${type.slice(type.lastIndexOf('.') + 1)} ${r.name}`, r.hash);
    }
  }
  return out;
}

/** Keys added, removed and changed between two manifests, sorted. */
export function manifestDiff(a: Manifest, b: Manifest): { added: string[]; removed: string[]; changed: string[] } {
  const ha = resourceHashes(a);
  const hb = resourceHashes(b);
  const added = [...hb.keys()].filter((k) => !ha.has(k)).sort();
  const removed = [...ha.keys()].filter((k) => !hb.has(k)).sort();
  const changed = [...ha.keys()].filter((k) => hb.has(k) && hb.get(k) !== ha.get(k)).sort();
  return { added, removed, changed };
}

/** The diagnostics of a result as stable text lines (paths relative to the repository). */
export function diagnosticLines(r: CompileResult): string[] {
  return r.diagnostics.map((d) => {
    const at = d.range ? `${relative(ROOT, d.range.file)}:${d.range.line}:${d.range.column}: ` : '';
    return `${at}${d.severity} ${d.code} ${d.message.split(ROOT + '/').join('')}`;
  });
}
