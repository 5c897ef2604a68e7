/**
 * Shared CLI plumbing for every meshc command: flags, configuration file,
 * output format, suppressions, exit code and report writing.
 *
 * How a command uses it (see commands/check.ts for the full example):
 *
 *   import { runCommand, finishReport, CONFIG_OPTIONS, REPORT_OPTIONS, type CommandSpec } from '../common.ts';
 *
 *   const SPEC: CommandSpec = {
 *     name: 'mycmd',
 *     usage: 'usage: meshc mycmd [options] [PATH...]\n\noptions:\n' + CONFIG_HELP + REPORT_HELP,
 *     options: { ...CONFIG_OPTIONS, ...REPORT_OPTIONS, out: { type: 'string' } },  // + the command's own
 *   };
 *   export const command: CommandModule = {
 *     summary: 'one line for `meshc --help`',
 *     run: (argv) => runCommand(SPEC, argv, async (ctx) => {
 *       // ctx.settings.config: the MeshcConfig (defaults < .meshc.yaml or --config < flags)
 *       // ctx.settings.paths:  PATH arguments, else `paths` of the config file, else ['.']
 *       // ctx.values:          every parsed flag, including the command's own (ctx.values.out)
 *       const loaded = await loadMesh(ctx.settings.paths, { ...ctx.settings.config, cwd: ctx.cwd });
 *       return finishReport(ctx, { diagnostics: loaded.diagnostics, files: loaded.files.length, resources: loaded.resources, loaded });
 *     }),
 *   };
 *
 * runCommand handles --help (usage on stdout, exit 0), unknown flags and bad
 * values (MESH1001–1003/1008, MESH1046–1055 on stderr, one line each, then "Run 'meshc CMD
 * --help' for the options.", exit 2; a body throws conflictFailure(), formFailure()… for its own), configuration
 * errors (MESH1004–1007/1056 with file:line:col, exit 2) and any exception thrown
 * by the body (MESH0001 in one line, exit 2; the stack only with
 * MESHC_DEBUG=1). finishReport applies suppressions (--suppress, the config
 * file, meshc.dev/ignore annotations unless --no-inline-suppress), writes
 * the report in the chosen --format on stdout (nothing else ever goes to
 * stdout), the summary line on stderr (unless --quiet), and returns the exit
 * code: 0 nothing at or above --fail-level, 1 findings at or above it,
 * 2 a finding whose catalogue entry is `incomplete` (unreadable path,
 * internal error). A command without REPORT_OPTIONS gets format 'text'.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { findCatalogEntry } from '../core/catalog/index.ts';
import { DiagnosticSink, atOrAbove } from '../core/diagnostics.ts';
import type { Diagnostic, Severity } from '../core/types.ts';
import { checkRuleId, loadConfigFile } from '../config/load.ts';
import { didYouMean } from '../core/suggest.ts';
import { defaultConfig, type MeshcConfig } from '../config/types.ts';
import { FAIL_LEVELS, parseDomain, parseExternalPattern, parseFailLevel, parseNamespace, parseSize, type Parsed } from '../config/values.ts';
import { useColor } from '../report/color.ts';
import { OUTPUT_FORMATS, render, renderSummary, summarize, type OutputFormat, type Report } from '../report/index.ts';
import { applySuppressions, parseSuppression, type SuppressOptions, type Suppression } from '../report/suppress.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, VERSION } from './command.ts';
import { internalErrorLine } from './common-errors.ts';
import { UsageError, choiceFailure, formFailure, needsFailure, requiredFailure, usageProblem, writeProblems } from './usage-errors.ts';

export {
  UsageError, argumentsFailure, choiceFailure, conflictFailure, failWith, formFailure, needsFailure, oneOf, portFailure, requiredFailure,
  usageErrorExit, writeFailure, writeProblems,
} from './usage-errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags that shape what is loaded and how (every command that reads manifests). */
export const CONFIG_OPTIONS = {
  config: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  permissive: { type: 'boolean' },
  draft: { type: 'boolean' },
  'assume-external': { type: 'string', multiple: true },
  'disable-rule': { type: 'string', multiple: true },
  'max-file-size': { type: 'string' },
  'mesh-config': { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const satisfies Options;

export const CONFIG_HELP = `  --config FILE             configuration file (default: .meshc.yaml in the working directory, if present)
  -n, --namespace NS        namespace of objects without metadata.namespace (default: default)
  --permissive              OSM permissive mode: every identity may reach every service
  --draft                   accept draft SMI APIs (access v1alpha4, IdentityBinding) without a warning
  --assume-external K/NS/N  an object that exists outside the given files (globs allowed; repeatable)
  --disable-rule ID         do not run this lint rule (repeatable; 'meshc rules' lists them)
  --max-file-size BYTES     refuse larger files (default: 16Mi; suffixes k, M, G, Ki, Mi, Gi)
  --mesh-config FILE        the mesh's OSM MeshConfig, read besides the paths (it wins over one among them)
  --no-cache                neither read nor write the cache of parsed files and findings
                            (node_modules/.cache/meshc or ~/.cache/meshc; safe to delete;
                            MESHC_CACHE_DIR moves it)
`;

/**
 * Whether a command uses meshc's caches (parsed files, findings, the DSL's
 * evaluated files): yes unless --no-cache. Every command that reads manifests
 * shares them, so `meshc check && meshc test && meshc compile` parses each
 * unchanged file once. The output is the same either way.
 */
export function useCache(ctx: CommandContext): boolean {
  if (ctx.values['no-cache'] !== true) return true;
  // --no-cache also turns off the DSL's cache of evaluated mesh.ts files.
  process.env.MESHC_NO_CACHE = '1';
  return false;
}

/** Flags for commands that emit a report of findings. */
export const REPORT_OPTIONS = {
  format: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  suppress: { type: 'string', multiple: true },
  'no-inline-suppress': { type: 'boolean' },
  'fail-level': { type: 'string' },
} as const satisfies Options;

export const REPORT_HELP = `  --format FORMAT           text, json, sarif or github (default: text; github when GITHUB_ACTIONS=true)
  --fail-level LEVEL        exit 1 for findings at or above error (default), warning or info
  --suppress CODE[=Kind namespace/name]
                            hide findings with this code (globs allowed), only for matching resources after '='; repeatable
  --no-inline-suppress      ignore meshc.dev/ignore annotations in the manifests (strict CI)
  -q, --quiet               no summary line on stderr
`;

/** Compile-side settings (for commands that emit identities and DNS names). */
export const DOMAIN_OPTIONS = {
  'trust-domain': { type: 'string' },
  'cluster-domain': { type: 'string' },
} as const satisfies Options;

export const DOMAIN_HELP = `  --trust-domain DOMAIN     SPIFFE trust domain (default: cluster.local)
  --cluster-domain DOMAIN   Kubernetes cluster DNS domain (default: cluster.local)
`;

export interface CommandSpec {
  /** As typed after `meshc`. */
  name: string;
  /** Printed by --help (stdout) and after usage errors (stderr). */
  usage: string;
  options: Options;
  /** Formats the command supports (default: all four when it has --format). */
  formats?: readonly OutputFormat[];
}

export interface Settings {
  config: MeshcConfig;
  /** What to read: PATH arguments, else `paths` from the config file, else ['.']. */
  paths: string[];
  format: OutputFormat;
  quiet: boolean;
  suppressions: Suppression[];
  /** The configuration file that was read, if any (display path). */
  configFile?: string;
}

export interface CommandContext {
  spec: CommandSpec;
  cwd: string;
  env: NodeJS.ProcessEnv;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  settings: Settings;
}

/** Parses argv against the spec; throws UsageError. Returns null for --help. */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): { values: CommandContext['values']; positionals: string[] } | null {
  const options: Options = { ...spec.options, help: { type: 'boolean', short: 'h' } };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const flag = /'([^']+)'/.exec(e.message)?.[1]?.split(/[ =]/)[0];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
      const names = Object.keys(options).map((o) => `--${o}`);
      throw usageProblem('MESH1046', { option: flag, hint: didYouMean(flag, names) });
    }
    // Node's own wording (util.parseArgs), first sentence: "option '--out <value>' argument missing".
    const first = e.message.split(/\.(?:\s|$)/)[0]!.replace(/^Option/, 'option');
    // "--max-retries -1": Node's advice comes in further sentences; one line says it.
    const dash = /argument is ambiguous/.test(first) && flag ? `: write a value that starts with a dash as ${flag}=VALUE` : '';
    throw usageProblem('MESH1047', { parseArgsError: first + dash });
  }
  if (parsed.values.help) return null;
  return { values: parsed.values as CommandContext['values'], positionals: parsed.positionals };
}

