import type { CatalogEntry } from './types.ts';

/** MESH1300–MESH1349: `meshc diff` and `meshc export --format gateway-api`. */
export const diffCatalog = <const>[
  {
    code: 'MESH1300', name: 'diff-base-ref-unreadable', severity: 'error', area: 'diff', incomplete: true,
    message: 'cannot read the base tree from git ref {ref}: {reason}',
    doc: '`meshc diff --base-ref REF [PATH...]` reads the base tree from commit REF of the git repository around the working directory (with `git ls-tree` and `git cat-file`, into a temporary directory that is removed afterwards). '
      + 'That failed: git is not installed, the working directory is not inside a git repository, REF names no commit (a shallow clone often lacks the base branch: check out with `fetch-depth: 0`, or `git fetch origin main`), or a PATH lies outside the repository. '
      + 'meshc exits with 2, because without a base there is nothing to compare. Fix: pass a REF that `git rev-parse REF` resolves, run meshc inside the repository, or compare two directories with `meshc diff BASE HEAD`.',
  },
  {
    code: 'MESH1310', name: 'export-backend-port-unknown', severity: 'warning', area: 'export',
    message: 'TrafficSplit {split}: root Service {service} {reason}, so the HTTPRoute\'s backendRefs are written without port, which the API server rejects: add the port',
    doc: '`meshc export --format gateway-api` turns a TrafficSplit into an HTTPRoute. Gateway API requires `port` on every Service backendRef; SMI has none (a backend takes the root\'s port number). '
      + 'meshc takes the port from the root Service when it has exactly one. Here the root Service is missing from the input or has several ports, so the port is left out: meshc still reads the route (each root port goes to the same port of the backend, as in SMI), but an API server rejects it. '
      + 'Fix: add `port` to each backendRef of the written route; for a multi-port root write one HTTPRoute per port with `parentRefs[].port` (meshc does not model that shape yet, MESH1205).',
  },
];
