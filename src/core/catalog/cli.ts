import type { CatalogEntry } from './types.ts';

/**
 * MESH1000–MESH1099: command line, configuration and suppression.
 * Entries marked `incomplete` are usage errors: printed on stderr, exit 2,
 * never part of a report. The others are findings like any rule's.
 */
export const cliCatalog = <const>[
  {
    code: 'MESH1000', name: 'usage-error', severity: 'error', area: 'cli', incomplete: true,
    message: '{detail}',
    doc: 'The command line is wrong: an unknown option, a missing or invalid option value, or an unknown command. '
      + 'meshc prints the command\'s usage and exits with 2 without checking anything. `meshc <command> --help` lists the options.',
  },
  {
    code: 'MESH1001', name: 'unknown-code', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: no diagnostic code matches {pattern}{hint}',
    doc: 'A suppression (`--suppress`, or `suppress` in the configuration file) names a code that does not exist, so it would silently suppress nothing — '
      + 'usually a typo, or a code from another tool. Codes are written `MESH` and four digits (globs such as `MESH03*` are allowed), '
      + 'or by rule name (`yaml-syntax`). `meshc rules` lists every code. Exit code 2.',
  },
  {
    code: 'MESH1002', name: 'malformed-suppression', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: malformed suppression {entry}: {detail}',
    doc: 'A suppression must be `CODE` (every finding with that code) or `CODE=Kind namespace/name` (only findings about that resource; '
      + '`Kind name` for cluster-scoped kinds such as Namespace). Each part may use the globs `*` and `?`, for example '
      + '`--suppress "MESH05*=Service shop/*"`. The kind must be one meshc reports on (Service, ServiceAccount, TrafficTarget, …), '
      + 'written with a namespace when it is namespaced and without one when it is cluster-scoped: `Service reviews` or `shop/reviews` could never match anything, '
      + 'so they are errors rather than suppressions that silently suppress nothing. Exit code 2.',
  },
  {
    code: 'MESH1003', name: 'unknown-rule', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: unknown rule {rule}{hint}',
    doc: '`--disable-rule` (or `disableRules` in the configuration file) names a lint rule that does not exist, so nothing would be disabled. '
      + '`meshc rules` lists the rule ids and the codes each reports. Exit code 2.',
  },
  {
    code: 'MESH1004', name: 'config-unreadable', severity: 'error', area: 'config', incomplete: true,
    message: 'cannot read configuration file {path}: {reason}',
    doc: 'The file given with `--config` (or `.meshc.yaml` in the working directory) exists but cannot be read, or `--config` names a file that does not exist. Exit code 2.',
  },
  {
    code: 'MESH1005', name: 'config-syntax', severity: 'error', area: 'config', incomplete: true,
    message: 'configuration file is not valid YAML: {detail}',
    doc: 'The configuration file could not be parsed. The position points at the place the parser stopped. Exit code 2.',
  },
  {
    code: 'MESH1006', name: 'config-invalid', severity: 'error', area: 'config', incomplete: true,
    message: 'invalid configuration: {detail}',
    doc: 'A field of the configuration file has the wrong type or value, or `apiVersion: meshc.dev/v1alpha1` / `kind: Config` is missing. '
      + 'The position points at the field. The fields are those of the command-line flags, in camelCase: namespace, permissive, draft, '
      + 'assumeExternal, suppress, noInlineSuppress, failLevel, disableRules, trustDomain, clusterDomain, maxFileSize, paths. Exit code 2.',
  },
  {
    code: 'MESH1007', name: 'config-unknown-field', severity: 'error', area: 'config', incomplete: true,
    message: 'unknown configuration field {field}{hint}',
    doc: 'The configuration file has a field meshc does not know. It is an error rather than a warning because a misspelt field '
      + '(`failLevl: warning`) would otherwise be ignored without a word. Exit code 2.',
  },
  {
    code: 'MESH1008', name: 'unsuppressible-code', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: {code} cannot be suppressed: it means the run could not see the whole mesh',
    doc: 'Internal errors and unreadable paths make a run incomplete; they always exit with 2 so that CI never passes on a partial view. '
      + 'Fix the cause instead (remove the path from the command line, fix its permissions), or exclude the path. Exit code 2.',
  },
  {
    code: 'MESH1009', name: 'ignore-annotation-unknown-code', severity: 'warning', area: 'suppress',
    message: 'meshc.dev/ignore names {entry}, which matches no diagnostic code{hint}',
    doc: 'The `meshc.dev/ignore` annotation of a resource lists codes (or rule names, or globs, or `*`) whose findings on that resource are not reported. '
      + 'An entry that matches no code suppresses nothing, which is usually a typo. `meshc rules` lists the codes.',
  },
  {
    code: 'MESH1020', name: 'output-unwritable', severity: 'error', area: 'cli', incomplete: true,
    message: 'cannot write {path}: {reason}{written}',
    doc: '`meshc export`, `import`, `init` or `graph` could not write its output file: the directory does not exist and cannot be made, '
      + 'the file system is read-only, or the user may not write there. Files are written atomically (a temporary file, then a rename), '
      + 'so a file is either the whole new output or left as it was; for `init` the message lists the files already written. Exit code 2.',
  },
  {
    code: 'MESH1021', name: 'output-exists', severity: 'error', area: 'cli', incomplete: true,
    message: '{paths} already {verb}; nothing written ({fix})',
    doc: '`meshc init` never overwrites a file, and `meshc import` overwrites its `--out` file only with `--force`: a hand-edited mesh or '
      + 'pre-commit configuration is not replaced by accident. Move or remove the file, choose another directory or `--out`, or pass `--force` to `import`. Exit code 2.',
  },
  {
    code: 'MESH1022', name: 'graph-too-large', severity: 'error', area: 'cli', incomplete: true,
    message: 'the graph is too large to write as {format} ({nodes} nodes, {edges} edges carrying {routes} route labels): draw a part of the mesh (fewer files or directories as PATH), or use --format dot, the most compact',
    doc: 'The graph in the chosen format would be longer than the longest string JavaScript can hold (about 512 MB), so `meshc graph` writes nothing. '
      + 'Draw part of the mesh (name fewer files or directories), or use `--format dot`, whose output is the most compact. Exit code 2.',
  },
];