function valueOf<T>(flag: string, parsed: Parsed<T>): T {
  if ('error' in parsed) throw formFailure(`--${flag}`, parsed.error);
  return parsed.value;
}

/** The directory SARIF URIs are relative to: the nearest ancestor with a .git, else cwd. */
export function repositoryRoot(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/**
 * Builds the settings: defaults, then the configuration file, then flags
 * (scalars replace, lists add to the file's). Throws UsageError.
 */
export async function resolveSettings(spec: CommandSpec, values: CommandContext['values'], positionals: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Settings> {
  // Commands without --config (explain, rules) do not read the configuration file.
  const { config: file, problems } = 'config' in spec.options ? await loadConfigFile(values.config as string | undefined, cwd) : { config: undefined, problems: [] };
  if (problems.length > 0) throw new UsageError(problems);
  const config = { ...defaultConfig(), ...file?.settings };
  const suppressions = [...(file?.suppressions ?? [])];
  const list = (k: string) => (values[k] as string[] | undefined) ?? [];

  if (values.namespace !== undefined) config.namespace = valueOf('namespace', parseNamespace(values.namespace));
  if (values.permissive) config.permissive = true;
  if (values.draft) config.draft = true;
  if (values['mesh-config'] !== undefined) {
    if (values['mesh-config'] === '') throw needsFailure('--mesh-config', 'a file name');
    config.meshConfig = values['mesh-config'] as string;
  }
  for (const p of list('assume-external')) config.assumeExternal = [...config.assumeExternal, valueOf('assume-external', parseExternalPattern(p))];
  if (values['max-file-size'] !== undefined) config.maxFileSize = valueOf('max-file-size', parseSize(values['max-file-size']));
  if (values['trust-domain'] !== undefined) config.trustDomain = valueOf('trust-domain', parseDomain(values['trust-domain']));
  if (values['cluster-domain'] !== undefined) config.clusterDomain = valueOf('cluster-domain', parseDomain(values['cluster-domain']));
  if (values['fail-level'] !== undefined) {
    const level = parseFailLevel(values['fail-level']);
    if ('error' in level) throw choiceFailure('--fail-level', values['fail-level'], FAIL_LEVELS);
    config.failLevel = level.value;
  }
  if (values['no-inline-suppress']) config.noInlineSuppress = true;
  const sink = new DiagnosticSink();
  for (const id of list('disable-rule')) if (checkRuleId(id, '--disable-rule', sink, null)) config.disableRules = [...config.disableRules, id];
  for (const entry of list('suppress')) {
    const parsed = parseSuppression(entry, '--suppress');
    if ('problem' in parsed) sink.report(parsed.problem.code, parsed.problem.args, null);
    else suppressions.push(parsed.value);
  }
  if (sink.items.length > 0) throw new UsageError(sink.items);
  config.suppress = suppressions.map((s) => s.entry);

  const formats = spec.formats ?? OUTPUT_FORMATS;
  let format: OutputFormat = env.GITHUB_ACTIONS === 'true' && formats.includes('github') ? 'github' : 'text';
  if (values.format !== undefined) {
    if (!formats.includes(values.format as OutputFormat)) {
      throw choiceFailure('--format', values.format, formats);
    }
    format = values.format as OutputFormat;
  }
  const paths = positionals.length > 0 ? positionals : file?.paths && file.paths.length > 0 ? file.paths : ['.'];
  return { config, paths, format, quiet: values.quiet === true, suppressions, configFile: file?.file };
}

/** 2 when a finding makes the run incomplete, 1 for findings at or above the fail level, else 0. */
export function exitCodeFor(diagnostics: Diagnostic[], failLevel: Severity): number {
  if (diagnostics.some((d) => findCatalogEntry(d.code)?.incomplete)) return EXIT_USAGE;
  return diagnostics.some((d) => atOrAbove(d.severity, failLevel)) ? EXIT_FINDINGS : EXIT_OK;
}

export interface FindingsInput {
  diagnostics: Diagnostic[];
  files: number;
  resources: number;
  /** The loaded input, for meshc.dev/ignore annotations (SuppressOptions.loaded). */
  loaded?: SuppressOptions['loaded'];
}

let reportWritten = false;

/** Suppress, write the report (stdout) and summary (stderr), return the exit code. */
export function finishReport(ctx: CommandContext, input: FindingsInput): number {
  const { settings } = ctx;
  const { kept, suppressed } = applySuppressions(input.diagnostics, {
    suppress: settings.suppressions, inline: !settings.config.noInlineSuppress, loaded: input.loaded,
  });
  const code = exitCodeFor(kept, settings.config.failLevel);
  const report: Report = { diagnostics: kept, summary: summarize(kept, input.files, input.resources), suppressed, complete: code !== EXIT_USAGE };
  const out = render(settings.format, report, {
    cwd: ctx.cwd, color: useColor(process.stdout, ctx.env), toolVersion: VERSION, rootDir: repositoryRoot(ctx.cwd),
  });
  reportWritten = true;
  if (out) process.stdout.write(out);
  if (!settings.quiet) process.stderr.write(renderSummary(report.summary, suppressed, useColor(process.stderr, ctx.env)));
  return code;
}

/**
 * Runs a command body with the shared handling described at the top of this
 * file. MESHC_TEST_CRASH=<command name> makes the body throw (tests of the
 * internal-error path).
 */
export async function runCommand(spec: CommandSpec, argv: string[], body: (ctx: CommandContext) => Promise<number>): Promise<number> {
  const env = process.env;
  const cwd = process.cwd();
  let ctx: CommandContext | undefined;
  try {
    const parsed = parseCommandArgs(spec, argv);
    if (!parsed) {
      process.stdout.write(spec.usage);
      return EXIT_OK;
    }
    const settings = await resolveSettings(spec, parsed.values, parsed.positionals, cwd, env);
    ctx = { spec, cwd, env, values: parsed.values, positionals: parsed.positionals, settings };
    if (env.MESHC_TEST_CRASH === spec.name) throw new Error(`crash requested by MESHC_TEST_CRASH=${spec.name}`);
    return await body(ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      writeProblems(spec.name, err, env);
      return EXIT_USAGE;
    }
    process.stderr.write(internalErrorLine(err, env));
    // Machine-readable formats still get a report saying what happened, unless one was already written.
    if (ctx && !reportWritten && ctx.settings.format !== 'text') {
      try {
        const sink = new DiagnosticSink();
        sink.report('MESH0001', { detail: (err instanceof Error ? err.message : String(err)).split('\n')[0] }, null);
        const report: Report = { diagnostics: sink.items, summary: summarize(sink.items, 0, 0), suppressed: 0, complete: false };
        process.stdout.write(render(ctx.settings.format, report, { cwd, color: false, toolVersion: VERSION, rootDir: repositoryRoot(cwd) }));
      } catch {
        // The stderr line above is what remains.
      }
    }
    return EXIT_USAGE;
  }
}
