import { findCatalogEntry } from '../../core/catalog/index.ts';
import { loadMesh, type LoadedMesh } from '../../pipeline/check.ts';
import { computeReachability } from '../../reach/index.ts';
import { ReachQuery, type ViaStep, type WhyAnswer } from '../../reach/query.ts';
import { describeRequest, type HttpRequest } from '../../reach/request.ts';
import { egressReach, type ExternalTarget } from '../../reach/egress.ts';
import { EXIT_OK, EXIT_USAGE, type CommandModule } from '../command.ts';
import { CONFIG_HELP, CONFIG_OPTIONS, runCommand, type CommandSpec } from '../common.ts';
import { noteInputErrors } from '../input-errors.ts';

const SPEC: CommandSpec = {
  name: 'why',
  usage: `usage: meshc why --from NS/SA --to NS/SERVICE[:PORT] [options] [PATH...]
       meshc why --from NS/SA --to-external HOST:PORT [options] [PATH...]

Says whether an identity may reach a service port (optionally with an HTTP
request) and which resources decided it, each with file:line. When the
service is a TrafficSplit root, every backend is checked against the
caller (the answer is 'allowed' only if every weighted backend admits it).

options:
  --from NS/SA              source identity (namespace/serviceaccount)
  --to NS/SVC[:PORT]        destination service (and port; default: the first port that admits the caller)
  --to-external HOST:PORT   a destination outside the mesh (OSM Egress and egress passthrough)
  --method M                HTTP method of the request
  --path P                  request path (pathRegex matches anchored at the start, RE2)
  --header NAME=VALUE       request header (repeatable; header regexes must match the whole value)
  --format text|json        output format (default: text)
${CONFIG_HELP}  -h, --help                this text

exit codes: 0 answered (allowed or denied), 2 bad arguments, unknown names, unreadable input
`,
  options: {
    ...CONFIG_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, 'to-external': { type: 'string' }, method: { type: 'string' }, path: { type: 'string' },
    header: { type: 'string', multiple: true }, format: { type: 'string' },
  },
  formats: ['text', 'json'],
};

const usage = (message: string) => {
  process.stderr.write(`meshc why: ${message}\n\nRun 'meshc why --help' for usage.\n`);
  return EXIT_USAGE;
};

function parseTarget(to: string): { service: string; port?: number } | string {
  const m = /^([^/:\s]+)\/([^/:\s]+)(?::(\d+))?$/.exec(to);
  if (!m) return `--to must be NAMESPACE/SERVICE[:PORT], got '${to}'`;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return `port ${port} is outside 1..65535`;
  return { service: `${m[1]}/${m[2]}`, port };
}

