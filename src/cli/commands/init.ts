import { existsSync, lstatSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { CommandModule } from '../command.ts';
import { EXIT_OK, EXIT_USAGE } from '../command.ts';
import { choiceFailure, runCommand, failWith, usageErrorExit, argumentsFailure, formFailure, needsFailure, writeFailure, type CommandSpec } from '../common.ts';
import { takeFormat, writeAtomic } from '../../dsl/cli-support.ts';
import { scaffold, type InitFormat } from '../../dsl/init/templates.ts';

const SPEC: CommandSpec = {
  name: 'init',
  usage: `usage: meshc init [--format yaml|ts] [DIR]

Scaffold a small mesh in DIR (default: the working directory): the mesh
(mesh.yaml, or mesh.ts in the TypeScript DSL with --format ts), a policy test
(policy-test.yaml, a ReachabilityTest) and a pre-commit configuration
(.pre-commit-config.yaml) running \`meshc check\` and \`meshc test\`. All of it
passes both out of the box. Existing files are never overwritten: if any of
them exists, nothing is written.

options:
  --format FORMAT           yaml (default) or ts
  -h, --help                this text

exit codes: 0 written, 2 usage error, a file exists already, or DIR is not writable.
`,
  options: {},
};

/** The mesh directory as the repository root sees it (pre-commit runs hooks from there). */
function targetFromRepoRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) {
      const rel = relative(d, dir);
      return rel === '' ? '.' : rel.split(sep).join('/');
    }
    if (dirname(d) === d) return '.';
  }
}

export const command: CommandModule = {
  summary: 'scaffold a small mesh, a policy test and a pre-commit config',
  async run(argv) {
    const taken = takeFormat(argv);
    const format = taken.format ?? 'yaml';
    if (taken.missingValue || (format !== 'yaml' && format !== 'ts')) {
      return taken.missingValue ? usageErrorExit(SPEC.name, needsFailure('--format', 'a value')) : usageErrorExit(SPEC.name, choiceFailure('--format', format, ['yaml', 'ts']));
    }
    return runCommand(SPEC, taken.argv, async (ctx) => {
      if (ctx.positionals.length > 1) {
        throw argumentsFailure('init', 'one DIR at most', String(ctx.positionals.length));
      }
      const dir = resolve(ctx.cwd, ctx.positionals[0] ?? '.');
      if (existsSync(dir) && !statSync(dir).isDirectory()) {
        throw formFailure('DIR', { expected: 'a directory', actual: JSON.stringify(ctx.positionals[0]) });
      }
      const files = scaffold(format as InitFormat, targetFromRepoRoot(dir));
      const show = (name: string) => {
        const rel = relative(ctx.cwd, join(dir, name));
        return rel.startsWith('..') ? join(dir, name) : rel;
      };
      const existing = Object.keys(files).filter((name) => {
        try {
          lstatSync(join(dir, name));
          return true;
        } catch {
          return false;
        }
      });
      if (existing.length > 0) {
        return failWith({ code: 'MESH1021', args: { paths: existing.map(show).join(', '), verb: existing.length === 1 ? 'exists' : 'exist', fix: 'meshc init never overwrites' } });
      }
      const written: string[] = [];
      for (const [name, text] of Object.entries(files)) {
        try {
          writeAtomic(join(dir, name), text);
          written.push(name);
        } catch (err) {
          return writeFailure(show(name), err, written.map(show));
        }
      }
      const where = ctx.positionals[0] ?? '.';
      // Installed in a project (npx, node_modules/.bin), `meshc` alone is not on the PATH.
      const meshc = process.env.npm_command === 'exec' || /[\\/]node_modules[\\/]/.test(process.argv[1] ?? '') ? 'npx --no-install meshc' : 'meshc';
      process.stderr.write(`meshc init: wrote ${written.map(show).join(', ')}\nnext: ${meshc} check ${where} && ${meshc} test ${where}\n`);
      return EXIT_OK;
    });
  },
};
