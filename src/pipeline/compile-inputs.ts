/**
 * `meshc compile . --out build/mesh` must not read its own previous output
 * (listeners.json, manifest.json, … would be taken for manifests). When the
 * output directory lies inside a directory given as input, that directory
 * argument is replaced by its entries minus the branch leading to the output,
 * with the loader's own rules for what a directory walk reads (no
 * dot-entries, no node_modules, manifest extensions and DSL file names only).
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { MANIFEST_EXTENSIONS } from '../load/inputs.ts';
import { isDslFileName } from '../dsl/extra-loader.ts';

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Entries of `dir` a directory walk would read, except `skip`, as paths (relative when `dir` was). */
function entriesExcept(dir: string, absDir: string, skip: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(absDir).sort()) {
    if (name === skip || name.startsWith('.') || name === 'node_modules') continue;
    const abs = join(absDir, name);
    // mesh.ts and *.mesh.ts too: a walk reads them as DSL files (and only them of the TypeScript files).
    if (isDir(abs) || MANIFEST_EXTENSIONS.includes(extname(name).toLowerCase()) || isDslFileName(name)) out.push(join(dir, name));
  }
  return out;
}

export function withoutOutput(paths: string[], out: string, cwd: string): string[] {
  const outAbs = resolve(cwd, out);
  const result: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const rel = relative(abs, outAbs);
    if (p === '-' || !isDir(abs) || rel === '' || rel.startsWith('..') || resolve(abs, rel) !== outAbs) {
      result.push(p);
      continue;
    }
    // Walk down from the input directory to the output, keeping every sibling on the way.
    let dir = p;
    let absDir = abs;
    for (const part of rel.split(sep)) {
      result.push(...entriesExcept(dir, absDir, part));
      dir = join(dir, part);
      absDir = join(absDir, part);
      // Below a missing directory (no output yet) or a file there is nothing left to read; a walk would not enter these either.
      if (!isDir(absDir) || part.startsWith('.') || part === 'node_modules') break;
    }
  }
  return result;
}
