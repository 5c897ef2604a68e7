import { readPemFile } from '../../server/pem-file.ts';
import { EXIT_OK, EXIT_USAGE, type CommandModule } from '../command.ts';
import { parseDuration } from './cluster-flags.ts';
import { choiceFailure, parseCommandArgs, argumentsFailure, formFailure, needsFailure, portFailure, requiredFailure, UsageError, writeProblems, type CommandSpec } from '../common.ts';

const HELP = `usage: meshc serve --snapshots DIR [options]

Serves the output of 'meshc compile --out DIR' to Envoy and proxyless gRPC
clients over xDS (ADS state-of-the-world and Delta, plus the CDS/EDS/LDS/RDS
services) and grpc.health.v1. Reloads DIR whenever it changes; a partial or
corrupt output is rejected and the last good one stays in service.

options:
  --snapshots DIR        compiled output directory (required)
  --listen HOST:PORT     address to listen on (default 127.0.0.1:18000; port 0 picks one)
  --health-listen HOST:PORT
                         also serve grpc.health.v1, and only it, in plaintext here
                         (for kubelet gRPC probes, which cannot do TLS)
  --metrics-listen HOST:PORT
                         serve Prometheus metrics (GET /metrics, plaintext HTTP) here:
                         streams, responses, ACKs, NACKs, refusals, reloads, the
                         snapshot served, and the process's own figures
  --log-format FORMAT    text (default) or json, one event per line on stderr
  --log-level LEVEL      debug, info (default), warn or error
  --tls-cert FILE        serve TLS with this certificate chain (PEM)
  --tls-key FILE         and this private key (PEM)
  --client-ca FILE       require client certificates signed by this CA (mTLS); a client
                         then only gets the node whose service account its SPIFFE id names
  --trust-domain TD      with --client-ca: accept SPIFFE ids of this trust domain only
  --tls-reload DUR       re-read the three files this often and serve a rotated
                         certificate to new connections (default 30s; 0 = never)
  -h, --help             show this help

Stops on SIGTERM or SIGINT: ends every stream with UNAVAILABLE (proxies reconnect
elsewhere and keep their config) and exits 0.

exit codes: 0 stopped by a signal, 2 usage error, DIR unreadable or invalid at
start-up, certificate file unreadable or unusable, address in use.
`;

const SPEC: CommandSpec = {
  name: 'serve',
  usage: HELP,
  options: {
    snapshots: { type: 'string' },
    listen: { type: 'string' },
    'health-listen': { type: 'string' },
    'metrics-listen': { type: 'string' },
    'log-format': { type: 'string' },
    'log-level': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'client-ca': { type: 'string' },
    'trust-domain': { type: 'string' },
    'tls-reload': { type: 'string' },
  },
};

function printUsageError(err: UsageError): number {
  writeProblems('serve', err);
  return EXIT_USAGE;
}

/** A start-up failure that is not about the command line (unreadable output, address in use). */
function fail(message: string): number {
  process.stderr.write(`meshc serve: ${message}\n`);
  return EXIT_USAGE;
}

