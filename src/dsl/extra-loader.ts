/**
 * The DSL's hook into loading, kept tiny: it imports nothing heavy, and the
 * DSL loader (and through it TypeScript and esbuild) is imported only when a
 * DSL file is actually among the inputs, so the YAML-only path stays fast.
 *
 * Which .ts/.mts files are DSL files: any named on the command line; while
 * walking a directory, only `mesh.ts`, `mesh.mts`, `*.mesh.ts` and
 * `*.mesh.mts` (a repository's other TypeScript is not a mesh).
 */
import { basename, resolve } from 'node:path';
import type { ExtraLoader } from '../load/index.ts';

export const DSL_FILE_PATTERN = /(^|\.)mesh\.m?ts$/i;

export function isDslFileName(name: string): boolean {
  return DSL_FILE_PATTERN.test(basename(name));
}

export function lazyDslLoader(paths: string[], cwd: string = process.cwd()): ExtraLoader {
  const explicit = new Set(paths.filter((p) => p !== '-').map((p) => resolve(cwd, p)));
  return {
    extensions: ['.ts', '.mts'],
    accepts: isDslFileName,
    patterns: ['mesh.ts', '*.mesh.ts'],
    async load(file, sources, sink) {
      if (!explicit.has(file.path) && !isDslFileName(file.path)) return [];
      const { loadDslFile } = await import('./loader.ts');
      return loadDslFile(file, sources, sink, { cwd });
    },
  };
}
