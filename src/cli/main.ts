import type { CommandModule } from './command.ts';
import { VERSION } from './command.ts';
import { installSafetyNets, internalErrorLine } from './common-errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { catalogMessage, type CatalogMessage } from '../core/catalog/index.ts';

/**
 * Subcommands, loaded lazily so `check` never pays for TypeScript, gRPC or
 * the Envoy protos. Each module exports `command: CommandModule`.
 */
const COMMANDS: Record<string, () => Promise<{ command: CommandModule }>> = {
  check: () => import('./commands/check.ts'),
  compile: () => import('./commands/compile.ts'),
  explain: () => import('./commands/explain.ts'),
  rules: () => import('./commands/rules.ts'),
  why: () => import('./commands/why.ts'),
  graph: () => import('./commands/graph.ts'),
  test: () => import('./commands/test.ts'),
  diff: () => import('./commands/diff.ts'),
  serve: () => import('./commands/serve.ts'),
  export: () => import('./commands/export.ts'),
  import: () => import('./commands/import.ts'),
  init: () => import('./commands/init.ts'),
  daemon: () => import('./commands/daemon.ts'),
};

const USAGE = `usage: meshc <command> [options] [PATH...]

commands:
  check     validate and lint SMI manifests
  compile   compile the mesh into per-proxy xDS snapshots and bootstraps (--out DIR)
  explain   explain a diagnostic code (meshc explain MESH0003)
  rules     list every diagnostic code and lint rule
  why       explain whether an identity may reach a service, and why
  graph     draw who can talk to whom (dot, mermaid, json, html)
  test      run ReachabilityTest policy tests against the manifests
  diff      what a change does to who can reach what (two trees, or --base-ref GITREF)
  serve     serve compiled xDS snapshots to Envoy and gRPC clients (ADS)
  export    write the mesh (TypeScript DSL or YAML) as SMI YAML, latest versions
  import    write a TypeScript DSL file (mesh.ts) from SMI YAML of any version
  init      scaffold a small mesh, a policy test and a pre-commit config
  daemon    the check daemon behind 'check --daemon' (status, stop, run)

options:
  -h, --help      this text ('meshc <command> --help' for a command's options)
  -V, --version   print the version

exit codes: 0 no findings at or above --fail-level, 1 findings, 2 usage error,
unreadable input or internal error.
`;

/** Why the working directory cannot be read (removed after the shell entered it), or null when it can. */
function workingDirectoryProblem(): string | null {
  try {
    process.cwd();
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it no longer exists' : String((err as NodeJS.ErrnoException).code ?? err);
  }
}

/** A usage error before any command runs: its line (loaded only now, so a good command line never pays for it), then the usage. */
async function usageError(problem: CatalogMessage): Promise<number> {
  const { failWith } = await import('./common.ts');
  const code = failWith({ code: problem.code, args: problem.args });
  process.stderr.write(`\n${USAGE}`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  installSafetyNets();
  try {
    if (process.env.MESHC_TEST_CRASH === 'uncaught') setTimeout(() => { throw new Error('crash requested by MESHC_TEST_CRASH=uncaught'); }, 0);
    const [name, ...rest] = argv;
    if (name === undefined) return await usageError(catalogMessage('MESH1063', {}));
    if (name === '--help' || name === '-h' || name === 'help') {
      if (name === 'help' && rest[0] && COMMANDS[rest[0]]) return (await COMMANDS[rest[0]]!()).command.run(['--help']);
      process.stdout.write(USAGE);
      return 0;
    }
    if (name === '--version' || name === '-V') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) {
      if (name.startsWith('-')) return await usageError(catalogMessage('MESH1046', { option: name, hint: ' (options go after the command)' }));
      return await usageError(catalogMessage('MESH1064', { command: name, hint: didYouMean(name, Object.keys(COMMANDS)) }));
    }
    const lost = workingDirectoryProblem(); // every command reads its configuration from there
    if (lost) return (await import('./common.ts')).failWith({ code: 'MESH1023', args: { reason: lost } });
    const { command } = await load();
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(internalErrorLine(err));
    return 2;
  }
}
