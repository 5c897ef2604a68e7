/**
 * Files that other tools own and that never hold Kubernetes objects. A
 * directory walk passes over them (as over node_modules and dot-files), so
 * `meshc check .` in an ordinary Node project does not read package.json or
 * a multi-megabyte lockfile as a manifest. Named explicitly, they are read.
 */
const TOOL_FILES = new Set([
  // npm, pnpm and other JavaScript package managers
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'composer.json', 'deno.json',
  // TypeScript, linters, formatters, build tools
  'tsconfig.json', 'jsconfig.json', 'tslint.json', 'biome.json', 'turbo.json', 'lerna.json', 'nx.json', 'babel.config.json', 'typedoc.json',
  // dependency bots and hosted CI
  'renovate.json', 'codecov.yml', 'codecov.yaml', 'azure-pipelines.yml', 'bitbucket-pipelines.yml', 'appveyor.yml',
  // Docker Compose
  'docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml',
]);

/** `tsconfig.build.json`, `jsconfig.app.json`: the per-target configurations that extend the base file. */
const TOOL_FILE_PATTERN = /^(?:tsconfig|jsconfig)\.[^/]+\.json$/;

/** Whether a directory walk passes over this base name. */
export function isToolFile(name: string): boolean {
  return TOOL_FILES.has(name) || TOOL_FILE_PATTERN.test(name);
}

/** The names, for the guide and `--help`. */
export const TOOL_FILE_NAMES: readonly string[] = [...TOOL_FILES, 'tsconfig.*.json', 'jsconfig.*.json'];
