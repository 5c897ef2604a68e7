import { check } from '../../pipeline/check.ts';
import { sweepSharedParses, type SharedParses } from '../../load/index.ts';
import { cacheRoot } from '../../core/cache-root.ts';
import { DocumentMemo } from '../../model/document-memo.ts';
import type { CommandModule } from '../command.ts';
import {
  CONFIG_HELP, CONFIG_OPTIONS, REPORT_HELP, REPORT_OPTIONS, UsageError, finishReport, resolveSettings, runCommand, useCache, conflictFailure, writeProblems,
  type CommandContext, type CommandSpec,
} from '../common.ts';
import { EXIT_USAGE } from '../command.ts';
import { internalErrorLine } from '../common-errors.ts';

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
${CONFIG_HELP}${REPORT_HELP}  --watch                   check again whenever an input or the configuration file changes (Ctrl-C stops)
  -h, --help                this text

exit codes (the same for every format):
  0  nothing at or above --fail-level
  1  findings at or above --fail-level
  2  usage or configuration error, unreadable path, internal error
  (--watch ends with the exit code of its last check)

'meshc rules' lists every diagnostic code, 'meshc explain CODE' explains one.
`,
  options: { ...CONFIG_OPTIONS, ...REPORT_OPTIONS, watch: { type: 'boolean' } },
};

/** What a watch session keeps between its runs: the files parsed and the documents modelled (only changed ones are parsed and modelled again). */
interface WatchSession {
  parses: SharedParses;
  documents: DocumentMemo;
}

async function checkOnce(ctx: CommandContext, session?: WatchSession): Promise<number> {
  const cache = useCache(ctx);
  const result = await check(ctx.settings.paths, { ...ctx.settings.config, cwd: ctx.cwd, cache, parseCache: session?.parses, documentMemo: session?.documents });
  if (session) sweepSharedParses(session.parses);
  return finishReport(ctx, { diagnostics: result.diagnostics, files: result.files.length, resources: result.resources, loaded: result });
}

/** --watch: every run re-reads the configuration file, so a changed setting takes effect at once. */
async function watchChecks(ctx: CommandContext): Promise<number> {
  if (ctx.settings.paths.includes('-')) throw conflictFailure('--watch', 'standard input (-)');
  const { watchAndRerun } = await import('../watch.ts');
  // Files parsed and documents modelled by earlier runs, kept in memory unless --no-cache (which turns every cache off).
  const session: WatchSession | undefined = ctx.values['no-cache'] === true ? undefined : { parses: new Map(), documents: new DocumentMemo() };
  const once = async () => {
    try {
      const settings = await resolveSettings(SPEC, ctx.values, ctx.positionals, ctx.cwd, ctx.env);
      return await checkOnce({ ...ctx, settings }, session);
    } catch (err) {
      // A failed run is reported and the watch goes on: the next change may fix it.
      if (err instanceof UsageError) writeProblems(SPEC.name, err, ctx.env);
      else process.stderr.write(internalErrorLine(err, ctx.env));
      return EXIT_USAGE;
    }
  };
  return watchAndRerun(once, {
    cwd: ctx.cwd, paths: ctx.settings.paths, extraFiles: ctx.settings.configFile ? [ctx.settings.configFile] : ['.meshc.yaml'],
    ignoreDir: ctx.values['no-cache'] === true ? null : cacheRoot(ctx.cwd, ctx.env),
    note: (text) => process.stderr.write(text),
  });
}

export const command: CommandModule = {
  summary: 'validate and lint SMI manifests',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => (ctx.values.watch === true ? watchChecks(ctx) : checkOnce(ctx))),
};
