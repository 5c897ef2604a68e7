import { relative, resolve } from 'node:path';
import { DiagnosticSink } from '../../core/diagnostics.ts';
import { applySuppressions } from '../../report/suppress.ts';
import { formatLine } from '../../report/text.ts';
import { useColor } from '../../report/color.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CommandModule } from '../command.ts';
import { clusterSettings } from './cluster-flags.ts';
import { TARGETS } from '../../envoy/translate/ir.ts';
import { choiceFailure, oneOf, CONFIG_HELP, CONFIG_OPTIONS, repositoryRoot, runCommand, argumentsFailure, conflictFailure, needsFailure, type CommandContext, type CommandSpec } from '../common.ts';
import { DIFF_FORMATS, type DiffFormat, type FailOn } from '../../diff/types.ts';

const FAIL_ON = ['gained', 'lost', 'any', 'proxies'] as const;

const SPEC: CommandSpec = {
  name: 'diff',
  usage: `usage: meshc diff [options] BASE HEAD
       meshc diff [options] --base-ref GITREF [PATH...]

What a change does to who can reach what. Compares the reachability of two
trees (files or directories): pairs (source identity → NS/SVC:PORT, with
routes) gained and lost, TrafficSplit distributions changed, and findings
of 'meshc check' that are new or fixed. With --base-ref the base is PATH
(default: the working directory) as it is in commit GITREF of the git
repository around the working directory; the head is PATH as it is on disk.

options:
  --base-ref GITREF         read the base tree from git (e.g. origin/main, HEAD~1)
  --format FORMAT           text, json, markdown (a pull-request comment) or github
                            (annotations); default: text (github when GITHUB_ACTIONS=true)
  --fail-on WHAT            exit 1 when access is gained, lost, or any (gained, lost or a split change);
                            proxies (with --proxies): when a proxy's compiled configuration changes
  --proxies                 also compare every proxy's compiled configuration (listeners, routes,
                            clusters, endpoints, secrets), as 'meshc compile' builds it
  --target envoy|grpc       with --proxies: compile for Envoy (default) or proxyless gRPC clients
  --suppress CODE[=Kind namespace/name]
                            hide findings with this code from the finding comparison (repeatable)
  --no-inline-suppress      ignore meshc.dev/ignore annotations
  -q, --quiet               no summary line on stderr
${CONFIG_HELP}  -h, --help                this text

exit codes: 0 compared (whatever changed), 1 a --fail-on condition holds,
2 usage error, unreadable path or git ref, internal error.
`,
  options: {
    ...CONFIG_OPTIONS,
    'base-ref': { type: 'string' },
    'fail-on': { type: 'string' },
    proxies: { type: 'boolean' },
    target: { type: 'string' },
    suppress: { type: 'string', multiple: true },
    'no-inline-suppress': { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  },
};


const stdinConflict = (): never => {
  throw conflictFailure('--base-ref', 'standard input (-)');
};

/** --format takes diff formats (markdown is none of check's): taken out before the shared parser sees it. */
function takeFormat(argv: string[]): { format?: string; rest: string[] } {
  let format: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--format') format = i + 1 < argv.length ? argv[++i]! : '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else rest.push(a);
  }
  return { format, rest };
}

interface Trees { basePaths: string[]; headPaths: string[]; baseCwd?: string; cleanup?: () => void }

