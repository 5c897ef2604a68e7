import type { CatalogEntry } from './types.ts';

/** MESH1300–MESH1349: `meshc diff` and `meshc export --format gateway-api`. */
export const diffCatalog: CatalogEntry[] = [
  {
    code: 'MESH1300', name: 'diff-base-ref-unreadable', severity: 'error', area: 'diff', incomplete: true,
    message: 'cannot read the base tree from git ref {ref}: {reason}',
    doc: '`meshc diff --base-ref REF [PATH...]` reads the base tree from commit REF of the git repository around the working directory (with `git ls-tree` and `git cat-file`, into a temporary directory that is removed afterwards). '
      + 'That failed: git is not installed, the working directory is not inside a git repository, REF names no commit (a shallow clone often lacks the base branch: check out with `fetch-depth: 0`, or `git fetch origin main`), or a PATH lies outside the repository. '
      + 'meshc exits with 2, because without a base there is nothing to compare. Fix: pass a REF that `git rev-parse REF` resolves, run meshc inside the repository, or compare two directories with `meshc diff BASE HEAD`.',
  },
];
