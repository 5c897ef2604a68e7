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
  --daemon                  check in this project's check daemon, started if none runs (MESHC_DAEMON=1
                            does the same): it keeps what earlier checks parsed, so a re-check
                            after an edit costs a fraction of a full one; same output and exit code
  -h, --help                this text

exit codes (the same for every format):
  0  nothing at or above --fail-level
  1  findings at or above --fail-level
  2  usage or configuration error, unreadable path, internal error
  (--watch ends with the exit code of its last check)

'meshc rules' lists every diagnostic code, 'meshc explain CODE' explains one.
`,
  options: { ...CONFIG_OPTIONS, ...REPORT_OPTIONS, watch: { type: 'boolean' }, daemon: { type: 'boolean' } },
};

/**
 * What a watch session or the check daemon keeps between its runs: the files
 * parsed and the documents modelled (only changed ones are parsed and
 * modelled again; every run still reads every file, so the output is a cold
 * run's).
 */
export interface CheckSession {
  parses: SharedParses;
  documents: DocumentMemo;
}

export const newCheckSession = (): CheckSession => ({ parses: new Map(), documents: new DocumentMemo() });

async function checkOnce(ctx: CommandContext, session?: CheckSession): Promise<number> {
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
  const session = ctx.values['no-cache'] === true ? undefined : newCheckSession();
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

/** Whether this check goes to the daemon: --daemon, or MESHC_DAEMON=1 where nothing excludes it (an environment variable is a preference, not a demand). */
function wantsDaemon(ctx: CommandContext): boolean {
  const excluded = ctx.values.watch === true ? '--watch'
    : ctx.values['no-cache'] === true ? '--no-cache'
      : ctx.settings.paths.includes('-') ? 'standard input (-)' : null;
  if (ctx.values.daemon === true) {
    if (excluded) throw conflictFailure('--daemon', excluded);
    return true;
  }
  const env = ctx.env.MESHC_DAEMON;
  return !!env && env !== '0' && excluded === null;
}

/** --daemon: the daemon's answer, or (when no daemon can be reached or started, said in a note) a check in this process. */
async function daemonCheck(ctx: CommandContext, argv: string[]): Promise<number> {
  const { checkThroughDaemon } = await import('../../daemon/client.ts');
  const end = argv.indexOf('--');
  const forwarded = argv.filter((a, i) => a !== '--daemon' || (end >= 0 && i > end));
  return (await checkThroughDaemon(forwarded, ctx.cwd, ctx.env)) ?? checkOnce(ctx);
}

export const command: CommandModule = {
  summary: 'validate and lint SMI manifests',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => {
    if (ctx.values.watch === true && ctx.values.daemon !== true) return watchChecks(ctx);
    return wantsDaemon(ctx) ? daemonCheck(ctx, argv) : checkOnce(ctx);
  }),
};

/** One check as the daemon runs it (src/daemon/server.ts): in its session, never watching, never asking a daemon. */
export function runCheckInSession(argv: string[], session: CheckSession): Promise<number> {
  return runCommand(SPEC, argv, async (ctx) => {
    if (ctx.values.watch === true) throw conflictFailure('--daemon', '--watch');
    return checkOnce(ctx, session);
  });
}
