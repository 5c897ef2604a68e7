import type { CatalogEntry } from './types.ts';

/** MESH0001–MESH0099: reading inputs and YAML syntax. */
export const loadingCatalog = <const>[
  {
    code: 'MESH0001', name: 'internal-error', severity: 'error', area: 'core', incomplete: true,
    message: 'internal error: {detail}',
    doc: 'meshc itself failed. This is a bug in meshc, not in your manifests; the exit code is 2. Please report it with the input that triggered it.',
  },
  {
    code: 'MESH0002', name: 'unreadable-path', severity: 'error', area: 'load', incomplete: true,
    message: 'cannot read {path}: {reason}',
    doc: 'A path given on the command line (or found while walking a directory) could not be read: it does not exist, permissions forbid it, or it is a special file. meshc exits with 2 because its view of the mesh is incomplete.',
  },
  {
    code: 'MESH0003', name: 'yaml-syntax', severity: 'error', area: 'load',
    message: 'YAML syntax error: {detail}',
    doc: 'The file is not valid YAML (or JSON). The position points at the place the parser stopped. Documents of the file that parse are still checked.',
  },
  {
    code: 'MESH0004', name: 'binary-file', severity: 'error', area: 'load',
    message: 'file is binary (NUL byte at offset {offset}), not YAML',
    doc: 'The file contains NUL bytes, so it is not a text manifest (a UTF-16 or UTF-32 text file is recognised as such and reported as MESH0030 instead). Remove it from the checked paths or fix what produced it.',
  },
  {
    code: 'MESH0005', name: 'invalid-utf8', severity: 'error', area: 'load',
    message: 'file is not valid UTF-8 (first bad byte at offset {offset})',
    doc: 'Kubernetes manifests must be UTF-8. The file is in a legacy encoding such as Latin-1; the message gives the offset of the first byte that is not UTF-8 (UTF-16 and UTF-32 files are MESH0030). '
      + 'Re-encode the file (for example with `iconv -f LATIN1 -t UTF-8`, or "Save with encoding: UTF-8" in the editor).',
  },
  {
    code: 'MESH0006', name: 'empty-file', severity: 'info', area: 'load',
    message: 'file contains no YAML documents',
    doc: 'The file is empty or holds only comments and document markers. It contributes nothing to the mesh.',
  },
  {
    code: 'MESH0007', name: 'file-too-large', severity: 'error', area: 'load',
    message: 'file is {size} bytes, over the limit of {limit} bytes (raise it with --max-file-size)',
    doc: 'meshc refuses to read very large files so that a stray dump cannot exhaust memory in CI. Split the manifests, or raise the limit with `--max-file-size BYTES`.',
  },
  {
    code: 'MESH0008', name: 'yaml-resource-limit', severity: 'error', area: 'load',
    message: 'document rejected: {detail}',
    doc: 'The document exceeds a safety limit: too many alias expansions (a "billion laughs" alias bomb) or nesting deeper than meshc accepts. Real manifests never come close to these limits. '
      + 'The position points at the alias that took the document past the limit (for nesting written out in full, at the first node that is too deep).',
  },
  {
    code: 'MESH0009', name: 'not-an-object', severity: 'error', area: 'load',
    message: 'document is {type}, expected a Kubernetes object (a mapping with apiVersion and kind)',
    doc: 'Every YAML document meshc reads must be a mapping. A scalar or a list at the top level is almost always an indentation mistake.',
  },
  {
    code: 'MESH0010', name: 'unknown-kind-skipped', severity: 'info', area: 'load',
    message: 'skipped {count} document(s) of kind {kind} ({apiVersion}): not used by meshc',
    doc: 'meshc reads SMI resources and the Kubernetes kinds a mesh needs (Namespace, ServiceAccount, Service, workloads, Endpoints, EndpointSlice). Other kinds are skipped and counted, never errors.',
  },
  {
    code: 'MESH0011', name: 'symlink-loop', severity: 'warning', area: 'load',
    message: 'directory {path} was already visited (symbolic link loop); skipped',
    doc: 'While walking directories meshc found a link back to a directory it had already read. It reads each directory once.',
  },
  {
    code: 'MESH0012', name: 'duplicate-resource', severity: 'error', area: 'load',
    message: '{kind} {namespace}/{name} is defined twice (first at {first})',
    doc: 'Two documents define the same kind, namespace and name. `kubectl apply` would keep only the last one, so one of them is dead code or a copy-paste mistake.',
  },
  {
    code: 'MESH0013', name: 'compile-output-skipped', severity: 'info', area: 'load',
    message: 'skipped directory {path}: it holds the output of meshc compile ({manifest} with a "meshc" key), not manifests',
    doc: 'While walking a directory, meshc does not read a directory that `meshc compile --out` wrote (a `manifest.json` whose top-level object has a `meshc` key, next to a `nodes/` directory, or listing no nodes at all for a mesh without workloads): its JSON files are Envoy resources, not Kubernetes or SMI manifests, and reading them would only give schema findings (MESH0100) on every file. '
      + 'A common layout is `meshc compile . --out build/mesh` followed by `meshc check .`. Files named explicitly on the command line are always read. '
      + 'To keep the output out of the input altogether, write it outside the manifest directory (or into a dot-directory, which walks skip).',
  },
  {
    code: 'MESH0014', name: 'unsupported-key', severity: 'error', area: 'load',
    message: 'mapping key is {what}: Kubernetes objects are JSON, whose keys are strings',
    doc: 'YAML allows any value as a mapping key (`? [a, b]: x`, `[a, b]: x`, `null: x`, `~: x`, or an alias to a list or map); JSON, and so a Kubernetes object, has only string keys. '
      + 'kubectl and the API server reject such a document ("unsupported map key"); numbers and booleans as keys are fine, they become strings (`80: x` is the key "80"). '
      + 'meshc reports the first such key of the document and does not read the rest of it. Fix: quote the key or write it as the string you mean (`"null": x`), or move the structured value out of the key.',
  },
  {
    code: 'MESH0015', name: 'no-manifests-found', severity: 'warning', area: 'load',
    message: 'directory {path} holds no manifests (no {patterns} file outside dot-directories, node_modules and tool files such as package.json): nothing was checked there',
    doc: 'A directory given on the command line (or as the default, the working directory) was walked, but held no file meshc reads. '
      + 'Usually the path is wrong (a parent or sibling directory, a build directory not yet generated), the manifests have another extension (`.yaml.tpl`, Helm templates), or they sit in a dot-directory, which walks skip. '
      + 'Without this warning a CI step pointed at the wrong directory would pass having checked nothing; as a warning it leaves the exit code 0 unless the run fails on warnings (`--fail-level warning`), which CI may set to fail such a step. '
      + 'Fix: point meshc at the manifests (render templates first, for example `helm template ... | meshc check -`), or name files explicitly (explicit files are read whatever their extension).',
  },
  {
    code: 'MESH0017', name: 'inputs-too-large', severity: 'error', area: 'load', incomplete: true,
    message: 'the inputs hold more than {limit} of manifests (after {files} files), more than a run with a {heap} heap can model: nothing was checked',
    doc: 'meshc stops reading once the manifests it was given add up to a thirty-second of the JavaScript heap (about 128 MB of text with Node\'s usual 4 GB heap, some 45,000 Services with their policy): parsing and modelling take twenty to forty times the size of the text, so such a run could only end out of memory, minutes later. '
      + 'Usually the path is wrong: a home directory, `/tmp`, a repository root full of generated JSON. Point meshc at the manifest directories (or set `paths` in .meshc.yaml). '
      + 'For a mesh that really is that large, give Node a larger heap: `NODE_OPTIONS=--max-old-space-size=16384 meshc check …` (in MB) raises the limit with it. Exit code 2.',
  },
  {
    code: 'MESH0030', name: 'wide-encoding', severity: 'error', area: 'load',
    message: 'file is {encoding} encoded; save it as UTF-8',
    doc: 'Kubernetes manifests must be UTF-8. The file is UTF-16 or UTF-32, which Windows editors and PowerShell 5 (`kubectl get … > file.yaml`) write; it is recognised by the byte-order mark, or by the NUL bytes of mostly-ASCII text. '
      + 'Re-encode the file (for example with `iconv -f UTF-16 -t UTF-8`, or "Save with encoding: UTF-8" in the editor). Earlier meshc versions reported it as MESH0005.',
  },
  {
    code: 'MESH0016', name: 'not-a-manifest-skipped', severity: 'info', area: 'load',
    message: 'skipped: not a Kubernetes manifest (no document has apiVersion, kind or metadata); name the file to check it anyway',
    doc: 'A JSON or YAML file found while walking a directory holds no Kubernetes object: no document has `apiVersion`, `kind` or `metadata` (an application setting, a JSON Schema, test data, a list or a scalar). '
      + 'Such files live beside manifests in most repositories, so meshc skips the file and says so instead of reporting it as a broken object. '
      + 'A file named explicitly on the command line is always read, and there the same document is an error (MESH0100), as is a walked document that has `metadata` but forgot `apiVersion` and `kind`. '
      + 'Walks never read dot-files, `node_modules` and the files of common tools (package.json, package-lock.json, tsconfig*.json, renovate.json, docker-compose.yml and others the guide lists). '
      + 'To silence it, point meshc (or `paths` in .meshc.yaml) at the manifest directories only.',
  },
];
