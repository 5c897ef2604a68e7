/**
 * Maps the stack of an exception thrown by an evaluated DSL bundle back to
 * the DSL source line: bundle position → (source map) → instrumented file
 * position → original column.
 */
import { SourceMap, type SourceMapPayload } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceRange } from '../core/types.ts';
import { BUNDLE_NAME } from './bundle.ts';
import type { InstrumentedFile } from './instrument.ts';

const FRAME = new RegExp(`${BUNDLE_NAME.replace(/[.]/g, '\\.')}:(\\d+):(\\d+)`);

/** The first frame of `stack` that lies in one of the user's files, or null. */
export function locateThrow(stack: string, mapJson: string, workDir: string, files: Map<string, InstrumentedFile>): SourceRange | null {
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(mapJson) as SourceMapPayload);
  } catch {
    return null;
  }
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    const m = FRAME.exec(line);
    if (!m) continue;
    const entry = map.findEntry(Number(m[1]) - 1, Number(m[2]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry?.originalSource || entry.originalLine === undefined) continue;
    const src = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
    const abs = isAbsolute(src) ? src : resolve(workDir, src);
    const inst = files.get(abs);
    if (!inst) continue; // a frame inside meshc's API or a package: keep looking for the user's line
    const lineNo = entry.originalLine + 1;
    const column = inst.originalColumn(lineNo, (entry.originalColumn ?? 0) + 1);
    return { file: abs, line: lineNo, column, endLine: lineNo, endColumn: column };
  }
  return null;
}
