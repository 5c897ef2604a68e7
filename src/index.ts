/** meshc programmatic API. The CLI is a thin layer over these functions. */
export { check, loadMesh, lint, resolveConfig } from './pipeline/check.ts';
export type { CheckOptions, CheckResult, LoadedMesh } from './pipeline/check.ts';
// A session of checks that keeps parsed files and modelled documents between runs, as `check --watch` does (CheckOptions.parseCache, documentMemo).
export { sweepSharedParses, type SharedParses } from './load/index.ts';
export { DocumentMemo } from './model/document-memo.ts';
export { allCatalogEntries, findCatalogEntry } from './core/catalog/index.ts';
export type { CatalogEntry } from './core/catalog/index.ts';
export type { Diagnostic, Severity, SourceRange, ResourceRef, Origin, Path } from './core/types.ts';
export type * from './model/types.ts';
export type { MeshcConfig } from './config/types.ts';
// The TypeScript DSL: `import { defineMesh } from 'meshc'` in a mesh.ts.
export { defineMesh, external } from './dsl/api/index.ts';
export type {
  MeshInput, MeshDefinition, NamespaceInput, ServiceInput, ServicePortInput, DeploymentInput, StatefulSetInput, DaemonSetInput,
  ReplicaSetInput, PodInput, ContainerInput, ProbeInput, HttpRouteGroupInput, HttpMatchInput, PortRouteInput, TrafficTargetInput, RuleInput,
  SubjectInput, TrafficSplitInput, BackendInput, IdentityBindingInput, ResourceInput, External, Ref, CheckMesh,
} from './dsl/api/types.ts';
// Compile (docs/guide-compile.md): check → reachability → per-proxy IR → validated xDS snapshot files, written atomically.
// The pipeline brings the Envoy translators and, when it runs, protobufjs and the Envoy protos: loaded on demand.
export async function compile(paths: string[], options: import('./pipeline/compile.ts').CompileOptions): Promise<import('./pipeline/compile.ts').CompileResult> {
  return (await import('./pipeline/compile.ts')).compile(paths, options);
}
export type { CompileOptions, CompileResult, CompileStatus, CompileSummary } from './pipeline/compile.ts';
// Envoy self-validation (docs/guide-validation.md). The validator brings protobufjs and the Envoy
// protos, so it is loaded on demand; the snapshot invariants are plain JSON checks.
export async function loadEnvoyValidator(): Promise<import('./envoy/validate/index.ts').EnvoyValidator> {
  return (await import('./envoy/validate/index.ts')).loadValidator();
}
export { checkInvariants } from './envoy/validate/invariants.ts';
export type { EnvoyValidator, Violation, ProxyResources as EnvoySnapshot, Target as EnvoyTarget } from './envoy/validate/index.ts';
// Reachability (docs/guide-reach.md): who may reach what and why, the graph, policy tests.
export { computeReachability } from './reach/index.ts';
export type * from './reach/types.ts';
export { ReachQuery } from './reach/query.ts';
export type { WhyAnswer, WhyQuery, WhyResult, ViaStep, SplitStep } from './reach/query.ts';
export type { HttpRequest } from './reach/request.ts';
export { meshGraph, renderGraph, GRAPH_FORMATS } from './graph/index.ts';
export type { MeshGraph, GraphNode, GraphEdge, GraphFormat } from './graph/index.ts';
// `meshc diff` (docs/guide-diff.md): what a change does to who can reach what.
export { diffTrees, failsGate } from './diff/index.ts';
export type { DiffTreesOptions, DiffTreesResult } from './diff/index.ts';
export type { TreeDiff, ReachChange, ReachPair, SplitChange, SplitShare, DecidingResource, FailOn, DiffFormat, ProxyDiff, ProxyChange, ProxyResourceChange, ProxyResourceKind } from './diff/types.ts';
export { runPolicyTests, TEST_API_VERSION, TEST_KIND } from './policy-test/index.ts';
export type { PolicyTestResult, CaseResult } from './policy-test/index.ts';
// The ADS server (docs/guide-serve.md). gRPC is loaded on demand, only when a server is started.
export async function startServer(options: import('./server/server.ts').ServeOptions): Promise<import('./server/server.ts').RunningServer> {
  return (await import('./server/server.ts')).startServer(options);
}
export type { ServeOptions, RunningServer, TlsOptions as ServeTlsOptions } from './server/server.ts';
export type { ServerStats } from './server/stream.ts';
export type { Logger as ServeLogger, LogRecord as ServeLogRecord } from './server/log.ts';
