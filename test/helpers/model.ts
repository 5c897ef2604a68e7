/** Loads YAML text through the loader, the schema stage and the model builder (no lint rules). */
import { defaultConfig, type MeshcConfig } from '../../src/config/types.ts';
import { DiagnosticSink } from '../../src/core/diagnostics.ts';
import type { Diagnostic } from '../../src/core/types.ts';
import { loadText } from '../../src/load/index.ts';
import { buildMesh } from '../../src/model/build.ts';
import type { Mesh } from '../../src/model/types.ts';
import type { SourceSet } from '../../src/source/source-set.ts';

export interface Modelled {
  mesh: Mesh;
  diagnostics: Diagnostic[];
  sources: SourceSet;
}

export function modelOf(text: string, config: Partial<MeshcConfig> = {}, file = 'in.yaml'): Modelled {
  const sink = new DiagnosticSink();
  const loaded = loadText(text, file, sink);
  const mesh = buildMesh(loaded.documents, loaded.sources, sink, { ...defaultConfig(), ...config });
  return { mesh, diagnostics: sink.items, sources: loaded.sources };
}

/** "code line:col" of every diagnostic, for compact assertions. */
export function where(m: Modelled): string[] {
  return m.diagnostics.map((d) => `${d.code} ${d.range?.line}:${d.range?.column}`);
}

export function errors(m: Modelled): Diagnostic[] {
  return m.diagnostics.filter((d) => d.severity === 'error');
}
