import { findCatalogEntry } from '../../core/catalog/index.ts';
import { loadMesh, type LoadedMesh } from '../../pipeline/check.ts';
import { computeReachability } from '../../reach/index.ts';
import type { Reachability } from '../../reach/types.ts';
import { nearNamesHint, ReachQuery, type QueryProblem, type ViaStep, type WhyAnswer } from '../../reach/query.ts';
import { TARGETS, type Target } from '../../envoy/translate/ir.ts';
import { describeRequest, type HttpRequest } from '../../reach/request.ts';
import { egressReach, type ExternalTarget } from '../../reach/egress.ts';
import { splitRouting } from '../../reach/route-steps.ts';
import { EXIT_OK, type CommandModule } from '../command.ts';
import { conflictFailure, CONFIG_HELP, CONFIG_OPTIONS, failWith, formFailure, oneOf, requiredFailure, runCommand, UsageError, useCache, type CommandSpec } from '../common.ts';
import { DiagnosticSink } from '../../core/diagnostics.ts';
import { noteInputErrors } from '../input-errors.ts';
import { allowedRequests, allowsLines, commonRoutes, sameRoutes, scopeWithoutRequest, type Allows } from '../why-allows.ts';

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
  --header NAME=VALUE       request header (repeatable, one per name; header regexes must match the whole value)
  --target TARGET           whose configuration to answer for, as compile builds it: envoy (sidecars,
                            default) or grpc (proxyless gRPC clients: no TCP ports, and only Services
                            and split backends whose endpoint addresses meshc knows)
  --format text|json        output format (default: text)
${CONFIG_HELP}  -h, --help                this text

