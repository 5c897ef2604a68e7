import { resolve } from 'node:path';
import type { CommandModule } from '../command.ts';
import { EXIT_OK, EXIT_USAGE } from '../command.ts';
import { choiceFailure, CONFIG_HELP, CONFIG_OPTIONS, runCommand, failWith, usageErrorExit, needsFailure, formFailure, writeFailure, type CommandSpec } from '../common.ts';
import { exists, reportToStderr, takeFormat, writeAtomic } from '../../dsl/cli-support.ts';

const SPEC: CommandSpec = {
  name: 'import',
  usage: `usage: meshc import [options] [PATH...] --out FILE.ts

Write a TypeScript DSL file (import { defineMesh } from 'meshc') describing
the same mesh as the input: YAML of any SMI version (upgraded through the
canonical model), or DSL files. Names the input refers to but does not define
become external('…'), so the file type-checks. Objects the DSL has no words
for (Endpoints, ReachabilityTests, OSM kinds, …) are kept as plain objects under
resources. Nothing is written when reading, validating or modelling the
input finds errors (lint findings do not stop it: run meshc check for those).

options:
  --format ts               output language (ts, the only one)
  -o, --out FILE            write here, atomically (default: standard output)
  --force                   replace FILE when it exists
${CONFIG_HELP}  -h, --help                this text

exit codes: 0 written, 1 errors in the input (nothing written), 2 usage error
(including an existing FILE without --force), unreadable input or unwritable output.
`,
  options: { ...CONFIG_OPTIONS, out: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
};

export const command: CommandModule = {
  summary: 'write a TypeScript DSL file from SMI YAML (any version)',
  async run(argv) {
    const taken = takeFormat(argv);
    if (taken.missingValue || (taken.format !== undefined && taken.format !== 'ts')) {
      return taken.missingValue ? usageErrorExit(SPEC.name, needsFailure('--format', 'a value')) : usageErrorExit(SPEC.name, choiceFailure('--format', taken.format, ['ts']));
    }
    return runCommand(SPEC, taken.argv, async (ctx) => {
      const out = typeof ctx.values.out === 'string' && ctx.values.out !== '-' ? ctx.values.out : undefined;
      if (out !== undefined && exists(resolve(ctx.cwd, out)) && ctx.values.force !== true) {
        return failWith({ code: 'MESH1021', args: { paths: out, verb: 'exists', fix: 'pass --force to replace it' } });
      }
      if (out !== undefined && !/\.m?ts$/.test(out)) {
        throw formFailure('--out', { expected: 'a .ts or .mts file', actual: JSON.stringify(out) });
      }
      const { importMesh } = await import('../../dsl/convert/index.ts');
      const result = await importMesh(ctx.settings.paths, ctx.settings.config, ctx.cwd);
      const code = reportToStderr(result.diagnostics);
      if (result.text === undefined || code === EXIT_USAGE) {
        process.stderr.write('meshc import: the input has errors; nothing written\n');
        return code === EXIT_OK ? 1 : code;
      }
      if (out !== undefined) {
        try {
          writeAtomic(resolve(ctx.cwd, out), result.text);
        } catch (err) {
          return writeFailure(out, err);
        }
        process.stderr.write(`meshc import: wrote ${out} (${result.objects} objects from ${result.files.length} file(s))\n`);
      } else process.stdout.write(result.text);
      return EXIT_OK;
    });
  },
};
