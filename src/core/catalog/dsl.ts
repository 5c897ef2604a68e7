import type { CatalogEntry } from './types.ts';

/** MESH0900–MESH0999: the TypeScript DSL. */
export const dslCatalog = <const>[
  {
    code: 'MESH0900', name: 'dsl-syntax-error', severity: 'error', area: 'dsl',
    message: '{tsMessage} (TS{tsCode})',
    doc: 'The TypeScript DSL file does not parse. The message is the TypeScript compiler\'s, with its error code (TSnnnn); the position is where the parser stopped. meshc does not evaluate a file with syntax errors, so it contributes nothing to the mesh until it is fixed.',
  },
  {
    code: 'MESH0901', name: 'dsl-type-error', severity: 'error', area: 'dsl',
    message: '{tsMessage} (TS{tsCode})',
    doc: 'The TypeScript compiler rejected the DSL file (TSnnnn is its error code). Besides ordinary type errors, `defineMesh` turns mistakes in the mesh into type errors: a weight that is not a number, a method outside the SMI enum, an unknown field (usually a typo), or a reference to a route group, match, Service, service account or namespace the mesh does not define. Fix the reference, or wrap a name defined elsewhere (YAML next to the file, the cluster) in `external(\'name\')`. meshc type-checks with its own strict settings, independent of any tsconfig.json; a file with type errors is not evaluated.',
  },
  {
    code: 'MESH0902', name: 'dsl-module-not-found', severity: 'error', area: 'dsl',
    message: 'cannot find module \'{module}\' imported by the DSL file',
    doc: 'An import of the DSL file (or of a local module it imports) does not resolve: the file does not exist, the path is misspelt, or the package is not installed. Relative imports are resolved from the importing file; `meshc` itself always resolves to the DSL API of the running meshc.',
  },
  {
    code: 'MESH0903', name: 'dsl-evaluation-error', severity: 'error', area: 'dsl',
    message: 'the DSL file threw while it was evaluated: {error}',
    doc: 'Running the DSL file raised an exception. The position is the line of the DSL source that threw (found through the bundle\'s source map). The file contributes nothing to the mesh until it runs to the end.',
  },
  {
    code: 'MESH0904', name: 'dsl-timeout', severity: 'error', area: 'dsl',
    message: 'the DSL file did not finish within {ms} ms; its evaluation was stopped',
    doc: 'A DSL file must describe the mesh and return; meshc runs it in a worker thread with a time limit (5 s by default, MESHC_DSL_TIMEOUT_MS to change it) and terminates the worker when the limit passes. The finding points at the line the file was running at that moment (meshc pauses the worker through the Node inspector to ask; the file\'s export when it cannot tell), in a local module if that is where it was. An endless loop, or a very expensive computation, is the usual cause.',
  },
  {
    code: 'MESH0905', name: 'dsl-no-default-export', severity: 'error', area: 'dsl',
    message: 'the DSL file has no default export{exports}; end it with `export default defineMesh({ … })`',
    doc: 'meshc reads the mesh from the default export of a DSL file, which must be the value `defineMesh(...)` returns. A file that only declares helpers should be imported by the file that calls defineMesh, not given to meshc.',
  },
  {
    code: 'MESH0906', name: 'dsl-wrong-export', severity: 'error', area: 'dsl',
    message: 'the default export is {type}, not a mesh: export the result of defineMesh({ … })',
    doc: 'The default export of a DSL file must be what `defineMesh` returns (import it from \'meshc\'). A plain object, a function or a promise is not accepted: defineMesh is what checks the description against its types.',
  },
  {
    code: 'MESH0907', name: 'dsl-forbidden-import', severity: 'error', area: 'dsl',
    message: 'Node built-in module \'{module}\' is not available in a DSL file',
    doc: 'DSL files are evaluated in isolation: ECMAScript built-ins only, no file system, network, processes or timers, so a mesh description cannot depend on the machine that checks it. Compute what you need from constants in the file or in local modules it imports.',
  },
  {
    code: 'MESH0908', name: 'dsl-out-of-memory', severity: 'error', area: 'dsl',
    message: 'the DSL file used more than {mb} MB of memory while it was evaluated; its evaluation was stopped',
    doc: 'The worker thread that evaluates a DSL file has a memory limit. A description of a mesh needs a few megabytes; running out usually means an accidental unbounded loop that allocates.',
  },
  {
    code: 'MESH0909', name: 'dsl-invalid-definition', severity: 'error', area: 'dsl',
    message: '{what} must be {expected}, not {actual}',
    doc: 'A value given to defineMesh has a shape meshc cannot turn into Kubernetes objects (for example a namespace that is not an object, or a list where a name → definition record belongs). '
      + 'The type checker catches these unless a value was typed `any` or cast. Related: an unknown field is MESH0922, a TrafficSplit with both backends and weights MESH0923, a value that is not plain data MESH0924.',
  },
  {
    code: 'MESH0910', name: 'dsl-bundle-error', severity: 'error', area: 'dsl',
    message: 'cannot bundle the DSL file: {esbuildMessage}',
    doc: 'esbuild, which bundles a DSL file with its local imports before evaluation, rejected it (for example top-level await, which DSL files cannot use: the description must be synchronous).',
  },
  {
    code: 'MESH0911', name: 'dsl-toolchain-missing', severity: 'error', area: 'dsl', incomplete: true,
    message: 'cannot load {module} to check {file}: {reason}',
    doc: 'Checking a TypeScript DSL file needs the `typescript` and `esbuild` packages, which are dependencies of meshc. Reinstall meshc (npm ci) if they are missing. The exit code is 2 because the mesh could not be read completely.',
  },
  {
    code: 'MESH0912', name: 'dsl-conversion-loss', severity: 'warning', area: 'dsl',
    message: 'HTTPRouteGroup {namespace}/{name} has two matches named {match}; the DSL keeps the first',
    doc: '`meshc import` met an HTTPRouteGroup with two matches of the same name (which `meshc check` reports as MESH0302). The DSL keys matches by name, so the generated file keeps the first and drops the other. '
      + 'Rename one of the matches (and the TrafficTarget rules naming it) if the difference matters. The other things the DSL cannot say exactly are MESH0920 and MESH0921.',
  },
  {
    code: 'MESH0920', name: 'dsl-subject-kind-unsupported', severity: 'warning', area: 'dsl',
    message: 'subject kind {kind} ({namespace}/{name}) has no DSL form (ServiceAccount or IdentityBinding); the generated file will not type-check until it is changed',
    doc: '`meshc import` met a TrafficTarget destination or source of a kind the DSL cannot name: its subjects are ServiceAccounts and (OSM) IdentityBindings. '
      + 'The generated file keeps the subject as written, so the type checker points at it; change it to a ServiceAccount or an IdentityBinding.',
  },
  {
    code: 'MESH0921', name: 'dsl-port-rule-matches-dropped', severity: 'warning', area: 'dsl',
    message: 'TrafficTarget {namespace}/{name}: the {kind} rule {rule} lists matches, which only HTTPRouteGroup rules have; the DSL leaves them out',
    doc: '`meshc import` met a TrafficTarget rule naming a TCPRoute or UDPRoute with `matches`: matches select HTTPRouteGroup matches, a port route has none, so they restrict nothing (implementations ignore them). '
      + 'The DSL has no place for them and leaves them out; remove them from the YAML too.',
  },
  {
    code: 'MESH0922', name: 'dsl-unknown-field', severity: 'error', area: 'dsl',
    message: 'unknown field {field} in {owner} (known: {known})',
    doc: 'A namespace, TrafficTarget or TrafficSplit given to defineMesh has a field the DSL does not know, so it would be lost (the renderer writes only the fields it knows). '
      + 'The type checker catches these unless a value was typed `any` or cast. Fix the spelling, or move the field where it belongs.',
  },
  {
    code: 'MESH0923', name: 'dsl-split-backends-and-weights', severity: 'error', area: 'dsl',
    message: 'TrafficSplit {namespace}/{name} has both backends and weights; give one of them',
    doc: 'A DSL TrafficSplit lists its backends either as `backends` (a list of `{service, weight}`) or as `weights` (a service → weight record); with both, it is unclear which split is meant. '
      + 'The type checker catches this unless the value was typed `any` or cast. Keep one of the two.',
  },
  {
    code: 'MESH0924', name: 'dsl-not-plain-data', severity: 'error', area: 'dsl',
    message: 'the mesh description cannot be turned into plain data: {jsError}',
    doc: 'The value given to defineMesh holds something JSON cannot carry out of the evaluation sandbox: a BigInt, or a getter that throws. '
      + 'The message ends with the JavaScript error as the engine worded it (its text, not meshc\'s), since only it says which value failed. Use plain numbers and strings.',
  },
];
