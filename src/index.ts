/** meshc programmatic API. The CLI is a thin layer over these functions. */
export { check, loadMesh, lint, resolveConfig } from './pipeline/check.ts';
export type { CheckOptions, CheckResult, LoadedMesh } from './pipeline/check.ts';
export { allCatalogEntries, findCatalogEntry } from './core/catalog/index.ts';
export type { CatalogEntry } from './core/catalog/index.ts';
export type { Diagnostic, Severity, SourceRange, ResourceRef, Origin, Path } from './core/types.ts';
export type * from './model/types.ts';
export type { MeshcConfig } from './config/types.ts';