async function resolveTrees(ctx: CommandContext): Promise<Trees | number> {
  const ref = ctx.values['base-ref'] as string | undefined;
  if (ref === undefined) {
    if (ctx.positionals.length !== 2) throw argumentsFailure('diff', 'two trees, BASE and HEAD, or --base-ref GITREF', `${ctx.positionals.length} PATH argument${ctx.positionals.length === 1 ? '' : 's'}`);
    return { basePaths: [ctx.positionals[0]!], headPaths: [ctx.positionals[1]!] };
  }
  if (ref === '') throw needsFailure('--base-ref', 'a git revision (e.g. origin/main)');
  // Relative to the working directory, so both trees report the same file names.
  const headPaths = ctx.settings.paths.map((p) => (p === '-' ? stdinConflict() : relative(ctx.cwd, resolve(ctx.cwd, p)) || '.'));
  const { readBaseTree } = await import('../../diff/git-base.ts');
  const got = readBaseTree(ref, headPaths, ctx.cwd);
  if (!got.ok) {
    const sink = new DiagnosticSink();
    sink.report('MESH1300', { ref, reason: got.reason }, null);
    process.stderr.write(`${formatLine(sink.items[0]!, useColor(process.stderr, ctx.env))}\n`);
    return EXIT_USAGE;
  }
  return { basePaths: got.tree.paths, headPaths, baseCwd: got.tree.cwd, cleanup: got.tree.cleanup };
}

export const command: CommandModule = {
  summary: 'what a change does to who can reach what (gained, lost, splits, findings)',
  async run(argv) {
    const taken = takeFormat(argv);
    return runCommand(SPEC, taken.rest, async (ctx) => {
      const format = (taken.format ?? (ctx.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text')) as DiffFormat;
      if (!DIFF_FORMATS.includes(format)) throw choiceFailure('--format', taken.format, DIFF_FORMATS);
      const failOn = ctx.values['fail-on'] as FailOn | undefined;
      if (failOn !== undefined && !FAIL_ON.includes(failOn)) throw choiceFailure('--fail-on', failOn, FAIL_ON);
      const target = oneOf('target', ctx.values.target, TARGETS, 'envoy');
      if (ctx.values.target !== undefined && ctx.values.proxies !== true) throw needsFailure('--target', '--proxies');
      if (failOn === 'proxies' && ctx.values.proxies !== true) throw needsFailure('--fail-on proxies', '--proxies');
      // As compile builds them: its target and the cluster settings of .meshc.yaml's compile: section.
      const proxies = ctx.values.proxies === true ? { target, cluster: clusterSettings(ctx.settings.config.compile) } : undefined;
      const trees = await resolveTrees(ctx);
      if (typeof trees === 'number') return trees;
      try {
        const { diffTrees, failsGate } = await import('../../diff/index.ts');
        const { settings } = ctx;
        const result = await diffTrees(trees.basePaths, trees.headPaths, {
          ...settings.config, cwd: ctx.cwd, baseCwd: trees.baseCwd, proxies,
          keepFindings: (diagnostics, loaded) => applySuppressions(diagnostics, { suppress: settings.suppressions, inline: !settings.config.noInlineSuppress, loaded }).kept,
        });
        if (result.incomplete.length > 0) {
          const color = useColor(process.stderr, ctx.env);
          for (const { tree, diagnostic } of result.incomplete) process.stderr.write(`meshc diff: ${tree}: ${formatLine(diagnostic, color)}\n`);
          process.stderr.write('meshc diff: a tree could not be read completely; nothing compared\n');
          return EXIT_USAGE;
        }
        const { diff } = result;
        const render = await import('../../diff/render-text.ts');
        let out: string;
        if (format === 'json') out = render.renderDiffJson(diff);
        else if (format === 'markdown') out = (await import('../../diff/render-markdown.ts')).renderDiffMarkdown(diff);
        else if (format === 'github') out = (await import('../../diff/render-github.ts')).renderDiffGithub(diff, { cwd: ctx.cwd, rootDir: repositoryRoot(ctx.cwd) }, result.headResource);
        else out = render.renderDiffText(diff, useColor(process.stdout, ctx.env));
        process.stdout.write(out);
        if (!settings.quiet) process.stderr.write(`meshc diff: ${render.diffSummary(diff)}\n`);
        return failsGate(diff, failOn) ? EXIT_FINDINGS : EXIT_OK;
      } finally {
        trees.cleanup?.();
      }
    });
  },
};
