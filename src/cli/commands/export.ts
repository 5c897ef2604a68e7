import { resolve } from 'node:path';
import type { CommandModule } from '../command.ts';
import { EXIT_OK, EXIT_USAGE } from '../command.ts';
import { choiceFailure, CONFIG_HELP, CONFIG_OPTIONS, runCommand, usageErrorExit, needsFailure, writeFailure, type CommandSpec } from '../common.ts';
import { reportToStderr, takeFormat, writeAtomic } from '../../dsl/cli-support.ts';
import { HEADER_FORMS, type HeaderForm } from '../../dsl/convert/header-form.ts';

const SPEC: CommandSpec = {
  name: 'export',
  usage: `usage: meshc export [options] [PATH...] [--out FILE]

Write the mesh as SMI YAML in the latest versions (access v1alpha3,
specs v1alpha4, split v1alpha4; Kubernetes objects as v1 / apps/v1), from
TypeScript DSL files, YAML of any SMI version, or both. The output goes
through the canonical model and is deterministic (sorted by namespace, kind
and name). Nothing is written when reading, validating or modelling the
input finds errors (lint findings do not stop it: run meshc check for those).

options:
  --format smi|gateway-api  output language: smi (default), or gateway-api: the same
                            with every TrafficSplit as a Gateway API HTTPRoute (GAMMA)
  --header-form list|map    HTTPRouteGroup headers as a list of single-key maps
                            (OSM's CRD) or as a map (smi-controller-sdk's CRD);
                            default: each match as written in the YAML input,
                            a list for matches from the TypeScript DSL
  -o, --out FILE            write here, atomically (default: standard output)
${CONFIG_HELP}  -h, --help                this text

exit codes: 0 written, 1 errors in the input (nothing written), 2 usage error,
unreadable input or unwritable output.
`,
  options: { ...CONFIG_OPTIONS, out: { type: 'string', short: 'o' }, 'header-form': { type: 'string' } },
};

export const command: CommandModule = {
  summary: 'write the mesh (DSL or YAML) as SMI YAML in the latest versions',
  async run(argv) {
    const taken = takeFormat(argv);
    if (taken.missingValue || (taken.format !== undefined && taken.format !== 'smi' && taken.format !== 'gateway-api')) {
      return taken.missingValue ? usageErrorExit(SPEC.name, needsFailure('--format', 'a value')) : usageErrorExit(SPEC.name, choiceFailure('--format', taken.format, ['smi', 'gateway-api']));
    }
    return runCommand(SPEC, taken.argv, async (ctx) => {
      const headerForm = ctx.values['header-form'];
      if (headerForm !== undefined && !(HEADER_FORMS as readonly unknown[]).includes(headerForm)) {
        throw choiceFailure('--header-form', headerForm, HEADER_FORMS);
      }
      const options = { headerForm: headerForm as HeaderForm | undefined };
      const result = taken.format === 'gateway-api'
        ? await (await import('../../export/gateway-api.ts')).exportGatewayApi(ctx.settings.paths, ctx.settings.config, ctx.cwd, options)
        : await (await import('../../dsl/convert/index.ts')).exportMesh(ctx.settings.paths, ctx.settings.config, ctx.cwd, options);
      const code = reportToStderr(result.diagnostics);
      if (result.text === undefined || code === EXIT_USAGE) {
        process.stderr.write('meshc export: the input has errors; nothing written\n');
        return code === EXIT_OK ? 1 : code;
      }
      const out = ctx.values.out;
      if (typeof out === 'string' && out !== '' && out !== '-') {
        try {
          writeAtomic(resolve(ctx.cwd, out), result.text);
        } catch (err) {
          return writeFailure(out, err);
        }
        process.stderr.write(`meshc export: wrote ${result.objects} objects to ${out}\n`);
      } else process.stdout.write(result.text);
      return EXIT_OK;
    });
  },
};
