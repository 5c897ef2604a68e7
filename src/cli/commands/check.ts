import { check } from '../../pipeline/check.ts';
import type { CommandModule } from '../command.ts';
import { CONFIG_HELP, CONFIG_OPTIONS, REPORT_HELP, REPORT_OPTIONS, finishReport, runCommand, type CommandSpec } from '../common.ts';

const SPEC: CommandSpec = {
  name: 'check',
  usage: `usage: meshc check [options] [PATH...]

Validate and lint SMI manifests. PATH is a YAML or JSON file, a TypeScript
DSL file (.ts, .mts), or a directory, walked recursively for *.yaml, *.yml,
*.json and the DSL files mesh.ts, mesh.mts, *.mesh.ts, *.mesh.mts (other
TypeScript is not read; dot-directories and node_modules are skipped).
'-' reads standard input. Without PATH: the 'paths' of the configuration
file, else the working directory.

options:
${CONFIG_HELP}${REPORT_HELP}  -h, --help                this text

exit codes (the same for every format):
  0  nothing at or above --fail-level
  1  findings at or above --fail-level
  2  usage or configuration error, unreadable path, internal error

'meshc rules' lists every diagnostic code, 'meshc explain CODE' explains one.
`,
  options: { ...CONFIG_OPTIONS, ...REPORT_OPTIONS },
};

export const command: CommandModule = {
  summary: 'validate and lint SMI manifests',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => {
    const result = await check(ctx.settings.paths, { ...ctx.settings.config, cwd: ctx.cwd });
    return finishReport(ctx, { diagnostics: result.diagnostics, files: result.files.length, resources: result.resources, loaded: result });
  }),
};
