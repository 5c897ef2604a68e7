import { resolve } from 'node:path';
import { writeAtomic } from '../../dsl/cli-support.ts';
import { findCatalogEntry } from '../../core/catalog/index.ts';
import { loadMesh } from '../../pipeline/check.ts';
import { computeReachability } from '../../reach/index.ts';
import { GRAPH_FORMATS, meshGraph, renderGraph, type GraphFormat } from '../../graph/index.ts';
import { EXIT_OK, EXIT_USAGE, type CommandModule } from '../command.ts';
import { choiceFailure, CONFIG_HELP, CONFIG_OPTIONS, runCommand, failWith, usageErrorExit, needsFailure, writeFailure, useCache, type CommandSpec } from '../common.ts';
import { noteInputErrors } from '../input-errors.ts';

const SPEC: CommandSpec = {
  name: 'graph',
  usage: `usage: meshc graph [options] [PATH...]

Who can talk to whom: identities → the services they may reach (edges
labelled with ports and routes), services → the identities their pods run
as, TrafficSplit roots → backends (weights), and denied edges (dashed red)
for split backends a caller would be sent to but whose identity does not
admit it, and egress edges (orange) to destinations outside the mesh that
OSM Egress policies or global egress passthrough open. The output is
deterministic.

options:
  --format dot|mermaid|json|html   output format (default: dot); html is one self-contained page (pan, zoom, click a node)
  -o, --output FILE         write to FILE (atomically) instead of standard output
${CONFIG_HELP}  -h, --help                this text

exit codes: 0 written, 2 bad arguments, unreadable input, unwritable output
`,
  options: { ...CONFIG_OPTIONS, output: { type: 'string', short: 'o' } },
};

/** --format takes graph formats here, not report formats: taken out before the shared parser sees it. */
function takeFormat(argv: string[]): { format: string; rest: string[] } | 'missing-value' {
  let format = 'dot';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--format') {
      if (i + 1 >= argv.length) return 'missing-value';
      format = argv[++i]!;
    } else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else rest.push(a);
  }
  return { format, rest };
}

export const command: CommandModule = {
  summary: 'draw who can talk to whom (dot, mermaid, json, html)',
  async run(argv) {
    const taken = takeFormat(argv);
    if (typeof taken === 'string') return usageErrorExit(SPEC.name, needsFailure('--format', 'a value'));
    if (!(GRAPH_FORMATS as readonly string[]).includes(taken.format)) return usageErrorExit(SPEC.name, choiceFailure('--format', taken.format, GRAPH_FORMATS));
    return runCommand(SPEC, taken.rest, async (ctx) => {
      const loaded = await loadMesh(ctx.settings.paths, { ...ctx.settings.config, cwd: ctx.cwd, cache: useCache(ctx) });
      const fatal = loaded.diagnostics.filter((d) => findCatalogEntry(d.code)?.incomplete);
      if (fatal.length > 0) {
        return failWith(fatal);
      }
      noteInputErrors('graph', ctx, loaded);
      const reach = computeReachability(loaded.mesh, loaded.index, loaded.config);
      const graph = meshGraph(reach, loaded.index);
      let text: string;
      try {
        text = renderGraph(graph, taken.format as GraphFormat, `meshc graph: ${ctx.settings.paths.join(' ')}`);
      } catch (err) {
        // Beyond the longest string JavaScript can hold (~512 MB): say so instead of an internal error.
        if (!(err instanceof RangeError)) throw err;
        const routes = graph.edges.reduce((n, e) => n + e.routes.length, 0);
        return failWith({ code: 'MESH1022', args: { format: taken.format, nodes: graph.nodes.length, edges: graph.edges.length, routes } });
      }
      const output = ctx.values.output as string | undefined;
      if (!output) {
        process.stdout.write(text);
        return EXIT_OK;
      }
      try {
        writeAtomic(resolve(ctx.cwd, output), text);
      } catch (err) {
        return writeFailure(output, err);
      }
      return EXIT_OK;
    });
  },
};
