import type { CatalogEntry } from './types.ts';

/**
 * MESH1000–MESH1099: command line, configuration and suppression.
 * Entries marked `incomplete` are usage errors: printed on stderr, exit 2,
 * never part of a report. The others are findings like any rule's.
 */
export const cliCatalog = <const>[
  {
    code: 'MESH1000', name: 'usage-error', severity: 'error', area: 'cli', incomplete: true, retired: true,
    message: '{detail}',
    doc: 'No longer reported (never reused). It was every usage error particular to one command, its message a whole sentence written in code. '
      + 'Each kind now has its own code: MESH1046 (unknown option), MESH1047 (the command line cannot be read), MESH1048 (a value outside the option\'s choices), MESH1049 (a required option missing), '
      + 'MESH1050 (options that exclude each other), MESH1051 (an option that needs another, or a value), MESH1052 (a value of the wrong form), MESH1053 (two options on one port), '
      + 'MESH1054 (the wrong arguments), MESH1063 and MESH1064 (no command, an unknown command), MESH1055 (`meshc explain` of an unknown code), MESH1057-MESH1061 (`meshc why` of something the mesh lacks).',
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
    message: '{where}: malformed suppression {entry}: the resource after \'=\' must be "Kind namespace/name" (or "Kind name" for cluster-scoped kinds), got {resource}',
    doc: 'A suppression must be `CODE` (every finding with that code) or `CODE=Kind namespace/name` (only findings about that resource; '
      + '`Kind name` for cluster-scoped kinds such as Namespace; `Kind/namespace/name` works too). Each part may use the globs `*` and `?`, for example '
      + '`--suppress "MESH05*=Service shop/*"`. What follows `=` here has neither form (`MESH0501=Service`: a kind without a name). '
      + 'The other malformed suppressions: MESH1040 (no code), MESH1041 (not a code), MESH1042 and MESH1043 (no such kind), MESH1044 and MESH1045 (the form does not fit the kind\'s scope). Exit code 2.',
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
    message: 'configuration file is not valid YAML: {yamlError}',
    doc: 'The configuration file could not be parsed; the message ends with the YAML parser\'s own words (or its alias limit). The position points at the place the parser stopped. '
      + 'A file nested too deeply to parse safely is MESH1056. Exit code 2.',
  },
  {
    code: 'MESH1006', name: 'config-invalid', severity: 'error', area: 'config', incomplete: true,
    message: 'invalid configuration: {field} must be {expected} (got {actual})',
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
      + 'so a file is either the whole new output or left as it was; for `init` the message lists the files already written. A path that '
      + 'exists and is no regular file (a directory, a device, a named pipe) is never replaced; a symbolic link to a file is written through. '
      + 'Any command whose standard output cannot be written (a full disk under `meshc check --format sarif > report.sarif`) reports it '
      + 'as "cannot write standard output" when it ends; a reader that stops early (`| head`) is no failure. Exit code 2.',
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
  {
    code: 'MESH1023', name: 'working-directory-gone', severity: 'error', area: 'cli', incomplete: true,
    message: 'the working directory cannot be read ({reason}): cd into an existing directory and run meshc again',
    doc: 'The shell\'s current directory was removed or renamed after the shell entered it (a deleted checkout or worktree, a temporary directory cleaned up), or it can no longer be searched. '
      + 'meshc resolves relative paths, finds `.meshc.yaml` and its cache from the working directory, so it stops before reading anything, also when every path given is absolute. Exit code 2.',
  },
  {
    code: 'MESH1040', name: 'suppression-code-missing', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: malformed suppression {entry}: the code is missing (expected CODE or CODE=Kind namespace/name)',
    doc: 'A suppression is empty, or starts with `=`: there is no code to suppress. Write `CODE` or `CODE=Kind namespace/name` (`meshc rules` lists the codes). Exit code 2.',
  },
  {
    code: 'MESH1041', name: 'suppression-not-a-code', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: malformed suppression {entry}: {code} is not a code, rule name or glob (expected CODE or CODE=Kind namespace/name)',
    doc: 'The part of a suppression before `=` holds characters no code, rule name or glob has (codes are `MESH` and four digits, names are kebab-case, globs use `*` and `?`): '
      + 'often a space inside the code (`MESH 0003`) or a resource without its `=`. Exit code 2.',
  },
  {
    code: 'MESH1042', name: 'suppression-unknown-kind', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: malformed suppression {entry}: unknown kind {kind} (did you mean {suggestion}?)',
    doc: 'The kind of a resource suppression (`CODE=Kind namespace/name`) is none meshc reports on, but close to one: a typo. It could never match a finding, so it is an error rather than a suppression that silently suppresses nothing. '
      + 'Kinds are matched case-insensitively and may be globs. Exit code 2.',
  },
  {
    code: 'MESH1043', name: 'suppression-kind-missing', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: malformed suppression {entry}: {word} is not a kind: write the kind first, as in {example} (kinds: {kinds})',
    doc: 'A resource suppression names something that is no kind meshc reports on, nor close to one: usually a `namespace/name` written without its kind (`MESH0501=shop/reviews`). '
      + 'Write `CODE=Kind namespace/name`, for example `MESH0501=Service shop/reviews`. Exit code 2.',
  },
  {
    code: 'MESH1044', name: 'suppression-namespace-missing', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: malformed suppression {entry}: {kind} is namespaced: write "{kind} NAMESPACE/{name}" (or "{kind} */{name}" for every namespace)',
    doc: 'A resource suppression names a namespaced kind (every kind its glob matches is namespaced) without a namespace, the form of cluster-scoped kinds (`Service reviews`). '
      + 'Findings about namespaced resources always carry their namespace, so it could never match. Add the namespace, or `*/` for every namespace. Exit code 2.',
  },
  {
    code: 'MESH1045', name: 'suppression-namespace-extra', severity: 'error', area: 'cli', incomplete: true,
    message: '{where}: malformed suppression {entry}: {kind} is cluster-scoped (it has no namespace): write "{kind} {name}"',
    doc: 'A resource suppression names a cluster-scoped kind (such as Namespace; every kind its glob matches is cluster-scoped) with a namespace. '
      + 'Findings about cluster-scoped resources have no namespace, so it could never match. Write `Kind name`. Exit code 2.',
  },
  {
    code: 'MESH1046', name: 'unknown-option', severity: 'error', area: 'cli', incomplete: true,
    message: 'unknown option {option}{hint}',
    doc: 'The command has no such option: usually a typo (with the nearest option names) or an option of another command. meshc checks nothing and exits with 2. `meshc <command> --help` lists the options.',
  },
  {
    code: 'MESH1047', name: 'command-line-syntax', severity: 'error', area: 'cli', incomplete: true,
    message: 'cannot read the command line: {parseArgsError}',
    doc: 'Node\'s command-line parser (util.parseArgs) rejected the arguments, typically an option that needs a value given without one (`--out` at the end), or a value given to a switch (`--quiet=yes`). '
      + 'The message ends with the parser\'s own words, which name the option. meshc checks nothing and exits with 2.',
  },
  {
    code: 'MESH1048', name: 'option-value-not-allowed', severity: 'error', area: 'cli', incomplete: true,
    message: '{option} must be one of {allowed} (got {value})',
    doc: 'An option that takes one of a fixed set of values (such as `--format`, `--fail-on`, `--bootstrap`, `--log-level`) was given another. meshc checks nothing and exits with 2. `meshc <command> --help` lists the values.',
  },
  {
    code: 'MESH1049', name: 'option-required', severity: 'error', area: 'cli', incomplete: true,
    message: '{option} is required',
    doc: 'The command cannot run without this option: `compile --out DIR` (where to write), `serve --snapshots DIR` (what to serve), `why --from NS/SA` (who asks). meshc exits with 2.',
  },
  {
    code: 'MESH1050', name: 'options-exclusive', severity: 'error', area: 'cli', incomplete: true,
    message: '{option} cannot be used with {other}',
    doc: 'Two options (or an option and an input) that make no sense together: `why --to` and `--to-external` (one destination), `compile --xds-insecure` and `--xds-server-identity` (a plaintext channel checks no identity), '
      + '`compile --xds-insecure` or `--bootstrap static` and `--target grpc`/`--bootstrap static` (a static bootstrap has no control plane; gRPC clients always need one; @grpc/grpc-js-xds has no TLS to the control plane), '
      + '`check --watch` or `diff --base-ref` with standard input (`-`). meshc checks nothing and exits with 2.',
  },
  {
    code: 'MESH1051', name: 'option-needs', severity: 'error', area: 'cli', incomplete: true,
    message: '{option} needs {required}',
    doc: 'An option given without the option it works with (`serve --tls-cert` and `--tls-key` go together; `--client-ca` needs both, mTLS being TLS first; `--trust-domain` only applies with `--client-ca`; `--tls-reload` with `--tls-cert`), '
      + 'or given an empty value (`--mesh-config ""`, `diff --base-ref ""`, `--format` as the last argument). meshc checks nothing and exits with 2.',
  },
  {
    code: 'MESH1052', name: 'option-value-form', severity: 'error', area: 'cli', incomplete: true,
    message: '{option} must be {expected} (got {actual})',
    doc: 'An option\'s value has the wrong form: a namespace, domain, size, duration, port, address, path or identity that cannot be read as one. The message says what form is expected. '
      + 'The same values in the configuration file are MESH1006. meshc checks nothing and exits with 2.',
  },
  {
    code: 'MESH1053', name: 'port-taken', severity: 'error', area: 'cli', incomplete: true,
    message: '{option} and {other} both use port {port}',
    doc: 'Two listeners would share one port: two of `compile --*-port`, one of them and a sidecar probe listener (the probe ports are fixed), `serve --health-listen` and `--listen`; '
      + 'or `compile --xds-address` on the proxy\'s own host (127.0.0.1, ::1, localhost) at one of Envoy\'s own ports, so Envoy would connect to itself (use the port `meshc serve` listens on). '
      + 'Each listener needs a port of its own. meshc checks nothing and exits with 2.',
  },
  {
    code: 'MESH1054', name: 'wrong-arguments', severity: 'error', area: 'cli', incomplete: true,
    message: 'meshc {command} takes {expected} (got {actual})',
    doc: 'The command was given the wrong number or kind of arguments after its options: `diff` compares two trees (or one with `--base-ref`), `init` takes one directory at most, `explain` needs a code, `serve` takes none (its directory follows `--snapshots`). '
      + '`meshc <command> --help` shows them. meshc exits with 2.',
  },
  {
    code: 'MESH1055', name: 'explain-unknown-code', severity: 'error', area: 'cli', incomplete: true,
    message: 'unknown code or rule {name}{hint}',
    doc: '`meshc explain` was given something that is neither a diagnostic code (`MESH0003`), a code\'s name (`yaml-syntax`) nor a rule id. `meshc rules` lists them all. Exit code 2.',
  },
  {
    code: 'MESH1056', name: 'config-too-deep', severity: 'error', area: 'config', incomplete: true,
    message: 'configuration file nests deeper than {limit} levels',
    doc: 'The configuration file is nested more deeply than any configuration needs (the same guard as for manifests, MESH0008): meshc does not parse it, so that a hostile file cannot overflow the YAML parser. The position points at the first level too deep. Exit code 2.',
  },
  {
    code: 'MESH1057', name: 'why-unknown-identity', severity: 'error', area: 'cli', incomplete: true,
    message: '--from: unknown identity \'{from}\' (no workload, ServiceAccount or TrafficTarget names it){hint}',
    doc: '`meshc why --from` names a caller that no workload, ServiceAccount or TrafficTarget of the input names, so the answer would say nothing about the mesh (in a ReachabilityTest: MESH0710). '
      + 'The message lists the nearest identities. Fix the name, or include the files declaring the ServiceAccount. Exit code 2.',
  },
  {
    code: 'MESH1058', name: 'why-unknown-service', severity: 'error', area: 'cli', incomplete: true,
    message: '--to: unknown service \'{to}\'{hint}',
    doc: '`meshc why --to` names a Service that is not in the input (in a ReachabilityTest: MESH0703). The message lists the nearest names. Exit code 2.',
  },
  {
    code: 'MESH1059', name: 'why-unknown-port', severity: 'error', area: 'cli', incomplete: true,
    message: '--to: service \'{to}\' has no port {port}; its ports: {ports}',
    doc: '`meshc why --to NS/SERVICE:PORT` names a port the Service does not declare, so no request can reach it (in a ReachabilityTest: MESH0713). Exit code 2.',
  },
  {
    code: 'MESH1060', name: 'why-service-without-ports', severity: 'error', area: 'cli', incomplete: true,
    message: '--to: service \'{to}\' declares no ports',
    doc: '`meshc why --to` names a Service that declares no ports, so no request can reach it (in a ReachabilityTest: MESH0714). Exit code 2.',
  },
  {
    code: 'MESH1061', name: 'why-invalid-identity', severity: 'error', area: 'cli', incomplete: true,
    message: '--from: \'{from}\' names no identity: {value} is no {what} ({fault})',
    doc: '`meshc why --from` names a caller whose name no ServiceAccount can have (ServiceAccount names are DNS-1123 subdomains, namespaces DNS-1123 labels), so no workload can run as it (in a ReachabilityTest: MESH0711). A wildcard is MESH1062. Exit code 2.',
  },
  {
    code: 'MESH1062', name: 'why-wildcard-identity', severity: 'error', area: 'cli', incomplete: true,
    message: '--from: \'{from}\' names no identity: {value} is no {what} ({fault}); SMI has no wildcard sources (smi-spec#51): ask about one ServiceAccount',
    doc: '`meshc why --from` uses a wildcard (`shop/*`) as the caller. A TrafficTarget may even list one, but no workload runs as it: SMI has no wildcard sources (smi-spec#51). Ask about one ServiceAccount. Exit code 2.',
  },
  {
    code: 'MESH1063', name: 'command-missing', severity: 'error', area: 'cli', incomplete: true,
    message: 'no command given',
    doc: '`meshc` was run without a command. It prints the list of commands (`meshc --help` prints it too) and exits with 2.',
  },
  {
    code: 'MESH1064', name: 'unknown-command', severity: 'error', area: 'cli', incomplete: true,
    message: 'unknown command \'{command}\'{hint}',
    doc: 'The first argument of `meshc` is no command: usually a typo (with the nearest command names). meshc prints the list of commands and exits with 2.',
  },
];
