// Placeholder replaced by the schema/model work: classifies raw documents into the canonical model.
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { MeshcConfig } from '../config/types.ts';
import type { RawDocument } from '../load/index.ts';
import type { SourceSet } from '../source/source-set.ts';
import { emptyMesh, type Mesh } from './types.ts';

export function buildMesh(_documents: RawDocument[], _sources: SourceSet, _sink: DiagnosticSink, _config: MeshcConfig): Mesh {
  return emptyMesh();
}
