import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * meshc's package directory, found from this module's location (src/dsl/ in
 * development, dist/ or dist/chunks/ when bundled): the DSL API source under
 * src/dsl/api/ is what users' files are type-checked against and bundled with.
 */
export function meshcRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'meshc') return (root = dir);
    } catch {
      // not here: keep walking up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the meshc package directory (package.json named meshc)');
    dir = up;
  }
}

export function apiDir(): string {
  return join(meshcRoot(), 'src', 'dsl', 'api');
}

/** What `import … from 'meshc'` resolves to in a DSL file. */
export function apiEntry(): string {
  return join(apiDir(), 'index.ts');
}

/** The sandbox's entry into the renderer. */
export function internalEntry(): string {
  return join(apiDir(), 'internal.ts');
}

/** Files whose content is part of meshc's DSL behaviour (part of every cache key): every file of src/dsl/api, sorted. */
export function apiFiles(): string[] {
  return readdirSync(apiDir()).filter((f) => f.endsWith('.ts')).sort();
}