/** `HOST:PORT` of --to-external: a DNS name or IPv4 address outside the mesh. */
function parseExternal(text: string): ExternalTarget | string {
  const m = /^([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) return `--to-external must be HOST:PORT (a DNS name or IPv4 address and a port), got '${text}'`;
  return { host: m[1]!.toLowerCase(), port };
}

interface JsonVia { kind: string; namespace: string; name: string; file: string; line: number }

function locateVia(loaded: LoadedMesh, v: ViaStep): JsonVia {
  const r = loaded.sources.locate(v.origin, v.path);
  return { kind: v.kind, namespace: v.namespace, name: v.name, file: r.file, line: r.line };
}

function renderText(loaded: LoadedMesh, from: string, to: string, req: HttpRequest | undefined, a: WhyAnswer): string {
  const lines = [`${a.allowed ? 'ALLOWED' : 'DENIED'}  ${from} → ${to}:${a.port}  (${describeRequest(req)})`, `  ${a.reason}`];
  const via = (steps: ViaStep[], indent: string) => {
    for (const s of steps) {
      const j = locateVia(loaded, s);
      lines.push(`${indent}${j.file}:${j.line}  ${s.kind} ${s.namespace}/${s.name}  ${s.note}`);
    }
  };
  if (a.via.length) {
    lines.push('via:');
    via(a.via, '  ');
  }
  if (a.split) {
    lines.push('split:');
    for (const s of a.split) {
      lines.push(`  ${s.excluded ? 'excluded' : s.allowed ? 'allowed ' : 'denied  '}  ${s.backend}  weight ${s.weight}: ${s.reason}`);
      via(s.via, '      ');
    }
  }
  return `${lines.join('\n')}\n`;
}

export const command: CommandModule = {
  summary: 'explain whether an identity may reach a service, and why',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => {
    const v = ctx.values as Record<string, string | string[] | boolean | undefined>;
    const from = v.from as string | undefined;
    const to = v.to as string | undefined;
    const toExternal = v['to-external'] as string | undefined;
    if (!from) return usage('--from NS/SA is required');
    if (to && toExternal) return usage('--to and --to-external exclude each other');
    if (!to && !toExternal) return usage('--to NS/SERVICE[:PORT] is required (or --to-external HOST:PORT for a destination outside the mesh)');
    if (!/^[^/\s]+\/[^/\s]+$/.test(from)) return usage(`--from must be NAMESPACE/SERVICEACCOUNT, got '${from}'`);
    const external = toExternal === undefined ? undefined : parseExternal(toExternal);
    if (typeof external === 'string') return usage(external);
    const target = to === undefined ? { service: '' } : parseTarget(to);
    if (typeof target === 'string') return usage(target);
    let request: HttpRequest | undefined;
    const method = v.method as string | undefined;
    const path = v.path as string | undefined;
    const headers = (v.header as string[] | undefined) ?? [];
    if (method !== undefined || path !== undefined || headers.length > 0) {
      request = {};
      if (method !== undefined) {
        if (!/^[A-Za-z]+$/.test(method)) return usage(`--method must be an HTTP method, got '${method}'`);
        request.method = method.toUpperCase();
      }
      if (path !== undefined) {
        if (!path.startsWith('/')) return usage(`--path must start with '/', got '${path}'`);
        request.path = path;
      }
      request.headers = {};
      for (const h of headers) {
        const eq = h.indexOf('=');
        if (eq <= 0) return usage(`--header must be NAME=VALUE, got '${h}'`);
        request.headers[h.slice(0, eq).trim().toLowerCase()] = h.slice(eq + 1);
      }
    }

    const loaded = await loadMesh(ctx.settings.paths, { ...ctx.settings.config, cwd: ctx.cwd });
    const fatal = loaded.diagnostics.filter((d) => findCatalogEntry(d.code)?.incomplete);
    if (fatal.length > 0) {
      for (const d of fatal) process.stderr.write(`meshc why: ${d.range ? `${d.range.file}: ` : ''}${d.message}\n`);
      return EXIT_USAGE;
    }
    noteInputErrors('why', ctx, loaded);

    const reach = computeReachability(loaded.mesh, loaded.index, loaded.config);
    const query = new ReachQuery(reach, loaded.index);
    if (external) {
      const problem = query.fromProblem(from);
      if (problem) {
        process.stderr.write(`meshc why: ${problem.message}\n`);
        return EXIT_USAGE;
      }
      const e = egressReach(loaded.mesh, loaded.index, loaded.config, from, external, request);
      const answer: WhyAnswer = { allowed: e.allowed, reason: e.reason, port: external.port, via: e.via };
      if (ctx.settings.format === 'json') process.stdout.write(`${JSON.stringify({ allowed: e.allowed, reason: e.reason, via: e.via.map((s) => locateVia(loaded, s)) }, null, 2)}\n`);
      else process.stdout.write(renderText(loaded, from, external.host, request, answer));
      return EXIT_OK;
    }
    const result = query.why({ from, to: target.service, port: target.port, request });
    if (!result.ok) {
      process.stderr.write(`meshc why: ${result.error.replace(/\n/g, '\nmeshc why: ')}\n`);
      return EXIT_USAGE;
    }
    const a = result.answer;
    if (ctx.settings.format === 'json') {
      const out: Record<string, unknown> = { allowed: a.allowed, reason: a.reason, via: a.via.map((s) => locateVia(loaded, s)) };
      if (a.split) out.split = a.split.map((s) => ({ backend: s.backend, weight: s.weight, allowed: s.allowed, ...(s.excluded ? { excluded: true } : {}) }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      process.stdout.write(renderText(loaded, from, target.service, request, a));
    }
    return EXIT_OK;
  }),
};