function readPem(flag: string, path: string): Buffer {
  try {
    return readPemFile(path);
  } catch (err) {
    throw new Error(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** --health-listen and --metrics-listen: HOST:PORT each, on a port of their own (0 picks one, so never clashes). */
async function extraListenProblem(values: Record<string, string | undefined>): Promise<UsageError | null> {
  const { parseListenOrNull } = await import('../../server/listen-address.ts');
  const taken: [string, number][] = [];
  const main = parseListenOrNull(values.listen ?? '127.0.0.1:18000');
  if (main) taken.push(['--listen', main.port]);
  for (const [flag, example] of [['--health-listen', '0.0.0.0:18001'], ['--metrics-listen', '0.0.0.0:15014']] as const) {
    const given = values[flag.slice(2)];
    if (given === undefined) continue;
    const parsed = parseListenOrNull(given);
    if (!parsed) return formFailure(flag, { expected: `HOST:PORT (e.g. ${example})`, actual: JSON.stringify(given) });
    const clash = taken.find(([, port]) => parsed.port !== 0 && port === parsed.port);
    if (clash) return portFailure(flag, clash[0], parsed.port);
    taken.push([flag, parsed.port]);
  }
  return null;
}

export const command: CommandModule = {
  summary: 'serve compiled xDS snapshots over gRPC (ADS)',
  async run(argv) {
    let parsed;
    try {
      parsed = parseCommandArgs(SPEC, argv);
    } catch (err) {
      if (err instanceof UsageError) return printUsageError(err);
      throw err;
    }
    if (!parsed) {
      process.stdout.write(HELP);
      return EXIT_OK;
    }
    const values = parsed.values as Record<string, string | undefined>;
    if (parsed.positionals.length > 0) return printUsageError(argumentsFailure('serve', 'no arguments: the directory goes after --snapshots', JSON.stringify(parsed.positionals[0])));
    if (!values.snapshots) return printUsageError(requiredFailure('--snapshots DIR'));
    const format = values['log-format'] ?? 'text';
    if (format !== 'text' && format !== 'json') return printUsageError(choiceFailure('--log-format', format, ['text', 'json']));
    const level = values['log-level'] ?? 'info';
    if (!['debug', 'info', 'warn', 'error'].includes(level)) return printUsageError(choiceFailure('--log-level', level, ['debug', 'info', 'warn', 'error']));
    if (!!values['tls-cert'] !== !!values['tls-key']) return printUsageError(values['tls-cert'] ? needsFailure('--tls-cert', '--tls-key') : needsFailure('--tls-key', '--tls-cert'));
    if (values['client-ca'] && !values['tls-cert']) return printUsageError(needsFailure('--client-ca', '--tls-cert and --tls-key'));
    if (values['trust-domain'] && !values['client-ca']) return printUsageError(needsFailure('--trust-domain', '--client-ca'));
    if (values['tls-reload'] !== undefined && !values['tls-cert']) return printUsageError(needsFailure('--tls-reload', '--tls-cert and --tls-key'));
    const reloadMs = values['tls-reload'] === undefined ? undefined : parseDuration(values['tls-reload']);
    if (typeof reloadMs === 'object') return printUsageError(formFailure('--tls-reload', reloadMs));
    if (values.listen !== undefined) {
      const { parseListenOrNull } = await import('../../server/listen-address.ts');
      if (!parseListenOrNull(values.listen)) return printUsageError(formFailure('--listen', { expected: 'HOST:PORT (e.g. 127.0.0.1:18000 or [::1]:18000)', actual: JSON.stringify(values.listen) }));
    }
    const listenProblem = await extraListenProblem(values);
    if (listenProblem) return printUsageError(listenProblem);

    let tls;
    try {
      tls = values['tls-cert']
        ? {
            cert: readPem('--tls-cert', values['tls-cert']),
            key: readPem('--tls-key', values['tls-key']!),
            clientCa: values['client-ca'] ? readPem('--client-ca', values['client-ca']) : undefined,
            trustDomain: values['trust-domain'],
            ...(reloadMs === 0 ? {} : {
              files: { cert: values['tls-cert'], key: values['tls-key']!, ...(values['client-ca'] ? { clientCa: values['client-ca'] } : {}) },
              ...(reloadMs === undefined ? {} : { reloadIntervalMs: reloadMs }),
            }),
          }
        : undefined;
    } catch (err) {
      return fail((err as Error).message);
    }

    // gRPC is loaded here and only here: no other command pays for it.
    const { startServer, ServeError } = await import('../../server/server.ts');
    const { createLogger } = await import('../../server/log.ts');
    const logger = createLogger({ format, level: level as 'info' });
    // Signals are handled from the start, so one that arrives while starting up still ends cleanly.
    let stopRequested: string | null = null;
    let onStop: ((signal: string) => void) | null = null;
    const handler = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      logger.log('info', 'signal', `received ${signal}`, { signal });
      stopRequested = signal;
      onStop?.(signal);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
    let server;
    try {
      server = await startServer({
        snapshots: values.snapshots, listen: values.listen, healthListen: values['health-listen'], metricsListen: values['metrics-listen'], tls, logger,
      });
    } catch (err) {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      if (err instanceof ServeError) return fail(err.message);
      throw err;
    }
    const running = server;
    return new Promise<number>((resolveExit) => {
      onStop = () => void running.close().then(() => resolveExit(EXIT_OK));
      if (stopRequested) onStop(stopRequested);
    });
  },
};