exit codes: 0 answered (allowed or denied), 2 bad arguments, unknown names, unreadable input
`,
  options: {
    ...CONFIG_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, 'to-external': { type: 'string' }, method: { type: 'string' }, path: { type: 'string' },
    header: { type: 'string', multiple: true }, format: { type: 'string' }, target: { type: 'string' },
  },
  formats: ['text', 'json'],
};

/** A --from or --to that names what the mesh does not have (or nothing a ServiceAccount can be). */
function queryProblem(p: QueryProblem): UsageError {
  const sink = new DiagnosticSink();
  switch (p.kind) {
    case 'invalid-identity': sink.report(p.wildcard ? 'MESH1062' : 'MESH1061', { from: p.from, value: p.value, what: p.what, fault: p.fault }, null); break;
    case 'unknown-identity': sink.report('MESH1057', { from: p.from, hint: nearNamesHint(p.near) }, null); break;
    case 'unknown-service': sink.report('MESH1058', { to: p.to, hint: nearNamesHint(p.near) }, null); break;
    case 'unknown-port': sink.report('MESH1059', { to: p.to, port: p.port, ports: p.ports }, null); break;
    case 'no-ports': sink.report('MESH1060', { to: p.to }, null); break;
  }
  return new UsageError(sink.items);
}

function parseTarget(to: string): { service: string; port?: number } | UsageError {
  const m = /^([^/:\s]+)\/([^/:\s]+)(?::(\d+))?$/.exec(to);
  if (!m) return formFailure('--to', { expected: 'NAMESPACE/SERVICE[:PORT]', actual: `'${to}'` });
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return formFailure('--to', { expected: 'NAMESPACE/SERVICE[:PORT] with a port from 1 to 65535', actual: `'${to}'` });
  return { service: `${m[1]}/${m[2]}`, port };
}

/** `HOST:PORT` of --to-external: a DNS name or IPv4 address outside the mesh. */
function parseExternal(text: string): ExternalTarget | UsageError {
  const m = /^([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) return formFailure('--to-external', { expected: 'HOST:PORT (a DNS name or IPv4 address and a port)', actual: `'${text}'` });
  return { host: m[1]!.toLowerCase(), port };
}

interface JsonVia { kind: string; namespace: string; name: string; file: string; line: number }

function locateVia(loaded: LoadedMesh, v: ViaStep): JsonVia {
  const r = loaded.sources.locate(v.origin, v.path);
  return { kind: v.kind, namespace: v.namespace, name: v.name, file: r.file, line: r.line };
}

/** What the caller may send: on the port itself, and per split backend (excluded ones take nothing). */
interface AllowsView { top: Allows; backends?: (Allows | null)[] }

function allowsView(loaded: LoadedMesh, reach: Reachability, from: string, to: string, a: WhyAnswer): AllowsView {
  if (!a.split) return { top: allowedRequests(loaded, reach, from, to, a.port) };
  const backends = a.split.map((s) => (s.excluded ? null : allowedRequests(loaded, reach, from, s.backend, a.port)));
  const taking = backends.filter((b, i): b is Allows => b !== null && a.split![i]!.weight > 0);
  return { top: commonRoutes(taking), backends };
}

function renderText(loaded: LoadedMesh, from: string, to: string, req: HttpRequest | undefined, a: WhyAnswer, allows: AllowsView, target: Target = 'envoy'): string {
  const scope = req ? describeRequest(req) : scopeWithoutRequest(a.allowed, allows.top);
  const client = target === 'grpc' ? '; a proxyless gRPC client' : '';
  const lines = [`${a.allowed ? 'ALLOWED' : 'DENIED'}  ${from} → ${to}:${a.port}  (${scope}${client})`, `  ${a.reason}`];
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
  lines.push(a.split ? 'allows (whichever backend serves the request):' : 'allows:');
  lines.push(...allowsLines(allows.top, '  '));
  if (a.split) {
    lines.push('split:');
    a.split.forEach((s, i) => {
      lines.push(`  ${s.excluded ? 'excluded' : s.allowed ? 'allowed ' : 'denied  '}  ${s.backend}  weight ${s.weight}: ${s.reason}`);
      via(s.via, '      ');
      const b = allows.backends?.[i];
      if (b && !sameRoutes(allows.top, b)) lines.push('    allows:', ...allowsLines(b, '      '));
    });
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
    if (!from) throw requiredFailure('--from NS/SA');
    if (to && toExternal) throw conflictFailure('--to', '--to-external');
    if (!to && !toExternal) throw requiredFailure('--to NS/SERVICE[:PORT] (or --to-external HOST:PORT for a destination outside the mesh)');
    if (!/^[^/\s]+\/[^/\s]+$/.test(from)) throw formFailure('--from', { expected: 'NAMESPACE/SERVICEACCOUNT', actual: `'${from}'` });
    const dataPlane = oneOf('target', v.target, TARGETS, 'envoy');
    if (dataPlane === 'grpc' && toExternal) throw conflictFailure('--to-external', '--target grpc');
    const external = toExternal === undefined ? undefined : parseExternal(toExternal);
    if (external instanceof UsageError) throw external;
    const target = to === undefined ? { service: '' } : parseTarget(to);
    if (target instanceof UsageError) throw target;
    let request: HttpRequest | undefined;
    const method = v.method as string | undefined;
    const path = v.path as string | undefined;
    const headers = (v.header as string[] | undefined) ?? [];
    if (method !== undefined || path !== undefined || headers.length > 0) {
      request = {};
      if (method !== undefined) {
        if (!/^[A-Za-z]+$/.test(method)) throw formFailure('--method', { expected: 'an HTTP method', actual: `'${method}'` });
        request.method = method.toUpperCase();
      }
      if (path !== undefined) {
        if (!path.startsWith('/')) throw formFailure('--path', { expected: "a path starting with '/'", actual: `'${path}'` });
        request.path = path;
      }
      request.headers = {};
      for (const h of headers) {
        const eq = h.indexOf('=');
        if (eq <= 0) throw formFailure('--header', { expected: 'NAME=VALUE', actual: `'${h}'` });
        const name = h.slice(0, eq).trim().toLowerCase();
        // One value per header name: which of two would a route match test? Say so rather than keep the last.
        if (Object.hasOwn(request.headers, name)) throw formFailure('--header', { expected: 'each header name once (names are case-insensitive)', actual: `'${name}' twice` });
        request.headers[name] = h.slice(eq + 1);
      }
    }

    const loaded = await loadMesh(ctx.settings.paths, { ...ctx.settings.config, cwd: ctx.cwd, cache: useCache(ctx) });
    const fatal = loaded.diagnostics.filter((d) => findCatalogEntry(d.code)?.incomplete);
    if (fatal.length > 0) {
      return failWith(fatal);
    }
    noteInputErrors('why', ctx, loaded);

    const reach = computeReachability(loaded.mesh, loaded.index, loaded.config);
    const query = new ReachQuery(reach, loaded.index, loaded.config.clusterDomain, dataPlane);
    if (external) {
      const problem = query.fromProblem(from);
      if (problem) throw queryProblem(problem);
      const e = egressReach(loaded.mesh, loaded.index, loaded.config, from, external, request);
      const answer: WhyAnswer = { allowed: e.allowed, reason: e.reason, port: external.port, via: e.via };
      if (ctx.settings.format === 'json') process.stdout.write(`${JSON.stringify({ allowed: e.allowed, reason: e.reason, via: e.via.map((s) => locateVia(loaded, s)) }, null, 2)}\n`);
      else process.stdout.write(renderText(loaded, from, external.host, request, answer, { top: { anyRequest: e.allowed, routes: [] } }));
      return EXIT_OK;
    }
    const result = query.why({ from, to: target.service, port: target.port, request });
    if (!result.ok) {
      throw new UsageError(result.problems.flatMap((p) => queryProblem(p).diagnostics));
    }
    const a = result.answer;
    const allows = allowsView(loaded, reach, from, target.service, a);
    if (ctx.settings.format === 'json') {
      const out: Record<string, unknown> = { allowed: a.allowed, reason: a.reason, via: a.via.map((s) => locateVia(loaded, s)), allows: allows.top };
      if (dataPlane === 'grpc') out.target = 'grpc';
      if (a.denial) out.denial = a.denial;
      if (a.delivery) out.delivery = a.delivery;
      if (a.split) {
        out.split = a.split.map((s, i) => ({
          backend: s.backend, weight: s.weight, allowed: s.allowed, ...(s.denial ? { denial: s.denial } : {}), ...(s.excluded ? { excluded: true } : {}), ...(allows.backends?.[i] ? { allows: allows.backends[i] } : {}),
        }));
        // The requests the split routes and (Gateway API) the rule's timeouts, header filters and mirrors.
        const rule = reach.splits[target.service]?.rules[a.rule ?? 0];
        const routing = rule && splitRouting(loaded.index, rule.split, rule.matches);
        if (routing) out.routing = routing;
      }
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      process.stdout.write(renderText(loaded, from, target.service, request, a, allows, dataPlane));
    }
    return EXIT_OK;
  }),
};
